import type { FlagRecord, StatementRecord } from '../../db/index.js';
import { fold } from './fold.js';
import { LOW_OCR_WORD_CONFIDENCE } from './quote-ocr-confidence.js';

export interface StatementFilter {
  province?: string | undefined;
  district?: string | undefined;
  commune?: string | undefined;
  kind?: string | undefined;
  flagType?: string | undefined;
  document?: number | undefined;
  reviewed?: boolean | undefined;
  confidenceBelow?: number | undefined;
}

const placeMatches = (wanted: string | undefined, statement: StatementRecord, level: 'province' | 'district' | 'commune') => {
  if (wanted === undefined) return true;
  const names = [statement[level], statement.places?.[level]?.name, statement.places?.[level]?.code].filter((name): name is string => typeof name === 'string');
  return names.some((name) => fold(name).includes(fold(wanted)));
};

export function filterStatements(statements: StatementRecord[], filter: StatementFilter): StatementRecord[] {
  return statements.filter(
    (s) =>
      placeMatches(filter.province, s, 'province') &&
      placeMatches(filter.district, s, 'district') &&
      placeMatches(filter.commune, s, 'commune') &&
      (filter.kind === undefined || s.kind === filter.kind) &&
      (filter.flagType === undefined || s.flags.some((flag) => flag.type === filter.flagType)) &&
      (filter.document === undefined || s.document.id === filter.document) &&
      (filter.reviewed === undefined || (s.review !== null) === filter.reviewed) &&
      (filter.confidenceBelow === undefined || s.confidence < filter.confidenceBelow),
  );
}

export function filterFlags(flags: FlagRecord[], filter: { type?: string | undefined; document?: number | undefined }): FlagRecord[] {
  return flags.filter((f) => (filter.type === undefined || f.type === filter.type) && (filter.document === undefined || f.document.id === filter.document));
}

/** Why a statement is in the review queue, in the order they come: flagged, then low OCR confidence, then low rule confidence. */
export type ReviewTier = 'flagged' | 'low_ocr_confidence' | 'low_confidence' | 'other';
const TIERS: readonly ReviewTier[] = ['flagged', 'low_ocr_confidence', 'low_confidence', 'other'];

/**
 * What needs a human first: unreviewed flagged statements, then those whose quote has a word
 * tesseract was unsure of (`ocrConfidence`: the lowest word confidence of each statement's
 * quote, for OCR'd pages), then low rule confidence; reviewed ones are left out, and with
 * `all` the rest follow (to go through one document). Within a tier, the lower confidence first.
 */
export function reviewQueue(
  statements: StatementRecord[],
  options: { lowConfidence?: number; lowOcrConfidence?: number; ocrConfidence?: ReadonlyMap<number, number>; all?: boolean } = {},
): Array<StatementRecord & { tier: ReviewTier }> {
  const low = options.lowConfidence ?? 0.7;
  const lowOcr = options.lowOcrConfidence ?? LOW_OCR_WORD_CONFIDENCE;
  const tier = (s: StatementRecord): ReviewTier =>
    s.flags.length > 0
      ? 'flagged'
      : (options.ocrConfidence?.get(s.id) ?? 100) < lowOcr
        ? 'low_ocr_confidence'
        : s.confidence < low
          ? 'low_confidence'
          : 'other';
  const rank = (s: StatementRecord & { tier: ReviewTier }) => TIERS.indexOf(s.tier);
  return statements
    .filter((s) => s.review === null)
    .map((s) => ({ ...s, tier: tier(s) }))
    .filter((s) => options.all || s.tier !== 'other')
    .sort((a, b) => rank(a) - rank(b) || a.confidence - b.confidence || a.id - b.id);
}
