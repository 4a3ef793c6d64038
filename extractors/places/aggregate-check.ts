import type { CommuneCount, DistrictAggregate, Flag, Statement } from '../statement.js';
import type { PageSpan } from '../text/document-text.js';
import { dateRange, type DocumentScope } from './document-scope.js';

const QUOTES_PER_FLAG = 8;

/**
 * `aggregate_mismatch`: a district's stated average of criteria per xã against the counts the
 * same document gives for its communes, checked only when it gives a count for every xã the
 * gazetteer lists in that district at that date (thị trấn and phường are not assessed).
 *
 * Rounding rule: an average written with d decimals is consistent with the communes' total S
 * over n xã when S / n rounds **or** truncates to it — S / n in [v − ½·10⁻ᵈ, v + 10⁻ᵈ). A commune
 * given several counts (a self-assessment and an inspection's) is consistent if any of its
 * counts makes the average fit. Only the same level, criteria set and as-of date are compared.
 *
 * Linear in the statements: counts and groups are indexed once, and averages that state the
 * same figure for the same district and date share one check and one flag.
 */
export function aggregateMismatches(statements: readonly Statement[], scope: DocumentScope): Flag[] {
  const counts = new Map<string, CommuneCount[]>();
  const groups = new Map<string, DistrictAggregate[]>();
  const averages = new Map<string, DistrictAggregate[]>();
  for (const statement of statements) {
    const key = `${statement.level}|${statement.criteriaSet}|${statement.asOf}`;
    if (statement.kind === 'commune_count' && statement.units?.commune?.code) push(counts, `${statement.units.commune.code}|${key}`, statement);
    if (statement.kind !== 'district_aggregate' || !statement.units?.district?.code) continue;
    if (statement.metric === 'communes_with_n_criteria') push(groups, `${statement.units.district.code}|${statement.asOf}`, statement);
    if (statement.metric === 'average_criteria_per_commune') push(averages, `${statement.units.district.code}|${key}|${statement.value}`, statement);
  }
  return [...averages.values()].flatMap((same) => {
    const flag = checkAverage(same, counts, groups, scope);
    return flag ? [flag] : [];
  });
}

function checkAverage(
  same: DistrictAggregate[],
  counts: Map<string, CommuneCount[]>,
  groups: Map<string, DistrictAggregate[]>,
  scope: DocumentScope,
): Flag | null {
  const [average] = same;
  const district = average?.units?.district;
  if (!average || !district?.code) return null;
  const range = dateRange(average.asOf) ?? scope.range;
  const communes = scope.gazetteer.childrenOf(district.code, range).filter((unit) => unit.type === 'xã');
  if (communes.length === 0) return null;
  const key = `${average.level}|${average.criteriaSet}|${average.asOf}`;
  const perCommune = communes.map((unit) => ({ unit, counts: counts.get(`${unit.code}|${key}`) ?? [] }));
  if (perCommune.some((entry) => entry.counts.length === 0)) return null; // not every xã is given a count

  const n = communes.length;
  const values = perCommune.map((entry) => [...new Set(entry.counts.map((count) => count.met))].sort((a, b) => a - b));
  const least = values.reduce((sum, list) => sum + (list[0] ?? 0), 0);
  const most = values.reduce((sum, list) => sum + (list.at(-1) ?? 0), 0);
  const decimals = (String(average.value).split('.')[1] ?? '').length;
  const unit = 10 ** -decimals;
  const lower = average.value - unit / 2;
  const upper = average.value + unit;
  const epsilon = 1e-9;
  if (least / n < upper - epsilon && most / n >= lower - epsilon) return null;

  const neededFrom = Math.ceil(lower * n - epsilon);
  const neededTo = Math.ceil(upper * n - epsilon) - 1;
  const total =
    least === most
      ? `${least} criteria, ${(least / n).toFixed(2)} per xã`
      : `${least}–${most} criteria, ${(least / n).toFixed(2)}–${(most / n).toFixed(2)} per xã`;
  const listed = perCommune.map((entry, index) => `${entry.counts[0]?.place.commune ?? entry.unit.name} ${(values[index] ?? []).join(' or ')}`).join(', ');
  const needed = neededFrom === neededTo ? `${neededFrom}` : `${neededFrom} to ${neededTo}`;
  const label = `${scope.gazetteer.unit(district.code)?.type ?? 'huyện'} ${district.name}`;
  const message =
    `${label}: the stated average of ${average.value} criteria per xã disagrees with the counts this document gives for all ${n} xã of the district ` +
    `(gazetteer, ${average.asOf ?? 'undated'}): they add up to ${total}; rounded or truncated to ${decimals} decimal(s), ${average.value} needs ${needed} in all. ` +
    `Either a commune's count or the average is wrong. Counts: ${listed}.`;
  const involved = perCommune.flatMap((entry) => entry.counts);
  // Quote the groups that list the communes ("Số xã đạt 10 tiêu chí 04 xã: …") rather than every commune.
  const listing = groups.get(`${district.code}|${average.asOf}`) ?? [];
  const quotes: PageSpan[] = [
    ...average.citations.slice(0, 1),
    ...(listing.length > 0 ? listing : involved).slice(0, QUOTES_PER_FLAG).flatMap((s) => s.citations.slice(0, 1)),
  ].slice(0, QUOTES_PER_FLAG);
  return { type: 'aggregate_mismatch', message, statements: [...same, ...involved].map((s) => s.index).sort((a, b) => a - b), evidence: quotes };
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
