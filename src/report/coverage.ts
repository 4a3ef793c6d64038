import type { CommuneUnit, StandingClaimsQueries, StandingCount, UnitRow } from '../../db/index.js';
import { sourceOf } from './source-label.js';
import { LEVEL_NAMES } from './status-table.js';

/** How old a latest count may be before it is stale: "12m", "90d", "2y". */
export interface Age {
  amount: number;
  unit: 'd' | 'm' | 'y';
}

export function parseAge(text: string): Age | null {
  const match = /^(\d{1,4})\s*([dmy])$/i.exec(text.trim());
  if (!match) return null;
  return { amount: Number(match[1]), unit: match[2]!.toLowerCase() as Age['unit'] };
}

export type CoverageState = 'none' | 'stale' | 'current';

export interface CoverageRow {
  communeCode: string;
  communeName: string;
  districtCode: string;
  districtName: string;
  state: CoverageState;
  /** The newest count that stands for the commune, any level. */
  latest: { level: string; met: number | null; total: number | null; asOf: string | null; source: string | null } | null;
}

export interface Coverage {
  area: string;
  /** The day "stale" is measured from (the report's as-of date, else today). */
  reference: string;
  staleBefore: string;
  rows: CoverageRow[];
}

const STATE_ORDER: Record<CoverageState, number> = { none: 0, stale: 1, current: 2 };

/**
 * Every xã of the districts given (as the gazetteer has them on the reference day) with its latest standing count (now, or on `asOf`): those
 * with none first, then those whose latest is older than `olderThan` (undated counts among them,
 * oldest first), then the rest.
 */
export function buildCoverage(
  claims: StandingClaimsQueries,
  districts: UnitRow[],
  area: string,
  options: { olderThan: Age; asOf?: string; today?: string },
): Coverage {
  const districtCodes = districts.map((district) => district.code);
  const reference = options.asOf ?? options.today ?? new Date().toISOString().slice(0, 10);
  const staleBefore = subtractAge(reference, options.olderThan);
  const counts = claims.counts({ districtCodes }, options.asOf);
  const latestOf = new Map<string, StandingCount>();
  for (const count of counts) {
    const known = latestOf.get(count.communeCode);
    if (!known || periodEnd(count.asOf) > periodEnd(known.asOf)) latestOf.set(count.communeCode, count);
  }
  const districtName = new Map(districts.map((district) => [district.code, district.name]));
  const rows = claims.communes({ districtCodes }, reference).map((commune: CommuneUnit): CoverageRow => {
    const latest = latestOf.get(commune.code);
    const state: CoverageState = !latest ? 'none' : latest.asOf === null || periodEnd(latest.asOf) < staleBefore ? 'stale' : 'current';
    return {
      communeCode: commune.code,
      communeName: commune.name,
      districtCode: commune.districtCode ?? '',
      districtName: districtName.get(commune.districtCode ?? '') ?? '',
      state,
      latest: latest
        ? {
            level: latest.level ?? '?',
            met: latest.met,
            total: latest.total,
            asOf: latest.asOf,
            source: sourceOf(latest.fileName, latest.page, latest.tableRow) ?? 'reviewer',
          }
        : null,
    };
  });
  rows.sort(
    (a, b) =>
      STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
      periodEnd(a.latest?.asOf ?? null).localeCompare(periodEnd(b.latest?.asOf ?? null)) ||
      districtCodes.indexOf(a.districtCode) - districtCodes.indexOf(b.districtCode) ||
      a.communeName.localeCompare(b.communeName, 'vi'),
  );
  return { area, reference, staleBefore, rows };
}

/** The last day an as-of date can mean ("2024-09" → "2024-09-30"); undated sorts first. */
export function periodEnd(asOf: string | null): string {
  if (!asOf) return '';
  if (asOf.length === 4) return `${asOf}-12-31`;
  if (asOf.length === 7) {
    const [year, month] = asOf.split('-').map(Number);
    return new Date(Date.UTC(year!, month!, 0)).toISOString().slice(0, 10);
  }
  return asOf;
}

/** The date `age` before `date` (YYYY-MM-DD); months and years keep the day, clamped to the month's end. */
export function subtractAge(date: string, age: Age): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  if (age.unit === 'd') return new Date(Date.UTC(year, month - 1, day - age.amount)).toISOString().slice(0, 10);
  const months = age.unit === 'm' ? age.amount : age.amount * 12;
  const target = new Date(Date.UTC(year, month - 1 - months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

export const STATE_NAMES: Record<CoverageState, string> = { none: 'chưa có số liệu', stale: 'số liệu cũ', current: 'còn hiệu lực' };

export function latestText(row: CoverageRow): string {
  if (!row.latest) return '';
  const count = row.latest.met !== null ? `${row.latest.met}/${row.latest.total ?? '?'}` : '?';
  return `${LEVEL_NAMES[row.latest.level] ?? row.latest.level} ${count}`;
}
