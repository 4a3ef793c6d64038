import type { StandingClaimsQueries, StandingCount, StandingCriterion, StatusQueries, UnitRow } from '../../db/index.js';
import { criteriaSetByCode } from '../../extractors/criteria-sets/criteria-sets.js';
import { sourceOf } from './source-label.js';

export const LEVEL_NAMES: Record<string, string> = { ntm: 'NTM', nang_cao: 'NTM nâng cao', kieu_mau: 'NTM kiểu mẫu' };
const LEVEL_ORDER = ['ntm', 'nang_cao', 'kieu_mau'];

/** One xã under one level and criteria set: the figures that stand, with their source. */
export interface StatusRow {
  stt: number;
  communeCode: string;
  communeName: string;
  districtName: string;
  level: string;
  met: number | null;
  total: number | null;
  /** Criteria not met, "2 Giao thông", in the set's numbering. */
  unmet: string[];
  /** Criteria nearly met (cơ bản đạt). */
  near: string[];
  asOf: string | null;
  /** "file p.N" of the count, else of the criteria list. */
  source: string | null;
  flags: string[];
}

/** What an office writes under each district: how many xã, how many at standard, the average count. */
export interface Subtotal {
  communes: number;
  atStandard: number;
  /** Mean of the counts given, two decimals; null with no count. */
  averageMet: number | null;
}

export interface DistrictGroup {
  districtCode: string;
  title: string;
  rows: StatusRow[];
  subtotal: Subtotal;
}

/** One table per level and criteria set: a count under QĐ 1980/2016 is not one under QĐ 318/2022. */
export interface StatusSection {
  level: string;
  criteriaSet: string | null;
  title: string;
  groups: DistrictGroup[];
  total: Subtotal;
}

export interface StatusTable {
  area: string;
  asOf: string | null;
  sections: StatusSection[];
}

/** Cell text of the unmet column: unmet criteria, then the nearly met ones. */
export function unmetText(row: StatusRow): string {
  return [row.unmet.join('; '), row.near.length > 0 ? `cơ bản đạt: ${row.near.join('; ')}` : ''].filter(Boolean).join('; ');
}

export function subtotalText(subtotal: Subtotal): string {
  return `${subtotal.atStandard}/${subtotal.communes} xã đạt chuẩn`;
}

/**
 * The standard status table for the districts given (every district of a province, or the districts
 * of one name): one row per xã, level and criteria set from the claims that stand (now, or on `asOf`),
 * grouped by district with subtotals.
 */
