import type { DocumentContext } from '../context/document-context.js';
import type { AggregateScope, CommuneCount, DistrictAggregate, Level } from '../statement.js';
import { commonFields, type Draft } from '../statement-builder.js';
import { criteriaSetFor } from '../criteria-sets/criteria-sets.js';
import { listAfter } from '../status-phrase/phrase-groups.js';
import type { NameLexicon } from '../tokens/commune-groups.js';
import { parseVietnameseNumber } from '../tokens/numbers.js';
import { levelNamedIn } from '../tokens/levels.js';
import { readNameList } from '../tokens/places.js';

/**
 * "13,43 tiêu chí/xã", "11,5 tiêu chí/1 xã": an average, whether or not "bình quân" is written
 * ("toàn tỉnh đạt 13,5 tiêu chí/xã"); a change ("tăng 0,6 tiêu chí/xã") is not one.
 */
const AVERAGE = /(?<![\d.,/-]\s?)(\d{1,2}(?:[.,]\d{1,2})?)\s*tieu\s+chi\s*\/\s*(?:1\s+)?xa\b/g;
const CHANGE_BEFORE =
  /\b(?:tang|giam|them|hon|nhieu\s+hon|it\s+hon|tu(?:\s+\d{1,2}(?:[.,]\d{1,2})?\s+den)?|den)\s+(?:(?:binh\s+quan|trung\s+binh|khoang|gan|hon)\s+)?$/;
/**
 * "10/21 xã đạt chuẩn nông thôn mới", "13 xã được công nhận đạt chuẩn NTM", "8/22 xã cán đích",
 * "15/30 xã được UBND TP Hà Nội công nhận xã đạt chuẩn", "15 xã của huyện X đã đạt chuẩn".
 * Between "xã" and the verb: no count, no "tiêu chí", no clause break.
 */
const MEETING_STANDARD =
  /(?<!\d\s?[.,/-]?\s?)(\d{1,3})(?:\s*\/\s*(\d{1,3}))?\s+xa\b\)?((?:(?!\d|tieu\s+chi|\b(?:chua|khong|dang\s+ky|ke\s+hoach|con\s+lai|phan\s+dau|du\s+kien|se|can)\b)[^.;:()]){0,70}?)\b(?:dat\s+chuan|can\s+dich|ve\s+dich)\b((?:\s+(?:xa\s+)?(?:nong\s+thon\s+moi|ntm))?(?:\s+(?:nang\s+cao|kieu\s+mau))?)/g;
/** "100% xã đạt chuẩn (7/7 xã)": the share, then the count in brackets. */
const SHARE_THEN_COUNT =
  /\b100\s*%\s*(?:so\s+)?xa\b[^.;()]{0,60}?\bdat\s+chuan\b((?:\s+(?:nong\s+thon\s+moi|ntm))?(?:\s+(?:nang\s+cao|kieu\s+mau))?)\s*\(\s*(\d{1,3})\s*\/\s*(\d{1,3})\s+xa\s*\)/g;
