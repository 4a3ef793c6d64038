import type { DocumentContext, Subject } from '../context/document-context.js';
import type { Level } from '../statement.js';
import { criteriaSetFor, criteriaSetsInForce, nameMatchScore } from '../criteria-sets/criteria-sets.js';
import type { PartialDate } from '../tokens/dates.js';
import { levelNamedIn } from '../tokens/levels.js';
import type { StatusPhrase } from './status-phrases.js';

export type LevelSource = 'phrase' | 'sentence' | 'total' | 'earlier_statement' | 'names' | 'default';

/** A status phrase with the commune it is about and the level it is counted at. */
export interface ResolvedPhrase {
  phrase: StatusPhrase;
  subject: Subject | null;
  level: Level;
  levelSource: LevelSource;
}

/**
 * Resolves phrases in document order, so that a list without a count ("Đối với 06 tiêu chí chưa
 * đạt, gồm: …") takes the level of the count stated before it for the same commune.
 */
export function resolvePhrases(context: DocumentContext, phrases: StatusPhrase[]): ResolvedPhrase[] {
  const levelByCommune = new Map<string, Level>();
  return phrases.map((phrase) => {
    // From the count: "Số tiêu chí đạt chuẩn của xã X là 15/19" names the commune after the verb.
    const subject = context.communeSubject(phrase.countStart, phrase.end, phrase.listIntroStart);
    const { level, levelSource } = levelOf(context, phrase, subject, levelByCommune);
    if (subject && phrase.total !== null) levelByCommune.set(subject.name, level);
    return { phrase, subject, level, levelSource };
  });
}

function levelOf(
  context: DocumentContext,
  phrase: StatusPhrase,
  subject: Subject | null,
  levelByCommune: Map<string, Level>,
): { level: Level; levelSource: LevelSource } {
  if (phrase.level) return { level: phrase.level, levelSource: 'phrase' };
  // A list without a total continues the count stated before it for the same commune.
  const earlier = subject ? levelByCommune.get(subject.name) : undefined;
  if (earlier && phrase.total === null) return { level: earlier, levelSource: 'earlier_statement' };
  // Level words between the commune's name and its count: "xã Đội Cấn phấn đấu xã NTM nâng cao năm 2024 đạt 11/19".
  const lead = subject?.source === 'same_sentence' ? levelNamedIn(context.fold.slice(subject.end, phrase.start)) : null;
  if (lead && fitsTotal(lead, phrase.total, context.asOfAt(phrase.start))) return { level: lead, levelSource: 'sentence' };
  if (phrase.total === 4) return { level: 'kieu_mau', levelSource: 'total' };
  const named = levelFromNames(phrase, context.asOfAt(phrase.start) ?? context.documentDate);
  if (named) return { level: named, levelSource: 'names' };
  return { level: 'ntm', levelSource: 'default' };
}

/** "kiểu mẫu" before "đạt 10/19 tiêu chí" is the goal, not the level counted: kiểu mẫu has 4 criteria. */
function fitsTotal(level: Level, total: number | null, date: PartialDate | null): boolean {
  const size = criteriaSetFor(level, date)?.criteria.length;
  return total === null || size === undefined || size === total;
}

/**
 * With no level word, the names in the list can tell: "Số 14 – Y tế; Số 15 – Hành chính công"
 * fits the nâng cao set and not the NTM one. Only a strictly better fit changes the level.
 */
function levelFromNames(phrase: StatusPhrase, date: PartialDate | null): Level | null {
  const named = phrase.list?.numbered.filter((item) => item.name) ?? [];
  if (named.length === 0) return null;
  const scored = criteriaSetsInForce(date).map((set) => ({
    level: set.level,
    score: named.reduce((sum, item) => {
      const criterion = set.criteria.find((candidate) => candidate.number === item.number);
      return sum + (criterion && item.name ? nameMatchScore(item.name, criterion) : 0);
    }, 0),
  }));
  const ntm = scored.find((entry) => entry.level === 'ntm')?.score ?? 0;
  const best = scored.reduce((top, entry) => (entry.score > top.score ? entry : top), { level: 'ntm' as Level, score: ntm });
  return best.level !== 'ntm' && best.score > ntm ? best.level : null;
}

/** Cite from the commune's name when it is in the same sentence, so the quote says who. */
export function subjectStart(context: DocumentContext, anchor: number): number {
  const sentence = context.sentenceAt(anchor);
  const mention = context.mentions
    .within(sentence.start, anchor)
    .filter((m) => m.level === 'commune' && !m.plural)
    .at(-1);
  return mention?.start ?? anchor;
}
