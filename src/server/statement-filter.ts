import type { FlagRecord, StatementRecord } from '../../db/index.js';
import { fold } from './fold.js';

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

/**
 * What needs a human first: unreviewed flagged statements, then low confidence; reviewed
 * ones are left out, and with `all` the rest follow (to go through one document). Within a group, the lower confidence first.
 */
export function reviewQueue(statements: StatementRecord[], options: { lowConfidence?: number; all?: boolean } = {}): StatementRecord[] {
  const low = options.lowConfidence ?? 0.7;
  const rank = (s: StatementRecord) => (s.flags.length > 0 ? 0 : s.confidence < low ? 1 : 2);
  return statements
    .filter((s) => s.review === null && (options.all || rank(s) < 2))
    .sort((a, b) => rank(a) - rank(b) || a.confidence - b.confidence || a.id - b.id);
}
