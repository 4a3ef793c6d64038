import type { DocumentContext } from '../context/document-context.js';
import { communeGroupsOf, criteriaSetByCode } from '../criteria-sets/criteria-sets.js';
import type { CommuneCount, Statement } from '../statement.js';

/**
 * What the 2026-2030 set adds to a commune's count, read around the count the rules found:
 * - the indicators met and their total, written with it: "đạt 7/10 tiêu chí, 38/47 chỉ tiêu",
 *   "7/10 tiêu chí (38/47 chỉ tiêu)", "7/10 tiêu chí và 38/47 chỉ tiêu";
 * - the commune group whose thresholds apply: "xã nhóm 2", "(nhóm 3)", in the count's sentence.
 * Only for sets that have them (indicator totals, commune groups), so the 19-criterion sets are
 * never given either. A count rule that already reads the indicators keeps its own.
 */
export function addCountDetails(context: DocumentContext, statements: readonly Statement[]): Statement[] {
  return statements.map((statement) => {
    if (statement.kind !== 'commune_count' || !statement.criteriaSet) return statement;
    const set = criteriaSetByCode(statement.criteriaSet);
    const citation = statement.citations[0];
    const last = statement.citations.at(-1);
    if (!set || !citation || !last) return statement;
    const start = context.positionOf(citation);
    const end = context.positionOf({ ...last, start: last.end });
    const sentence = context.sentenceAt(start);
    const details: Partial<Pick<CommuneCount, 'indicators' | 'communeGroup'>> = {};
    if (!statement.indicators && set.total_indicators) {
      const indicators = indicatorsAfter(context.fold.slice(end, Math.max(end, sentence.end)));
      if (indicators) details.indicators = indicators;
    }
    const groups = communeGroupsOf(set);
    if (statement.communeGroup === undefined && groups.length > 0) {
      const group = groupIn(context.fold.slice(sentence.start, Math.max(end, sentence.end)));
      if (group !== null && groups.includes(group)) details.communeGroup = group;
    }
    return Object.keys(details).length > 0 ? { ...statement, ...details } : statement;
  });
}

/** ", 38/47 chỉ tiêu" right after the count (a comma, "và", "(" or "đạt" between, nothing else). */
const INDICATORS_AFTER = /^\s*(?:tieu\s+chi\b)?[\s,;(]*(?:va\s+|voi\s+)?(?:dat\s+)?(\d{1,2})\s*\/\s*(\d{1,2})\s*chi\s+tieu\b/;

function indicatorsAfter(fold: string): { met: number; total: number } | null {
  const match = INDICATORS_AFTER.exec(fold);
  if (!match) return null;
  return { met: Number(match[1]), total: Number(match[2]) };
}

/** "xã nhóm 2", "thuộc nhóm 3", "(nhóm 1)": the first group the sentence names. */
function groupIn(fold: string): number | null {
  const match = /\b(?:xa\s+)?nhom\s+(\d)\b/.exec(fold);
  return match ? Number(match[1]) : null;
}
