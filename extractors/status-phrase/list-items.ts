import { cleanName } from '../criteria-sets/criteria-sets.js';

/** A criteria list as written: numbered items, indicator codes, or names alone. */
export interface ParsedList {
  start: number;
  end: number;
  numbered: Array<{ number: number; name: string | null }>;
  indicators: string[];
  /** Pieces of a list of names without numbers ("Giao thông, Trường học"), resolved later. */
  names: string[];
  /** Introduced by "như": examples of the criteria, not all of them. */
  partial?: boolean;
}

export interface ListOptions {
  /** The list is inside "( … )": a closing parenthesis ends it. */
  inParentheses: boolean;
  /** The introducer said what the numbers are ("… tiêu chí số: 1, 3, 4"), so a bare first number is an item. */
  bareNumbers: boolean;
}

const MAX_ITEMS = 40;
const MAX_NAME = 140;

/** "Tiêu chí số 2", "số 3", "Tiêu chí (2)", "tiêu chí 10"; a bare number only after a separator. */
const CRITERION_START = /(?:cac\s+)?(tieu\s+chi\s*)?(so\s*)?(?:\(\s*(\d{1,2})\s*\)|(\d{1,2}))(?![\d/]|[.,]\d)/y;
/** "Các chỉ tiêu 13.2", "Chỉ tiêu số 17.4", or a bare code "17.1". */
const INDICATOR_START = /(?:(?:cac\s+)?chi\s+tieu\s*(?:so\s*)?)?(?=\d{1,2}\.\d{1,2}(?!\d))/y;
const INDICATOR_CODE = /(\d{1,2})\.(\d{1,2})(?!\d)/y;
/**
 * Between items: a comma, a semicolon or "và", each maybe followed by a new bulleted line; or
 * a bulleted line after a full stop or nothing at all.
 */
