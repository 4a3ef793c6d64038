import type { DocumentContext } from '../context/document-context.js';
import type { CommuneCount, DistrictAggregate, Level } from '../statement.js';
import { commonFields, type Draft } from '../statement-builder.js';
import { criteriaSetFor } from '../criteria-sets/criteria-sets.js';
import { parseVietnameseNumber } from '../tokens/numbers.js';
import { levelNamedIn } from '../tokens/levels.js';
import { readNameList } from '../tokens/places.js';

/** "bình quân … đạt 13,43 tiêu chí/xã". */
const AVERAGE = /\bbinh\s+quan\b[^.;]{0,80}?(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)\s*tieu\s+chi\s*\/\s*xa\b/g;
/** "10/21 xã đạt chuẩn nông thôn mới, chiếm 47,6%" and "01 xã đạt chuẩn NTM nâng cao". */
const MEETING_STANDARD = /(?<!\d\s?[.,/-]?\s?)(\d{1,3})(?:\s*\/\s*(\d{1,3}))?\s+xa\s+(?:da\s+)?(?:duoc\s+(?:cong\s+nhan\s+)?)?dat\s+chuan\b((?:\s+(?:nong\s+thon\s+moi|ntm))?(?:\s+(?:nang\s+cao|kieu\s+mau))?)/g;
/** "Số xã đạt 19 tiêu chí 03 xã: A, B, C" and "03 xã đạt 19 tiêu chí gồm: A, B, C". */
const WITH_N_CRITERIA = [
  /\bso\s+xa\s+dat\s+(\d{1,2})\s+tieu\s+chi\s*:?\s*(?:co\s+|la\s+)?(\d{1,3})\s+xa\s*,?\s*(?::|\(|(?:bao\s+)?gom\s*:?|la\s*:?)\s*(?:cac\s+xa\s*:?\s*)?(?:xa\s+)?/g,
  /(?<!\d\s?[.,/-]?\s?)(\d{1,3})\s+xa\s+dat\s+(\d{1,2})(?:\s*\/\s*\d{1,2})?\s+tieu\s+chi\s*(?::|\(|,?\s*(?:bao\s+)?gom(?:\s+cac\s+xa)?\s*:?)\s*(?:xa\s+)?/g,
];
/** Words that show a count covers a whole district rather than a group of communes. */
const WHOLE_DISTRICT = /\b(?:toan\s+(?:huyen|tinh|thi\s+xa|thanh\s+pho)|tren\s+dia\s+ban\s+(?:huyen|tinh|thi\s+xa|thanh\s+pho)|ca\s+huyen)\b/;

export function districtAggregates(context: DocumentContext): Array<Draft<DistrictAggregate | CommuneCount>> {
  return [...averages(context), ...communesMeetingStandard(context), ...communesWithNCriteria(context)];
}

/** A goal word earlier in the sentence makes every count after it part of the goal. */
function inGoal(context: DocumentContext, position: number): boolean {
  const sentence = context.sentenceAt(position);
  return /\b(?:phan\s+dau|muc\s+tieu|du\s+kien|duoc\s+giao|ke\s+hoach\s+giao)\b/.test(context.fold.slice(sentence.start, position));
}

function aggregate(
  context: DocumentContext, start: number, end: number, level: Level | null, rule: string,
  fields: Pick<DistrictAggregate, 'metric' | 'value' | 'of' | 'nCriteria' | 'communes'>,
): Draft<DistrictAggregate> {
  const common = commonFields(context, { start, end, commune: null, level, rule, confidence: 0.9 });
  // "Toàn tỉnh có 85/181 xã …" is the province's figure: it belongs to no district.
  const sentence = context.sentenceAt(start);
  const provinceWide = /\b(?:toan|ca)\s+tinh\b|\btren\s+dia\s+ban\s+tinh\b/.test(context.fold.slice(sentence.start, start));
  return { kind: 'district_aggregate', ...fields, ...common, place: provinceWide ? { ...common.place, district: null } : common.place };
}

function averages(context: DocumentContext): Array<Draft<DistrictAggregate>> {
  const found: Array<Draft<DistrictAggregate>> = [];
  for (const match of context.fold.matchAll(AVERAGE)) {
    if (inGoal(context, match.index)) continue;
    const value = parseVietnameseNumber(match[1] ?? '');
    if (!(value > 0 && value <= 19)) continue;
    found.push(aggregate(context, match.index, match.index + match[0].length, 'ntm', 'district_aggregate.average', {
      metric: 'average_criteria_per_commune', value, of: null, nCriteria: null, communes: null,
    }));
  }
  return found;
}

function communesMeetingStandard(context: DocumentContext): Array<Draft<DistrictAggregate>> {
  const found: Array<Draft<DistrictAggregate>> = [];
  for (const match of context.fold.matchAll(MEETING_STANDARD)) {
    const start = match.index + (match[0].length - match[0].trimStart().length);
    const sentence = context.sentenceAt(start);
    const lead = context.fold.slice(sentence.start, start);
    // "03 xã đạt chuẩn" alone may be a goal or a group; only a district-wide count is an aggregate.
    if (inGoal(context, start) || (!match[2] && !WHOLE_DISTRICT.test(lead) && !/^\s*,?\s*(?:tren\s+)?tong\s+so/.test(context.fold.slice(match.index + match[0].length)))) continue;
    let end = match.index + match[0].length;
    // "… 12 xã đạt chuẩn NTM trên tổng số 18 xã", "…, chiếm 47,6%".
    const outOf = /^\s*,?\s*(?:tren\s+)?tong\s+so\s+(\d{1,3})\s+xa\b/.exec(context.fold.slice(end, end + 40));
    end += outOf?.[0].length ?? 0;
    const share = /^\s*,?\s*\(?\s*(?:chiem|dat)\s+(?:ty\s+le\s+)?\d{1,3}(?:[.,]\d{1,2})?\s*%\s*\)?/.exec(context.fold.slice(end, end + 40));
    end += share?.[0].length ?? 0;
    const of = match[2] ? Number(match[2]) : outOf ? Number(outOf[1]) : null;
    found.push(aggregate(context, start, end, levelNamedIn(match[3] ?? '') ?? 'ntm', 'district_aggregate.communes_meeting_standard', {
      metric: 'communes_meeting_standard', value: Number(match[1]), of, nCriteria: null, communes: null,
    }));
  }
  return found;
}

/** Each group also gives every commune it names a count: "Số xã đạt 16 tiêu chí 01 xã: Hữu Lễ". */
function communesWithNCriteria(context: DocumentContext): Array<Draft<DistrictAggregate | CommuneCount>> {
  const found: Array<Draft<DistrictAggregate | CommuneCount>> = [];
  for (const [index, pattern] of WITH_N_CRITERIA.entries()) {
    for (const match of context.fold.matchAll(pattern)) {
      const start = match.index + (match[0].length - match[0].trimStart().length);
      if (inGoal(context, start)) continue;
      const nCriteria = Number(index === 0 ? match[1] : match[2]);
      const value = Number(index === 0 ? match[2] : match[1]);
      const names = readNameList(context.nfc, context.fold, match.index + match[0].length);
      if (!names || nCriteria > 19) continue;
      const group = aggregate(context, start, names.end, 'ntm', 'district_aggregate.communes_with_n_criteria', {
        metric: 'communes_with_n_criteria', value, of: null, nCriteria, communes: names.names,
      });
      found.push(group);
      const total = (group.criteriaSet ? criteriaSetFor('ntm', group.asOf ?? context.documentDate)?.criteria.length : null) ?? 19;
      for (const commune of names.names) {
        found.push({
          kind: 'commune_count', met: nCriteria, total,
          ...commonFields(context, { start, end: names.end, commune, level: 'ntm', rule: 'commune_count.named_in_district_group', confidence: 0.8 }),
        });
      }
    }
  }
  return found;
}
