import type { Level } from '../statement.js';
import { criteriaSetByCode, criteriaSetFor, type CriteriaSet } from './criteria-sets.js';

/**
 * The period a piece of folded text names, by the period words ("giai đoạn 2026-2030", "Bộ
 * tiêu chí 2021 - 2025") or by the decision that issued the set ("Quyết định 51/2025/QĐ-TTg").
 * Listed newest first: the first that matches wins.
 */
const PERIOD_WORDS: ReadonlyArray<{ period: string; pattern: RegExp }> = [
  {
    period: '2026_2030',
    pattern:
      /\b(?:giai\s+doan\s+2026\s*-\s*2030|tieu\s+chi\s+(?:quoc\s+gia\s+)?(?:ve\s+)?(?:xa\s+)?(?:nong\s+thon\s+moi\s+|ntm\s+)?(?:giai\s+doan\s+)?2026\s*-\s*2030|51\s*\/\s*2025\s*\/\s*qd\s*-\s*ttg)/g,
  },
  { period: '2021_2025', pattern: /\b(?:giai\s+doan\s+202[12]\s*-\s*2025|318\s*\/\s*qd\s*-\s*ttg|319\s*\/\s*qd\s*-\s*ttg)/g },
  { period: '2016_2020', pattern: /\b(?:giai\s+doan\s+2016\s*-\s*2020|1980\s*\/\s*qd\s*-\s*ttg)/g },
  { period: '2010_2015', pattern: /\b(?:giai\s+doan\s+201[01]\s*-\s*2015|491\s*\/\s*qd\s*-\s*ttg)/g },
];

const CODE_PREFIX: Record<Level, string> = { ntm: 'ntm', nang_cao: 'ntm_nang_cao', kieu_mau: 'ntm_kieu_mau' };

/** "(giảm 4,45 tiêu chí) so với bộ tiêu chí giai đoạn 2016-2020": a set named to compare with, not the one counted against. */
const COMPARED = /\b(?:so\s+voi|thay\s+the|truoc\s+day|cu\s+la)\b[^.;:]{0,40}$/;

/** The set of `level` for the period the text names; null when it names none, or that level has no set then. */
export function criteriaSetNamedIn(fold: string, level: Level): CriteriaSet | null {
  // Every period is named by "giai đoạn …", "tiêu chí … 20xx" or a decision "…/QĐ-TTg".
  if (!/giai\s+doan|20\d\d\s*-\s*20\d\d|qd\s*-\s*ttg/.test(fold)) return null;
  for (const { period, pattern } of PERIOD_WORDS) {
    const named = [...fold.matchAll(pattern)].some((match) => !COMPARED.test(fold.slice(Math.max(0, match.index - 60), match.index)));
    if (named) return criteriaSetByCode(`${CODE_PREFIX[level]}_${period}`) ?? null;
  }
  return null;
}

/** Where a statement's set may be named: its own sentence, then the document's title. */
export interface SetWords {
  sentence: string;
  title: string | null;
}

/**
 * The set a statement is judged against: the period its own sentence names ("đạt 7/10 tiêu chí
 * theo Bộ tiêu chí giai đoạn 2026-2030"), else the one the title names, else the set in force on
 * its date. Words win over the date because a report written in early 2026 may still account for
 * 2025 against the 2021-2025 set, and one written before 15/02/2026 may already count against the
 * new set.
 */
export function criteriaSetOf(level: Level, date: string | null, words: SetWords): CriteriaSet | null {
  return criteriaSetNamedIn(words.sentence, level) ?? (words.title ? criteriaSetNamedIn(words.title, level) : null) ?? criteriaSetFor(level, date);
}
