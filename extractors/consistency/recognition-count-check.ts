import type { DocumentContext } from '../context/document-context.js';
import { criteriaSetFor } from '../criteria-sets/criteria-sets.js';
import type { Flag, Statement } from '../statement.js';
import { readCommuneGroup, type NameLexicon } from '../tokens/commune-groups.js';
import { levelNamedIn } from '../tokens/levels.js';

/** "công nhận xã A (huyện X) và … đạt chuẩn NTM nâng cao", "công nhận các xã A, B đạt chuẩn nông thôn mới". */
const RECOGNISED = /\bcong\s+nhan\s+(?=(?:cac\s+)?(?:xa|phuong|thi\s+tran)\b)/g;
const STANDARD_AFTER = /^[^.;:]{0,120}?\bdat\s+chuan\b((?:\s+(?:xa\s+)?(?:nong\s+thon\s+moi|ntm))?(?:\s+(?:nang\s+cao|kieu\s+mau))?)/;
/** A count and a recognition further apart than this speak of different moments. */
const NEAR = 1500;

/**
 * A commune recognised as meeting the standard while the same passage counts fewer criteria than
 * the standard needs ("Bình Tường (đạt 18/19 tiêu chí)" … "công nhận xã Bình Tường … đạt chuẩn
 * NTM nâng cao"): the recognition and the count cannot both hold, so a reviewer is asked.
 */
export function recognitionCountFlags(context: DocumentContext, lexicon: NameLexicon, statements: readonly Statement[]): Flag[] {
  const flags: Flag[] = [];
  for (const match of context.fold.matchAll(RECOGNISED)) {
    if (context.isGoalBefore(match.index)) continue;
    const start = match.index + match[0].length;
    const group = readCommuneGroup(context.fold, context.nfc, lexicon, start, { expected: true });
    if (!group) continue;
    const standard = STANDARD_AFTER.exec(context.fold.slice(group.end, group.end + 160));
    if (!standard) continue;
    const level = levelNamedIn(standard[1] ?? '') ?? 'ntm';
    const size = criteriaSetFor(level, context.documentDate)?.criteria.length ?? null;
    for (const item of group.items) {
      const short = statements.filter(
        (statement) =>
          statement.kind === 'commune_count' &&
          statement.place.commune === item.name &&
          statement.met < statement.total &&
          (size === null || statement.total === size) &&
          Math.abs(context.positionOf(statement.citations[0] ?? { page: 1, start: 0, end: 0 }) - match.index) <= NEAR,
      );
      if (short.length === 0) continue;
      const counts = short.map((statement) => (statement.kind === 'commune_count' ? `${statement.met}/${statement.total}` : '')).join(', ');
      flags.push({
        type: 'contradictory_counts',
        message: `xã ${item.name} is recognised as meeting the ${level === 'nang_cao' ? 'NTM nâng cao' : level === 'kieu_mau' ? 'NTM kiểu mẫu' : 'NTM'} standard, while the same text counts ${counts} criteria for it`,
        statements: short.map((statement) => statement.index),
        evidence: [...short.flatMap((statement) => statement.citations.slice(0, 1)), ...context.text.toPageSpans(match.index, group.end + standard[0].length)],
      });
    }
  }
  return flags;
}
