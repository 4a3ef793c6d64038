import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { projectPath } from '../util/project-root.js';
import { jaroWinkler } from '../util/string-distance.js';
import type { Level } from '../statement.js';
import { firstDayOf, type PartialDate } from '../tokens/dates.js';
import { foldPhrase } from '../text/match-view.js';

const criterionSchema = z.object({
  number: z.number().int(),
  name: z.string(),
  aliases: z.array(z.string()).default([]),
  indicators: z.array(z.object({ code: z.string() }).passthrough()).default([]),
});
const criteriaSetSchema = z.object({
  code: z.string(),
  title: z.string(),
  decision: z.string(),
  decision_date: z.string(),
  effective_from: z.string().optional(),
  total_criteria: z.number().int().optional(),
  total_indicators: z.number().int().optional(),
  commune_groups: z.array(z.string()).optional(),
  criteria: z.array(criterionSchema),
});

export type Criterion = z.infer<typeof criterionSchema> & {
  /** Name and aliases folded for matching, computed once. */
  foldedNames: string[];
};
export type CriteriaSet = Omit<z.infer<typeof criteriaSetSchema>, 'criteria'> & {
  criteria: Criterion[];
  level: Level;
  validFrom: string;
  validTo: string | null;
};

/**
 * Which level each set is for, and the period it applies to (the next set's start ends it).
 * QĐ 51/2025/QĐ-TTg replaces the xã NTM set from 15/02/2026. Its sources say nothing of nâng cao
 * or kiểu mẫu for 2026-2030, so the 2021-2025 sets of those levels end there too, with no
 * successor: a later nâng cao statement carries no set rather than 19 criteria that may no
 * longer apply.
 */
const PERIODS: Record<string, { level: Level; validFrom: string; validTo: string | null }> = {
  ntm_2010_2015: { level: 'ntm', validFrom: '2009-04-16', validTo: '2016-12-01' },
  ntm_2016_2020: { level: 'ntm', validFrom: '2016-12-01', validTo: '2022-03-08' },
  ntm_2021_2025: { level: 'ntm', validFrom: '2022-03-08', validTo: '2026-02-15' },
  ntm_nang_cao_2021_2025: { level: 'nang_cao', validFrom: '2022-03-08', validTo: '2026-02-15' },
  ntm_kieu_mau_2021_2025: { level: 'kieu_mau', validFrom: '2022-03-08', validTo: '2026-02-15' },
  ntm_2026_2030: { level: 'ntm', validFrom: '2026-02-15', validTo: null },
};

let loaded: CriteriaSet[] | null = null;

/** The criteria sets shipped in extractors/criteria-sets/criteria_sets.json (sources in SOURCES.md there). */
export function criteriaSets(): CriteriaSet[] {
  if (loaded) return loaded;
  const raw: unknown = JSON.parse(readFileSync(projectPath('extractors', 'criteria-sets', 'criteria_sets.json'), 'utf8'));
  loaded = z
    .array(criteriaSetSchema)
    .parse(raw)
    .flatMap((set) => {
      const period = PERIODS[set.code];
      const criteria = set.criteria.map((criterion) => ({ ...criterion, foldedNames: [criterion.name, ...criterion.aliases].map(foldPhrase) }));
      return period ? [{ ...set, ...period, criteria }] : [];
    });
  return loaded;
}

export function criteriaSetByCode(code: string): CriteriaSet | undefined {
  return criteriaSets().find((set) => set.code === code);
}

/**
 * The set for a level at a date. Without a date, the newest set of the communes before the July
 * 2025 reform: the 2026-2030 set is for the communes formed then, and a text that counts against
 * it says so ("7/10 tiêu chí", "giai đoạn 2026-2030"), which `criteriaSetOf` reads first.
 */
