import type { PageSpan } from './text/document-text.js';

export type Level = 'ntm' | 'nang_cao' | 'kieu_mau';
export type Assessment = 'self' | 'reported' | 'appraised' | 'recognized';
export type CriterionStatus = 'met' | 'unmet' | 'near';

/** Places as the document names them, without the unit word ("Thượng Cường", not "xã Thượng Cường"). */
export interface PlaceNames {
  province: string | null;
  district: string | null;
  commune: string | null;
}

/**
 * How a unit was found: `exact` — the name as written is the gazetteer's (tone-mark placement
 * and case aside); `folded` — the same letters once diacritics are dropped (missing or
 * OCR-damaged marks, Ð for Đ); `fuzzy` — a small typo from exactly one unit in context;
 * `context` — not written for this statement, but inferred: a district from its commune, a
 * province from its district, the document's own district or province.
 */
export type ResolutionMethod = 'exact' | 'folded' | 'fuzzy' | 'context';

/** A place tied to the gazetteer (extractors/places/). */
export interface ResolvedUnit {
  /** As the document writes this unit; the gazetteer's name where the document never writes it. */
  name: string;
  /** GSO code (a string: leading zeros matter); null when the name fits no unit or several. */
  code: string | null;
  method: ResolutionMethod | null;
  confidence: number;
  /** Why this unit, in a few words a reviewer can check. */
  basis: string;
  /**
   * Set on a district named in a document dated after 1 July 2025, when districts no longer
   * existed: kept as written, resolved to its pre-reform code, and never a parent of a new commune.
   */
  former?: true;
}

/** Which gazetteer codes come from: the units before 1 July 2025 (three levels) or after (two). */
export type UnitSystem = 'three_level' | 'two_level_2025';

export interface PlaceUnits {
  province: ResolvedUnit | null;
  district: ResolvedUnit | null;
  commune: ResolvedUnit | null;
  /** Absent for the pre-reform units; `two_level_2025` when the codes are those of 1 July 2025 (codes are reused). */
  system?: 'two_level_2025';
}

interface StatementBase {
  /** Index within its document; flags refer to statements by it. */
  index: number;
  /** Names as the rules read them next to the statement (the fingerprint uses these). */
  place: PlaceNames;
  /** The units those names (and the document's context) resolve to; set after the rules run. */
  units?: PlaceUnits;
  level: Level | null;
  criteriaSet: string | null;
  assessment: Assessment | null;
  /** "YYYY", "YYYY-MM" or "YYYY-MM-DD". */
  asOf: string | null;
  /** Where the statement is written; more than one span only when it runs over a page break. */
  citations: PageSpan[];
  /** The rule that produced it, so a reviewer can see why. */
  rule: string;
  confidence: number;
}

export interface CommuneCount extends StatementBase {
  kind: 'commune_count';
  met: number;
  total: number;
  /**
   * Sets from 2026 count indicators beside criteria ("đạt 7/10 tiêu chí, 38/47 chỉ tiêu"): the
   * indicators met and the set's total, when the document states them with the count.
   */
  indicators?: { met: number; total: number };
  /** The commune group whose thresholds apply (2026-2030 set: "xã nhóm 1", "2", "3"), when the document says it. */
  communeGroup?: number;
}

export interface CriterionItem {
  number: number;
  /** The name written next to the number, or the name alone when no number was written. */
  name: string | null;
}

export interface CriteriaList extends StatementBase {
  kind: 'criteria_list';
  status: CriterionStatus;
  criteria: number[];
  items: CriterionItem[];
  /** Names that match no criterion of the set. */
  unresolvedNames: string[];
  /** The count written before the list ("06 tiêu chí chưa đạt, gồm"), if any. */
  statedCount: number | null;
}

export interface IndicatorList extends StatementBase {
  kind: 'indicator_list';
  status: CriterionStatus;
  indicators: string[];
  statedCount: number | null;
}

export type AggregateMetric = 'communes_meeting_standard' | 'average_criteria_per_commune' | 'communes_with_n_criteria';

/** Whose figure an aggregate is: a district's, a province's ("toàn tỉnh"), the nation's ("cả nước"). */
export type AggregateScope = 'district' | 'province' | 'national';

export interface DistrictAggregate extends StatementBase {
  kind: 'district_aggregate';
  scope: AggregateScope;
  metric: AggregateMetric;
  value: number;
  of: number | null;
  nCriteria: number | null;
  communes: string[] | null;
}

export interface Target extends StatementBase {
  kind: 'target';
  year: number | null;
  count: number | null;
  communes: string[];
}

export type Statement = CommuneCount | CriteriaList | IndicatorList | DistrictAggregate | Target;
export type StatementKind = Statement['kind'];

/** Every kind of flag, listed once: the extractors raise them, the schema stores them, the export writes them. */
export const FLAG_TYPES = [
  'count_list_mismatch',
  'sum_mismatch',
  'criterion_out_of_set',
  'contradictory_counts',
  'criteria_set_mismatch',
  'ambiguous_unit',
  'unknown_unit',
  'jurisdiction_mismatch',
  'aggregate_mismatch',
  'low_ocr_confidence',
  'ocr_repaired_date',
  'doubtful_encoding',
  /** A text full of the programme's counts from which no rule read a status. */
  'nothing_read',
] as const;

export type FlagType = (typeof FLAG_TYPES)[number];

export interface Flag {
  type: FlagType;
  message: string;
  /** Indexes of the statements involved. */
  statements: number[];
  evidence: PageSpan[];
}
