import type { DocumentContext } from '../context/document-context.js';
import type { Level, Target } from '../statement.js';
import { commonFields, type Draft } from '../statement-builder.js';
import { levelNamedIn } from '../tokens/levels.js';
import { readName, readNameList, type PlaceMention } from '../tokens/places.js';

/** "phấn đấu … 03 xã đạt chuẩn nông thôn mới nâng cao, bao gồm các xã: A, B, C". */
const COUNTED_GOAL = /(?<!\d\s?[.,/-]?\s?)(\d{1,3})\s+xa\s+(?:([^\s,;.()]+(?:\s+[^\s,;.()]+){0,3})\s+)??dat\s+chuan\b((?:\s+(?:nong\s+thon\s+moi|ntm))?(?:\s+(?:nang\s+cao|kieu\s+mau))?)/g;
/** "xây dựng xã Chi Lăng đạt chuẩn NTM kiểu mẫu", "xã X phấn đấu đạt chuẩn NTM năm 2024". */
const NAMED_GOAL = /\b(?:xay\s+dung\s+xa\s+([^\s,;.()]+(?:\s+[^\s,;.()]+){0,3}?)|xa\s+([^\s,;.()]+(?:\s+[^\s,;.()]+){0,3}?)\s+phan\s+dau)\s+dat\s+chuan\b((?:\s+(?:xa\s+)?(?:nong\s+thon\s+moi|ntm))?(?:\s+(?:nang\s+cao|kieu\s+mau))?)/g;
const GOAL_CUE = /\b(?:phan\s+dau|muc\s+tieu|du\s+kien|duoc\s+giao|ke\s+hoach)\b/;
/** What may introduce the names after a goal: "(xã A)", ", bao gồm các xã: A, B", ": A, B". */
const NAMES_AFTER = /^\s*(?:,?\s*(?:bao\s+gom|gom)\s*(?:cac\s+xa|xa)?\s*:?|\(\s*(?:cac\s+)?(?:xa\s+)?|:\s*(?:cac\s+)?(?:xa\s+)?)\s*/;

/**
 * Goals in plans and notices: a target is never a status, whatever verb it uses. A goal sentence
 * is one with a goal word before the commune count, or a "xây dựng xã X đạt chuẩn" phrase.
 */
export function targets(context: DocumentContext): Array<Draft<Target>> {
  return [...countedGoals(context), ...namedGoals(context)];
}

function countedGoals(context: DocumentContext): Array<Draft<Target>> {
  const found: Array<Draft<Target>> = [];
  for (const match of context.fold.matchAll(COUNTED_GOAL)) {
    const start = match.index + (match[0].length - match[0].trimStart().length);
    const sentence = context.sentenceAt(start);
    if (!GOAL_CUE.test(context.fold.slice(sentence.start, start))) continue;
    let end = match.index + match[0].length;
    const communes: string[] = [];
    if (match[2]) {
      const inline = readName(context.nfc, context.fold, start + match[0].indexOf(match[2]));
      if (inline) communes.push(inline.name);
    }
    const intro = NAMES_AFTER.exec(context.fold.slice(end, end + 40));
    const listed = intro ? readNameList(context.nfc, context.fold, end + intro[0].length) : null;
    if (listed) {
      communes.push(...listed.names);
      end = listed.end + (context.fold[listed.end] === ')' ? 1 : 0);
    }
    found.push(goal(context, start, end, levelNamedIn(match[3] ?? '') ?? 'ntm', Number(match[1]), communes, 'target.counted_communes'));
  }
  return found;
}

function namedGoals(context: DocumentContext): Array<Draft<Target>> {
  const found: Array<Draft<Target>> = [];
  for (const match of context.fold.matchAll(NAMED_GOAL)) {
    const nameText = match[1] ?? match[2] ?? '';
    const nameStart = match.index + match[0].indexOf(nameText);
    const name = readName(context.nfc, context.fold, nameStart);
    if (!name) continue;
    const joined = match[2] ? communesJoinedBefore(context, match.index) : [];
    const start = joined[0]?.start ?? match.index;
    const communes = [...joined.map((mention) => mention.names[0] ?? ''), name.name];
    found.push(goal(context, start, match.index + match[0].length, levelNamedIn(match[3] ?? '') ?? 'ntm', null, communes, 'target.named_commune'));
  }
  return found;
}

/** "xã Tú Xuyên và xã Hữu Lễ phấn đấu …": the communes joined to the one just before the goal verb. */
function communesJoinedBefore(context: DocumentContext, position: number): PlaceMention[] {
  const joined: PlaceMention[] = [];
  let edge = position;
  for (const mention of [...context.mentions].reverse()) {
    if (mention.end > edge) continue;
    if (mention.level !== 'commune' || mention.plural || !/^\s*(?:,|va)\s*$/.test(context.fold.slice(mention.end, edge))) break;
    joined.unshift(mention);
    edge = mention.start;
  }
  return joined;
}

function goal(context: DocumentContext, start: number, end: number, level: Level, count: number | null, communes: string[], rule: string): Draft<Target> {
  return {
    kind: 'target', year: goalYear(context, start, end), count, communes,
    ...commonFields(context, { start, end, commune: communes.length === 1 ? communes[0] ?? null : null, level, rule, confidence: 0.85 }),
    assessment: null, // a goal is nobody's assessment
  };
}

/** The year a goal is for: "đến hết năm 2025", a "Năm 2024:" label, else the nearest "năm YYYY" before it. */
function goalYear(context: DocumentContext, start: number, end: number): number | null {
  const sentence = context.sentenceAt(start);
  const lead = context.fold.slice(sentence.start, start);
  const tail = context.fold.slice(end, sentence.end);
  const years = [...lead.matchAll(/\bnam\s+(\d{4})\b/g)].map((match) => Number(match[1]));
  const year = years.at(-1) ?? Number(/^[^;]*?\bnam\s+(\d{4})\b/.exec(tail)?.[1] ?? NaN);
  return Number.isFinite(year) ? year : context.documentYear;
}