export function buildStatusTable(claims: StandingClaimsQueries, units: StatusQueries, districts: UnitRow[], area: string, asOf?: string): StatusTable {
  const districtCodes = districts.map((district) => district.code);
  const counts = claims.counts({ districtCodes }, asOf);
  const criteria = claims.criteria({ districtCodes }, asOf);
  const statementIds = [...counts, ...criteria].flatMap((claim) => (claim.statementId === null ? [] : [claim.statementId]));
  const flagTypes = claims.flagTypes([...new Set(statementIds)]);

  // A row per commune × criteria set (× level, which the set implies), whether a count, a list or both stand.
  const keys = new Map<
    string,
    { communeCode: string; districtCode: string; level: string; criteriaSet: string | null; count?: StandingCount; criteria: StandingCriterion[] }
  >();
  const keyOf = (communeCode: string, level: string, set: string | null) => `${communeCode}|${level}|${set}`;
  for (const count of counts) {
    const level = count.level ?? criteriaSetByCode(count.criteriaSet ?? '')?.level ?? '?';
    keys.set(keyOf(count.communeCode, level, count.criteriaSet), {
      communeCode: count.communeCode,
      districtCode: count.districtCode ?? '',
      level,
      criteriaSet: count.criteriaSet,
      count,
      criteria: [],
    });
  }
  for (const claim of criteria) {
    const level = criteriaSetByCode(claim.criteriaSet ?? '')?.level ?? '?';
    const key = keyOf(claim.communeCode, level, claim.criteriaSet);
    const entry = keys.get(key) ?? {
      communeCode: claim.communeCode,
      districtCode: claim.districtCode ?? '',
      level,
      criteriaSet: claim.criteriaSet,
      criteria: [],
    };
    entry.criteria.push(claim);
    keys.set(key, entry);
  }

  const sections = new Map<string, StatusSection>();
  const unitNames = new Map<string, UnitRow | undefined>();
  for (const entry of keys.values()) {
    const sectionKey = `${entry.level}|${entry.criteriaSet}`;
    const section = sections.get(sectionKey) ?? {
      level: entry.level,
      criteriaSet: entry.criteriaSet,
      title: sectionTitle(entry.level, entry.criteriaSet),
      groups: [],
      total: emptySubtotal(),
    };
    sections.set(sectionKey, section);
    let group = section.groups.find((candidate) => candidate.districtCode === entry.districtCode);
    if (!group) {
      const district = districts.find((candidate) => candidate.code === entry.districtCode);
      group = {
        districtCode: entry.districtCode,
        title: district ? `${capitalise(district.type)} ${district.name}` : 'Huyện ?',
        rows: [],
        subtotal: emptySubtotal(),
      };
      section.groups.push(group);
    }
    if (!unitNames.has(entry.communeCode)) unitNames.set(entry.communeCode, units.unit(entry.communeCode));
    const unit = unitNames.get(entry.communeCode);
    const label = (number: number) => criterionLabel(entry.criteriaSet, number);
    const first = entry.criteria[0];
    const ids = [entry.count?.statementId, ...entry.criteria.map((claim) => claim.statementId)].flatMap((id) => (id === null || id === undefined ? [] : [id]));
    group.rows.push({
      stt: 0,
      communeCode: entry.communeCode,
      communeName: unit?.name ?? entry.count?.communeName ?? entry.communeCode,
      districtName: unit?.districtName ?? '',
      level: entry.level,
      met: entry.count?.met ?? null,
      total: entry.count?.total ?? null,
      unmet: entry.criteria.filter((claim) => claim.status === 'unmet').map((claim) => label(claim.criterion)),
      near: entry.criteria.filter((claim) => claim.status === 'near').map((claim) => label(claim.criterion)),
      asOf: entry.count?.asOf ?? first?.asOf ?? null,
      source: entry.count
        ? (sourceOf(entry.count.fileName, entry.count.page, entry.count.tableRow) ?? 'reviewer')
        : first
          ? (sourceOf(first.fileName, first.page, first.tableRow) ?? 'reviewer')
          : null,
      flags: [...new Set(ids.flatMap((id) => flagTypes.get(id) ?? []))].sort(),
    });
  }

  const ordered = [...sections.values()].sort(
    (a, b) => LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level) || String(b.criteriaSet).localeCompare(String(a.criteriaSet)),
  );
  for (const section of ordered) {
    section.groups.sort((a, b) => districtCodes.indexOf(a.districtCode) - districtCodes.indexOf(b.districtCode));
    let stt = 0;
    for (const group of section.groups) {
      group.rows.sort((a, b) => a.communeName.localeCompare(b.communeName, 'vi') || a.communeCode.localeCompare(b.communeCode));
      for (const row of group.rows) row.stt = ++stt;
      group.subtotal = subtotal(group.rows);
    }
    section.total = subtotal(section.groups.flatMap((group) => group.rows));
  }
  return { area, asOf: asOf ?? null, sections: ordered };
}

function subtotal(rows: StatusRow[]): Subtotal {
  const counted = rows.filter((row) => row.met !== null);
  const average = counted.length > 0 ? counted.reduce((sum, row) => sum + (row.met ?? 0), 0) / counted.length : null;
  return {
    communes: new Set(rows.map((row) => row.communeCode)).size,
    atStandard: new Set(rows.filter((row) => row.met !== null && row.total !== null && row.met >= row.total).map((row) => row.communeCode)).size,
    averageMet: average === null ? null : Math.round(average * 100) / 100,
  };
}

function emptySubtotal(): Subtotal {
  return { communes: 0, atStandard: 0, averageMet: null };
}

function sectionTitle(level: string, set: string | null): string {
  const criteriaSet = set ? criteriaSetByCode(set) : undefined;
  return `${LEVEL_NAMES[level] ?? level} — ${criteriaSet ? `${criteriaSet.title} (${criteriaSet.decision.split(' ngày')[0]})` : (set ?? 'bộ tiêu chí không rõ')}`;
}

function criterionLabel(set: string | null, number: number): string {
  const name = set ? criteriaSetByCode(set)?.criteria.find((criterion) => criterion.number === number)?.name : undefined;
  return name ? `${number} ${name}` : String(number);
}

function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);
}
