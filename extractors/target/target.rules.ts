import { GOAL_CUE, type DocumentContext } from '../context/document-context.js';
import type { Level, Target } from '../statement.js';
import { commonFields, type Draft } from '../statement-builder.js';
import { levelNamedIn } from '../tokens/levels.js';
import { foldPhrase } from '../text/match-view.js';
import { readName, readNameList, type PlaceMention } from '../tokens/places.js';

const LEVEL_WORDS = String.raw`((?:\s+(?:xa\s+)?(?:nong\s+thon\s+moi|ntm))?(?:\s+(?:nang\s+cao|kieu\s+mau))?)`;
/** "03 xã đạt chuẩn nông thôn mới nâng cao", "01 xã Hoàng Văn Thụ đạt chuẩn NTM kiểu mẫu". */
const COUNTED_GOAL = new RegExp(
  String.raw`(?<!\d\s?[.,/-]?\s?)(\d{1,3})\s+xa\s+(?:([^\s,;.():]+(?:\s+[^\s,;.():]+){0,3})\s+)??dat\s+chuan\b` + LEVEL_WORDS,
  'g',
);
/** "xây dựng xã Chi Lăng đạt chuẩn NTM kiểu mẫu": a goal by its verb, wherever it stands. */
const BUILD_GOAL = new RegExp(String.raw`\bxay\s+dung\s+xa\s+([^\s,;.():]+(?:\s+[^\s,;.():]+){0,3}?)\s+dat\s+chuan\b` + LEVEL_WORDS, 'g');
/** "xã Tú Xuyên và xã Hữu Lễ phấn đấu đạt chuẩn NTM", "02 xã Tú Xuyên, Hữu Lễ phấn đấu đạt chuẩn". */
const STRIVE_GOAL = new RegExp(String.raw`\bphan\s+dau\s+(?:de\s+)?dat\s+chuan\b` + LEVEL_WORDS, 'g');
/** In a goal sentence: "…, xã Chi Lăng đạt chuẩn NTM kiểu mẫu năm 2022". */
const NAMED_IN_GOAL_SENTENCE = new RegExp(String.raw`\bxa\s+([^\s,;.():]+(?:\s+[^\s,;.():]+){0,3}?)\s+dat\s+chuan\b` + LEVEL_WORDS, 'g');
/** What may introduce the names after a counted goal: "(xã A)", ", bao gồm các xã: A, B", ": A, B", "là xã A và xã B". */
const NAMES_AFTER =
  /^\s*(?:,?\s*(?:bao\s+gom|gom)\s*(?:cac\s+xa|xa)?\s*:?|\(\s*(?:cac\s+)?(?:xa\s+)?|:\s*(?:cac\s+)?(?:xa\s+)?|,?\s*la\s+(?:cac\s+)?(?:xa\s+)?)\s*/;

/**
 * Goals in plans and notices: a target is never a status, whatever verb it uses. Every phrase
 * here states a goal by its own words, or stands in a sentence that a goal word opens.
 */
export function targets(context: DocumentContext): Array<Draft<Target>> {
  const found: Array<Draft<Target>> = [];
  const add = (target: Draft<Target> | null) => {
    const span = target?.citations[0];
    const overlaps = found.some((other) => {
      const seen = other.citations[0];
      return seen && span && seen.page === span.page && seen.start < span.end && span.start < seen.end;
    });
    if (target && !overlaps) found.push(target);
  };
  for (const match of context.fold.matchAll(COUNTED_GOAL)) add(countedGoal(context, match));
  for (const match of context.fold.matchAll(BUILD_GOAL)) add(namedGoal(context, match.index, match, [match[1] ?? ''], 'target.build_commune'));
  for (const match of context.fold.matchAll(STRIVE_GOAL)) add(striveGoal(context, match));
  for (const match of context.fold.matchAll(NAMED_IN_GOAL_SENTENCE)) {
    if (goalWordBefore(context, match.index) && !/\b(?:da|duoc(?:\s+cong\s+nhan)?)\s*$/.test(context.fold.slice(Math.max(0, match.index - 20), match.index))) {
      add(namedGoal(context, match.index, match, [match[1] ?? ''], 'target.named_in_goal_sentence'));
    }
  }
  return found.sort((a, b) => (a.citations[0]?.start ?? 0) - (b.citations[0]?.start ?? 0));
}

function goalWordBefore(context: DocumentContext, position: number): boolean {
  const sentence = context.sentenceAt(position);
  return new RegExp(GOAL_CUE.source).test(context.fold.slice(sentence.start, position));
}

function countedGoal(context: DocumentContext, match: RegExpExecArray): Draft<Target> | null {
  const start = match.index + (match[0].length - match[0].trimStart().length);
  if (!goalWordBefore(context, start)) return null;
  let end = match.index + match[0].length;
  const communes: string[] = [];
  if (match[2]) {
    const inline = readName(context.nfc, context.fold, start + match[0].trimStart().indexOf(match[2]));
    if (inline) communes.push(inline.name);
  }
  const intro = NAMES_AFTER.exec(context.fold.slice(end, end + 40));
  const listed = intro ? readNameList(context.nfc, context.fold, end + intro[0].length) : null;
  if (listed) {
    communes.push(...listed.names);
    end = listed.end + (context.fold[listed.end] === ')' ? 1 : 0);
  }
  return goal(context, start, end, levelNamedIn(match[3] ?? '') ?? 'ntm', Number(match[1]), communes, 'target.counted_communes');
}

function namedGoal(context: DocumentContext, start: number, match: RegExpExecArray, nameTexts: string[], rule: string): Draft<Target> | null {
  const names = nameTexts.flatMap((text) => readName(context.nfc, context.fold, start + match[0].indexOf(text))?.name ?? []);
  if (names.length === 0) return null;
  return goal(context, start, match.index + match[0].length, levelNamedIn(match[match.length - 1] ?? '') ?? 'ntm', null, names, rule);
}

/** The communes that "phấn đấu": the mention just before it, and those joined to it by "và" or commas. */
function striveGoal(context: DocumentContext, match: RegExpExecArray): Draft<Target> | null {
  const joined = communesJoinedBefore(context, match.index);
  if (joined.length === 0) return null;
  const communes = joined.flatMap((mention) => mention.names);
  const first = joined[0]?.start ?? match.index;
  // Cite "02 xã A, B" from its count.
  const count = /(?:\d{1,2}|cac|nhung)\s*$/.exec(context.fold.slice(Math.max(0, first - 8), first));
  return goal(
    context,
    first - (count?.[0].length ?? 0),
    match.index + match[0].length,
    levelNamedIn(match[1] ?? '') ?? 'ntm',
    joined.length === 1 && joined[0]?.plural ? communes.length : null,
    communes,
    'target.communes_strive',
  );
}

function communesJoinedBefore(context: DocumentContext, position: number): PlaceMention[] {
  const joined: PlaceMention[] = [];
  let edge = position;
  for (let index = context.mentions.lastIndexEndingBefore(position); index >= 0; index -= 1) {
    const mention = context.mentions.all[index];
    if (!mention) break;
    const gap = context.fold.slice(mention.end, edge);
    if (mention.level !== 'commune' || !(joined.length === 0 ? /^\s*$/ : /^\s*(?:,|va)\s*$/).test(gap)) break;
    joined.unshift(mention);
    edge = mention.start;
  }
  return joined;
}

function goal(context: DocumentContext, start: number, end: number, level: Level, count: number | null, communes: string[], rule: string): Draft<Target> {
  return {
    kind: 'target',
    year: goalYear(context, start, end),
    count,
    communes,
    ...commonFields(context, { start, end, commune: communes.length === 1 ? (communes[0] ?? null) : null, level, rule, confidence: 0.85 }),
    assessment: null, // a goal is nobody's assessment
  };
}

/**
 * The year a goal is for: the nearest "năm YYYY" before it in its sentence ("Năm 2024:", "đến hết
 * năm 2025"), else one after it in its clause, else the end of the period in the document's
 * title ("giai đoạn 2023-2025"); unknown otherwise.
 */
function goalYear(context: DocumentContext, start: number, end: number): number | null {
  const sentence = context.sentenceAt(start);
  const lead = context.fold.slice(sentence.start, start);
  const before = [...lead.matchAll(/\bnam\s+(\d{4})\b/g)].at(-1)?.[1];
  const after = /^[^;]*?\bnam\s+(\d{4})\b/.exec(context.fold.slice(end, sentence.end))?.[1];
  const period = /giai\s+doan\s+\d{4}\s*-\s*(\d{4})/.exec(foldPhrase(context.metadata.title?.value ?? ''))?.[1];
  const year = Number(before ?? after ?? period ?? NaN);
  return Number.isFinite(year) ? year : null;
}