/** "Số xã đạt 19 tiêu chí 03 xã: A, B, C" and "03 xã đạt 19 tiêu chí gồm: A, B, C". */
const WITH_N_CRITERIA = [
  /\bso\s+xa\s+dat\s+(\d{1,2})\s+tieu\s+chi\s*:?\s*(?:co\s+|la\s+)?(\d{1,3})\s+xa\s*,?\s*(?::|\(|(?:bao\s+)?gom\s*:?|la\s*:?)\s*(?:cac\s+xa\s*:?\s*)?(?:xa\s+)?/g,
  /(?<!\d\s?[.,/-]?\s?)(\d{1,3})\s+xa\s+dat\s+(\d{1,2})(?:\s*\/\s*\d{1,2})?\s+tieu\s+chi\s*(?::|\(|,?\s*(?:bao\s+)?gom(?:\s+cac\s+xa)?\s*:?)\s*(?:xa\s+)?/g,
];
/** "trong đó có 10 xã đạt 19/19 tiêu chí": how many communes have a count, with no names. */
const COUNT_OF_COMMUNES = /(?:\b(?:co|con)\s+|[;,]\s*)(\d{1,3})(?:\s*\/\s*(\d{1,3}))?\s+xa\s+(?:da\s+)?dat\s+(\d{1,2})(?:\s*\/\s*(\d{1,2}))?\s+tieu\s+chi\b/g;
/** Words that show a count covers a whole area rather than a group of communes. */
const WHOLE_AREA =
  /\b(?:toan|ca|tren\s+dia\s+ban)\s+(?:huyen|tinh|thi\s+xa|thanh\s+pho|nuoc)\b|\btoan\s+(?:bo|quoc)\b|\b(?:huyen|tinh|thi\s+xa|thanh\s+pho|tp|tx)\b/;
/** The last word in a lead that names what a figure covers. */
const SCOPE_WORD = /\b(?:(ca\s+nuoc|toan\s+quoc)|(tinh)|(huyen|thi\s+xa|thanh\s+pho|tp|tx))\b/g;
const LOCATING_PROVINCE = /\b(?:huyen|thi\s+xa|thanh\s+pho|tp|tx)\s+[^,.;()]{1,30}[,(-]\s*$/;
/** Districts have at most a few dozen communes; a larger "of" is a province's. */
const LARGEST_DISTRICT = 60;

export function districtAggregates(context: DocumentContext, lexicon: NameLexicon): Array<Draft<DistrictAggregate | CommuneCount>> {
  return [...averages(context), ...communesMeetingStandard(context, lexicon), ...communesWithNCriteria(context), ...countsOfCommunes(context)];
}

/** A goal word earlier in the sentence makes every count after it part of the goal. */
function inGoal(context: DocumentContext, position: number): boolean {
  const sentence = context.sentenceAt(position);
  return /\b(?:phan\s+dau|muc\s+tieu|du\s+kien|duoc\s+giao|ke\s+hoach)\b/.test(context.fold.slice(sentence.start, position));
}

/**
 * Whose figure this is: the last of "tỉnh", "huyện / thị xã / thành phố", "cả nước" written
 * before it in its sentence, else in the text just before; a total of communes no district has
 * is a province's. "thành phố" before a province-level city ("TP Hà Nội") is read as a district
 * only when nothing closer says otherwise.
 */
export function aggregateScope(context: DocumentContext, start: number, of: number | null): AggregateScope {
  if (of !== null && of > LARGEST_DISTRICT) return 'province';
  const sentence = context.sentenceAt(start);
  const found =
    lastScopeWord(context.fold.slice(sentence.start, start)) ?? lastScopeWord(context.fold.slice(Math.max(0, sentence.start - 300), sentence.start));
  return found ?? 'district';
}

function lastScopeWord(lead: string): AggregateScope | null {
  let scope: AggregateScope | null = null;
  for (const match of lead.matchAll(SCOPE_WORD)) {
    // "huyện Quảng Ninh, tỉnh Quảng Bình đã đạt …": the province only locates the district.
    if (match[2] && scope === 'district' && LOCATING_PROVINCE.test(lead.slice(Math.max(0, match.index - 40), match.index))) continue;
    scope = match[1] ? 'national' : match[2] ? 'province' : 'district';
  }
  return scope;
}

function aggregate(
  context: DocumentContext,
  start: number,
  end: number,
  level: Level | null,
  rule: string,
  fields: Pick<DistrictAggregate, 'metric' | 'value' | 'of' | 'nCriteria' | 'communes'>,
  figureAt = start,
): Draft<DistrictAggregate> {
  const common = commonFields(context, { start, end, commune: null, level, rule, confidence: 0.9 });
  const scope = aggregateScope(context, figureAt, fields.of);
  // "15 xã của huyện X đã đạt chuẩn": the district named inside the figure is its own.
  const inside = context.mentions.within(start, end).find((mention) => mention.level === 'district' && !mention.plural);
  if (inside?.names[0]) common.place = { ...common.place, district: inside.names[0] };
  // A province's or the nation's figure belongs to no district (and the nation's to no province).
  const place = scope === 'district' ? common.place : { ...common.place, district: null, province: scope === 'national' ? null : common.place.province };
  return { kind: 'district_aggregate', scope, ...fields, ...common, place };
}

function averages(context: DocumentContext): Array<Draft<DistrictAggregate>> {
  const found: Array<Draft<DistrictAggregate>> = [];
  for (const match of context.fold.matchAll(AVERAGE)) {
    if (inGoal(context, match.index) || CHANGE_BEFORE.test(context.fold.slice(Math.max(0, match.index - 30), match.index))) continue;
    const value = parseVietnameseNumber(match[1] ?? '');
    if (!(value > 0 && value <= 20)) continue;
    // Cite from "bình quân" when the sentence says it close before.
    const lead = context.fold.slice(Math.max(context.sentenceAt(match.index).start, match.index - 80), match.index);
    const said = lead.lastIndexOf('binh quan');
    const start = said >= 0 ? match.index - lead.length + said : match.index;
    found.push(
      aggregate(
        context,
        start,
        match.index + match[0].length,
        'ntm',
        'district_aggregate.average',
        {
          metric: 'average_criteria_per_commune',
          value,
          of: null,
          nCriteria: null,
          communes: null,
        },
        match.index,
      ),
    );
  }
  return found;
}

function communesMeetingStandard(context: DocumentContext, lexicon: NameLexicon): Array<Draft<DistrictAggregate>> {
  const found: Array<Draft<DistrictAggregate>> = [];
  for (const match of context.fold.matchAll(MEETING_STANDARD)) {
    const start = match.index + (match[0].length - match[0].trimStart().length);
    const sentence = context.sentenceAt(start);
    const lead = context.fold.slice(Math.max(0, sentence.start - 300), start);
    // "toàn bộ 15 xã của huyện X đã đạt chuẩn": all of them.
    const all = /\btoan\s+bo\s*$/.test(context.fold.slice(Math.max(0, start - 12), start));
    let end = match.index + match[0].length;
    const outOf = /^\s*,?\s*(?:tren\s+)?tong\s+so\s+(\d{1,3})\s+xa\b/.exec(context.fold.slice(end, end + 40));
    end += outOf?.[0].length ?? 0;
    // "03 xã đạt chuẩn" alone may be a goal or a group; only a count over a whole area is an aggregate.
    const between = match[3] ?? '';
    if (/\bcac\s+huyen\b/.test(between)) continue; // "12 xã thuộc các huyện A, B, C": a group across districts
    if (
      inGoal(context, start) ||
      !(match[2] || outOf || all ? WHOLE_AREA.test(lead + between) : WHOLE_AREA.test(context.fold.slice(sentence.start, start) + between))
    )
      continue;
    const share = /^\s*,?\s*\(?\s*(?:chiem|dat)\s+(?:ty\s+le\s+)?\d{1,3}(?:[.,]\d{1,2})?\s*%[^()]{0,40}?\)?/.exec(context.fold.slice(end, end + 60));
    end += share?.[0].length ?? 0;
    const value = Number(match[1]);
    const of = match[2] ? Number(match[2]) : outOf ? Number(outOf[1]) : all ? value : null;
    const names = listAfter(context, lexicon, end, Math.min(context.nfc.length, end + 400));
    const communes = names && names.items.length === value ? names.items.map((item) => item.name) : null;
    found.push(
      aggregate(context, start, communes && names ? names.end : end, levelNamedIn(match[4] ?? '') ?? 'ntm', 'district_aggregate.communes_meeting_standard', {
        metric: 'communes_meeting_standard',
        value,
        of,
        nCriteria: null,
        communes,
      }),
    );
  }
  for (const match of context.fold.matchAll(SHARE_THEN_COUNT)) {
    if (inGoal(context, match.index)) continue;
    found.push(
      aggregate(context, match.index, match.index + match[0].length, levelNamedIn(match[1] ?? '') ?? 'ntm', 'district_aggregate.share_then_count', {
        metric: 'communes_meeting_standard',
        value: Number(match[2]),
        of: Number(match[3]),
        nCriteria: null,
        communes: null,
      }),
    );
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
        metric: 'communes_with_n_criteria',
        value,
        of: null,
        nCriteria,
        communes: names.names,
      });
      found.push(group);
      const total = (group.criteriaSet ? criteriaSetFor('ntm', group.asOf ?? context.documentDate)?.criteria.length : null) ?? 19;
      for (const commune of names.names) {
        found.push({
          kind: 'commune_count',
          met: nCriteria,
          total,
          ...commonFields(context, { start, end: names.end, commune, level: 'ntm', rule: 'commune_count.named_in_district_group', confidence: 0.8 }),
        });
      }
    }
  }
  return found;
}

/** "toàn huyện …, trong đó có 10 xã đạt 19/19 tiêu chí": a count of communes with no names after it. */
function countsOfCommunes(context: DocumentContext): Array<Draft<DistrictAggregate>> {
  const found: Array<Draft<DistrictAggregate>> = [];
  for (const match of context.fold.matchAll(COUNT_OF_COMMUNES)) {
    const start = match.index + match[0].indexOf(match[1] ?? '');
    const end = match.index + match[0].length;
    const sentence = context.sentenceAt(start);
    if (inGoal(context, start) || !WHOLE_AREA.test(context.fold.slice(sentence.start, start))) continue;
    if (/^\s*(?:,?\s*(?:bao\s+)?gom|la\b|:|\()/.test(context.fold.slice(end, end + 12))) continue; // names follow: a group
    const nCriteria = Number(match[3]);
    if (match[4] && Number(match[4]) < nCriteria) continue;
    found.push(
      aggregate(context, start, end, 'ntm', 'district_aggregate.count_of_communes', {
        metric: 'communes_with_n_criteria',
        value: Number(match[1]),
        of: match[2] ? Number(match[2]) : null,
        nCriteria,
        communes: null,
      }),
    );
  }
  return found;
}
