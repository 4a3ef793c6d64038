import type { DocumentContext } from '../context/document-context.js';
import { groupEndingAt, groupOpenedBetween, LIST_OPENER, readCommuneGroup, type CommuneGroup, type NameLexicon } from '../tokens/commune-groups.js';
import { countWordValue } from '../tokens/numbers.js';
import type { StatusPhrase } from './status-phrases.js';

/** How the communes a count belongs to were found; the later, the less sure. */
export type GroupSource = 'names_before' | 'list_after' | 'earlier_list';

export interface GroupSubject {
  group: CommuneGroup;
  source: GroupSource;
}

/**
 * What may stand between a group of names and its count: "đều", "đã", "cơ bản", "hiện nay", a
 * comma, "được … đánh giá, thẩm định", "(" before a count in brackets.
 */
const BETWEEN_NAMES_AND_COUNT =
  /^[\s,-]*(?:-[^-.;]{1,80}-\s*)?(?:(?:deu|da|dang|cung|van|moi|chi|hien(?:\s+nay|\s+tai)?|nay|tiep\s+tuc|buoc\s+dau|co\s+ban|duoc\s+[^.;:]{0,60}?\b(?:danh\s+gia|tham\s+dinh|cong\s+nhan|xac\s+dinh)(?:\s*,\s*(?:danh\s+gia|tham\s+dinh))*)[\s,]+)*\(?\s*$/;
/** A count with no status word belongs only to a name written right before it. */
const NOTHING_BETWEEN = /^[ \t\u00a0]*[:(]?[ \t\u00a0]*$/;
/**
 * A count whose subject is several communes: "03 xã", "các xã trên", "hai xã này", "12/12 xã",
 * then words up to the count ("cơ bản", "đã được công nhận đạt chuẩn").
 */
const PLURAL_SUBJECT =
  /(?:\b(cac|nhung|mot|hai|ba|bon|sau|bay|tam|chin|muoi)|(?<![\d/.,])(\d{1,3})(?:\s*\/\s*(\d{1,3}))?)\s+xa\b(?:\s*,\s*(?:phuong|thi\s+tran))?(\s+(?:nay|tren|noi\s+tren|do))?[^.;:()]{0,70}$/;
/** A sentence that goes on with the names: "Cụ thể, các xã … gồm có: …", "Đó là các xã …". */
const NAMES_FOLLOW = /^\s*(?:cu\s+the|trong\s+do|do\s+la|gom|bao\s+gom|danh\s+sach)\b/;
/** How far back an earlier list of names is looked for ("6 xã này đều đạt …"). */
const ANAPHORA_WINDOW = 1200;

/**
 * The communes a counting phrase is about when they are written as a group: names right before
 * it, a list after a plural subject ("có 03 xã đạt 19/19 tiêu chí, gồm: …"), or the list an
 * anaphor points back to ("Các xã trên đã hoàn thành 19 tiêu chí"). Null when the phrase is about
 * one commune named the usual way, or about no commune.
 */
export function groupSubject(
  context: DocumentContext,
  lexicon: NameLexicon,
  phrase: StatusPhrase,
  clauseStart: number,
  nextPhraseStart: number,
): GroupSubject | null {
  const { fold, nfc } = context;
  const connector = phrase.verbless ? NOTHING_BETWEEN : BETWEEN_NAMES_AND_COUNT;
  const before = groupEndingAt(fold, nfc, lexicon, clauseStart, phrase.start, connector);
  if (before) return { group: before, source: 'names_before' };
  if (phrase.verbless) return null;

  const plural = PLURAL_SUBJECT.exec(fold.slice(clauseStart, phrase.start));
  if (!plural) return null;
  const stated = pluralCount(plural);
  const after = listAfter(context, lexicon, phrase.end, nextPhraseStart);
  if (after) return { group: after, source: 'list_after' };
  // An anaphor needs a size to check ("6 xã này", "12/12 xã") or a pointing word ("các xã trên").
  const pointing = Boolean(plural[4]);
  if (stated === null && !pointing) return null;
  const earlier = earlierList(context, lexicon, clauseStart, stated);
  return earlier ? { group: earlier, source: 'earlier_list' } : null;
}

/** "03 xã" → 3, "hai xã" → 2, "12/12 xã" → 12; "3/17 xã" is a share, never a group's size (-1); "các xã" null. */
function pluralCount(match: RegExpExecArray): number | null {
  if (match[1]) return countWordValue(match[1]);
  if (match[3] && match[3] !== match[2]) return -1; // a share of the communes: never a group's size
  return match[2] ? Number(match[2]) : null;
}

/**
 * The list after a count, in its clause ("…, gồm: A, B"), or in the next sentence when that goes
 * on with the names ("… 19/19 tiêu chí. Cụ thể, các xã …, gồm có: A, B (huyện X)").
 */
export function listAfter(context: DocumentContext, lexicon: NameLexicon, end: number, nextStart: number): CommuneGroup | null {
  const { fold, nfc } = context;
  const sentence = context.sentenceAt(end);
  let limit = Math.min(sentence.end, nextStart, end + 320);
  const semicolon = fold.indexOf(';', end);
  if (semicolon >= 0) limit = Math.min(limit, semicolon);
  const found = groupOpenedBetween(fold, nfc, lexicon, end, limit);
  if (found) return found;
  if (limit !== sentence.end || nextStart < sentence.end) return null;
  const next = context.sentenceAt(sentence.end + 1);
  if (!NAMES_FOLLOW.test(fold.slice(sentence.end + 1, sentence.end + 40))) return null;
  return groupOpenedBetween(fold, nfc, lexicon, sentence.end + 1, Math.min(next.end, sentence.end + 240));
}

/**
 * The last list of communes before `position` whose size is `size` (any of two or more when
 * null). Lists written one after another in a sentence ("2 xã A và B đạt chuẩn NTM, xã C đạt
 * chuẩn NTM nâng cao") count together when only together they have the size.
 */
function earlierList(context: DocumentContext, lexicon: NameLexicon, position: number, size: number | null): CommuneGroup | null {
  if (size !== null && size < 1) return null;
  const from = Math.max(0, position - ANAPHORA_WINDOW);
  const window = context.fold.slice(from, position);
  const groups: CommuneGroup[] = [];
  const openers = [
    ...window.matchAll(LIST_OPENER),
    ...window.matchAll(/\b(?:cong\s+nhan|cac|gom|hai|ba|bon|\d{1,2})\s+(?=(?:xa|phuong|thi\s+tran)\b)|[,;]\s*(?=(?:xa|phuong|thi\s+tran)\b)/g),
  ];
  for (const opener of openers) {
    const start = from + opener.index + opener[0].length;
    const group = readCommuneGroup(context.fold, context.nfc, lexicon, start, { expected: true, limit: position });
    if (group && group.start - start <= 2 && !groups.some((other) => other.start <= group.start && group.end <= other.end)) groups.push(group);
  }
  groups.sort((a, b) => a.start - b.start);
  const fits = (group: CommuneGroup) => (size === null ? group.items.length >= 2 : group.items.length === size);
  let best: CommuneGroup | null = null;
  for (const [index, group] of groups.entries()) {
    if (fits(group) && (!best || group.end > best.end)) best = group;
    const next = groups[index + 1];
    if (size !== null && next && context.sentenceAt(group.start).end >= next.end) {
      const joined = { items: [...group.items, ...next.items], start: group.start, end: next.end };
      if (fits(joined) && (!best || joined.end > best.end)) best = joined;
    }
  }
  return best;
}