export function criteriaSetFor(level: Level, date: PartialDate | null): CriteriaSet | null {
  const candidates = criteriaSets().filter((set) => set.level === level);
  if (!date) return candidates.filter((set) => set.validFrom < REFORM_DAY).at(-1) ?? null;
  const day = firstDayOf(date);
  return candidates.find((set) => set.validFrom <= day && (set.validTo === null || day < set.validTo)) ?? null;
}

const REFORM_DAY = '2025-07-01';

/** The commune groups a set distinguishes ("xã nhóm 1", …), by number; empty for sets with one threshold per region. */
export function communeGroupsOf(set: CriteriaSet): number[] {
  return (set.commune_groups ?? []).flatMap((group) => /(\d+)\s*$/.exec(group)?.[1] ?? []).map(Number);
}

/** Sets in force at a date, one per level: the alternatives a list of names is checked against. */
export function criteriaSetsInForce(date: PartialDate | null): CriteriaSet[] {
  return (['ntm', 'nang_cao', 'kieu_mau'] as const).flatMap((level) => criteriaSetFor(level, date) ?? []);
}

const SIMILAR = 0.92;

/**
 * How well a written name ("thủy lợi và phòng chống thiên tai") names a criterion:
 * 2 = its name or an alias, 1 = close (a longer form, a typo), 0 = not this criterion.
 */
export function nameMatchScore(name: string, criterion: Criterion): 0 | 1 | 2 {
  const written = foldedName(name);
  if (!written) return 0;
  let scores = scoreCache.get(criterion);
  if (!scores) scoreCache.set(criterion, (scores = new Map()));
  const known = scores.get(written);
  if (known !== undefined) return known;
  const score = computeScore(written, criterion);
  scores.set(written, score);
  return score;
}

/** Scores per criterion and folded name: the same names come back in every list of every document. */
const scoreCache = new WeakMap<Criterion, Map<string, 0 | 1 | 2>>();

function computeScore(written: string, criterion: Criterion): 0 | 1 | 2 {
  let score: 0 | 1 | 2 = 0;
  for (const known of criterion.foldedNames) {
    if (written === known) return 2;
    if (written.startsWith(`${known} `) || jaroWinkler(written, known) >= SIMILAR) score = 1;
  }
  return score;
}

/** The criterion whose name or alias this is, exactly (case, diacritics and tone placement aside). */
export function criterionNamedExactly(name: string, set: CriteriaSet): Criterion | null {
  const written = foldedName(name);
  return set.criteria.find((criterion) => criterion.foldedNames.includes(written)) ?? null;
}

/** The criterion a name alone refers to in a set, when exactly one fits. */
export function criterionNamed(name: string, set: CriteriaSet): Criterion | null {
  const written = foldedName(name);
  const exact = set.criteria.filter((criterion) => criterion.foldedNames.includes(written));
  if (exact.length === 1) return exact[0] ?? null;
  const close = set.criteria.filter((criterion) => nameMatchScore(name, criterion) > 0);
  return close.length === 1 ? (close[0] ?? null) : null;
}

const foldedNames = new Map<string, string>();

/** A written name, cleaned and folded; documents repeat names, so results are kept. */
function foldedName(name: string): string {
  let folded = foldedNames.get(name);
  if (folded === undefined) {
    folded = foldPhrase(cleanName(name));
    if (foldedNames.size > 10_000) foldedNames.clear();
    foldedNames.set(name, folded);
  }
  return folded;
}

/** Strips what surrounds a name in a list: "về", dashes, brackets, emphasis, trailing punctuation. */
export function cleanName(name: string): string {
  return name
    .replace(/[*_()[\]]/g, ' ')
    .replace(/^\s*(?:về|ve|[-–—:+•])\s*/iu, '')
    .replace(/^(?:các\s+|cac\s+)?(?:tiêu\s+chí|tieu\s+chi)\s+(?:về\s+|ve\s+)?/iu, '')
    .replace(/[\s.,;:–—-]+$/u, '')
    .replace(/\s+/g, ' ')
    .trim();
}