const SEPARATOR = /(?:\s*[,;]\s*(?:[-+•]\s+)?(?:va\s+)?|\s+va\s+|\s*\.?\s*\n\s*[-+•]\s*)/y;
const ITEM_AHEAD = /(?:cac\s+)?(?:tieu\s+chi|chi\s+tieu|so\s*\(?\s*\d)|\(\s*\d{1,2}\s*\)|\d{1,2}(?![\d/]|[.,]\d)|\d{1,2}\.\d{1,2}(?!\d)/y;
const LEADING = /\s*(?:[-+•]\s+)?/y;

function stickyMatch(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

/** Where the next item starts after a separator at `at`, or null when the list stops here. */
function nextItemAfterSeparator(fold: string, at: number): number | null {
  const separator = stickyMatch(SEPARATOR, fold, at);
  if (!separator) return null;
  const next = at + separator[0].length;
  return stickyMatch(ITEM_AHEAD, fold, next) ? next : null;
}

/**
 * Parses the list that starts at `start` (just after "gồm:", ":" or "("). Returns null when
 * nothing list-like is there, or when the items are headings of descriptive paragraphs
 * ("Tiêu chí số 2 - Giao thông: Tập trung đầu tư …"), which state no status.
 */
export function parseCriteriaList(fold: string, nfc: string, start: number, options: ListOptions): ParsedList | null {
  const list: ParsedList = { start, end: start, numbered: [], indicators: [], names: [] };
  let position = start + (stickyMatch(LEADING, fold, start)?.[0].length ?? 0);
  let first = true;
  while (list.numbered.length + list.indicators.length < MAX_ITEMS) {
    const indicator = stickyMatch(INDICATOR_START, fold, position);
    if (indicator) {
      const end = readIndicatorItem(fold, position + indicator[0].length, list.indicators);
      const stop = readNameUntilStop(fold, end, options.inParentheses);
      if (!stop || stop.descriptive) return null;
      position = stop.end;
    } else {
      const criterion = stickyMatch(CRITERION_START, fold, position);
      const hasKeyword = Boolean(criterion?.[1] || criterion?.[2] || criterion?.[3]);
      if (!criterion || (first && !hasKeyword && !options.bareNumbers)) break;
      const number = Number(criterion[3] ?? criterion[4]);
      const nameStart = position + criterion[0].length;
      const stop = readNameUntilStop(fold, nameStart, options.inParentheses);
      if (!stop || stop.descriptive) return null;
      const name = indicatorsInBrackets(fold, nameStart, list.indicators) ? '' : cleanName(nfc.slice(nameStart, stop.nameEnd));
      list.numbered.push({ number, name: name || null });
      position = stop.end;
    }
    list.end = position;
    first = false;
    const next = nextItemAfterSeparator(fold, position);
    if (next === null) break;
    position = next;
  }
  if (list.numbered.length === 0 && list.indicators.length === 0) return parseNameList(fold, nfc, start, options.inParentheses);
  return list;
}

/** "Tiêu chí số 17 (các chỉ tiêu 17.1 đến 17.6)": brackets that hold indicators rather than a name. */
function indicatorsInBrackets(fold: string, at: number, into: string[]): boolean {
  const open = stickyMatch(/\s*\(\s*/y, fold, at);
  if (!open) return false;
  const inside = at + open[0].length;
  const lead = stickyMatch(INDICATOR_START, fold, inside);
  if (!lead) return false;
  readIndicatorItem(fold, inside + lead[0].length, into);
  return true;
}

/** Reads "13.2, 13.3 và 13.4", "17.1 đến 17.6" (expanded), then an optional "trong tiêu chí số 13". */
function readIndicatorItem(fold: string, at: number, into: string[]): number {
  let position = at;
  for (;;) {
    const code = stickyMatch(INDICATOR_CODE, fold, position);
    if (!code) break;
    const criterion = Number(code[1]);
    const sub = Number(code[2]);
    position += code[0].length;
    const upTo = stickyMatch(/\s*(?:den|-)\s*(\d{1,2})\.(\d{1,2})(?!\d)/y, fold, position);
    if (upTo && Number(upTo[1]) === criterion && Number(upTo[2]) > sub && Number(upTo[2]) - sub < 20) {
      for (let index = sub; index <= Number(upTo[2]); index += 1) into.push(`${criterion}.${index}`);
      position += upTo[0].length;
    } else {
      into.push(`${criterion}.${sub}`);
    }
    const separator = stickyMatch(/\s*[,;]\s*(?:va\s+)?(?=\d{1,2}\.\d)|\s+va\s+(?=\d{1,2}\.\d)/y, fold, position);
    if (!separator) break;
    position += separator[0].length;
  }
  const parent = stickyMatch(/\s*(?:trong|thuoc|cua)\s+tieu\s+chi\s*(?:so\s*)?\d{1,2}(?!\d)/y, fold, position);
  return parent ? position + parent[0].length : position;
}

interface NameStop {
  /** Where the item's name ends (exclusive). */
  nameEnd: number;
  /** Where the item ends, before any separator. */
  end: number;
  descriptive: boolean;
}

/**
 * Reads an item's name: "(quy hoạch)", "– Quy hoạch", "Giao thông", up to the separator before
 * the next item or the end of the list. A colon means the item heads a paragraph of description.
 */
function readNameUntilStop(fold: string, at: number, inParentheses: boolean): NameStop | null {
  const bracket = stickyMatch(/\s*\(([^()]*)\)/y, fold, at);
  if (bracket) {
    const end = at + bracket[0].length;
    return { nameEnd: end, end, descriptive: /^\s*:\s*\S/.test(fold.slice(end, end + 3)) && !inParentheses };
  }
  const limit = Math.min(fold.length, at + MAX_NAME);
  for (let index = at; index < limit; index += 1) {
    const char = fold[index];
    if (char === ',' || char === ';' || char === '\n' || char === '.' || (char === ' ' && fold.startsWith(' va ', index))) {
      if (nextItemAfterSeparator(fold, index) !== null) return { nameEnd: index, end: index, descriptive: false };
      if (char === ';' || (char === '\n' && /^\n\s*\n/.test(fold.slice(index, index + 3)))) return { nameEnd: index, end: index, descriptive: false };
      if (char === '.' && !/\d/.test(fold[index + 1] ?? '')) return { nameEnd: index, end: index, descriptive: false };
    }
    if (char === ':') return { nameEnd: index, end: index, descriptive: true };
    if (char === ')' && inParentheses) return { nameEnd: index, end: index, descriptive: false };
  }
  // The text ends inside the item: the list ends with it. A name that runs on is no list item.
  return limit === fold.length ? { nameEnd: limit, end: limit, descriptive: false } : null;
}

/**
 * "(Giao thông, Trường học, Môi trường)", "là thu nhập và hộ nghèo", bulleted lines: names only,
 * cut at every separator ("an ninh, trật tự xã hội" comes out in two pieces: the caller joins
 * pieces back when together they name one criterion). Kept only if the names are criteria.
 */
function parseNameList(fold: string, nfc: string, start: number, inParentheses: boolean): ParsedList | null {
  const stop = inParentheses ? fold.indexOf(')', start) : endOfNames(fold, start);
  if (stop <= start || stop - start > 400) return null;
  const names: string[] = [];
  let from = start;
  for (const separator of [...fold.slice(start, stop).matchAll(/\s*(?:[,;\n]|(?:^|\s)[+•-]\s|\bva\b)\s*/g), null]) {
    const to = separator ? start + separator.index : stop;
    const name = cleanName(nfc.slice(from, to));
    if (name) names.push(name);
    if (separator) from = to + separator[0].length;
  }
  return names.length > 0 ? { start, end: stop, numbered: [], indicators: [], names } : null;
}

/** Names run to the end of the sentence, or over bulleted lines when the list is a column of them. */
function endOfNames(fold: string, start: number): number {
  const bulleted = /^\s*\n?\s*[-+•]\s/.test(fold.slice(start, start + 6));
  if (bulleted) {
    const lines = /^(?:\s*\n?[ \t]*[-+•][ \t]*[^\n]*)+/.exec(fold.slice(start));
    return start + (lines?.[0].length ?? 0);
  }
  const stop = fold.slice(start).search(/[.;\n]/);
  return stop === -1 ? fold.length : start + stop;
}
