import { parseCriteriaList, type ParsedList } from './list-items.js';
import type { DocumentContext } from '../context/document-context.js';
import type { CriterionStatus, Level } from '../statement.js';
import { levelNamedIn } from '../tokens/levels.js';

/**
 * A phrase stating how many criteria have a status, with the list that follows it:
 * "đạt 13/19 tiêu chí gồm: …", "09/19 tiêu chí chưa đạt, gồm: …", "còn 3 tiêu chí gần đạt (…)",
 * "đạt 04 tiêu chí và 07 chỉ tiêu … gồm: …", "những tiêu chí chưa đạt (Giao thông, …)".
 * The commune-count, criteria-list and indicator-list rules all read these tokens.
 */
export interface StatusPhrase {
  /** Where the phrase starts (the status verb when it comes first, else the count). */
  start: number;
  /** Where the count starts; the phrase start when there is no count. */
  countStart: number;
  /** The end of "… tiêu chí [level] [status]". */
  end: number;
  /** No status word before or after the count ("A 14/19 tiêu chí, B 10/19 tiêu chí"). */
  verbless: boolean;
  /** "đạt thêm 4 tiêu chí": criteria gained, not all that are met. */
  gained: boolean;
  count: number | null;
  total: number | null;
  indicatorCount: number | null;
  status: CriterionStatus;
  level: Level | null;
  /** Where the status verb starts, to tell a goal ("phấn đấu đạt …") from a fact. */
  verbStart: number;
  list: ParsedList | null;
  /** Where the list's introducer ("gồm:", ":", "(") starts. */
  listIntroStart: number | null;
}

/**
 * "13/19 tiêu chí", "12 trên 19 tiêu chí", "10 trong tổng số 19 tiêu chí", "06 tiêu chí", "03 chỉ
 * tiêu" (indicators), and "19/19 NTM nâng cao" (a fraction needs no noun).
 */
const COUNTED =
  /(?<!\d\s?[.,/-]?\s?)(\d{1,2})(?:\s*(?:\/|(?:tren|trong)(?:\s+tong\s+so)?)\s*(\d{1,2}))?\s+(tieu\s+chi|chi\s+tieu|(?<=\d\s*\/\s*\d{1,2}\s+)(?=(?:xa\s+)?(?:nong\s+thon\s+moi|ntm)\b))/g;
/** "tiêu chí chưa đạt (…)", "chỉ tiêu đạt gồm: …", "chưa đạt các tiêu chí: …": a list with no count. */
const UNCOUNTED = [
  /(?<!\d\s{0,3})\b(tieu\s+chi|chi\s+tieu)\s+(?:da\s+)?(chua\s+dat|gan\s+dat|khong\s+dat|co\s+ban\s+dat|dat)(?:\s+chuan)?(?=(?:\s+cua\s+(?:xa|phuong|thi\s+tran)\s+[^.;:()]{1,40}?)?\s*(?:\(|,?\s*(?:bao\s+)?gom\b|:|la\b))/g,
  /\b(?:da\s+)?(chua\s+dat|gan\s+dat|khong\s+dat|co\s+ban\s+dat|dat)\s+(?:cac|nhung)\s+(tieu\s+chi|chi\s+tieu)(?:\s+sau)?(?:\s+(?:xa\s+)?(?:nong\s+thon\s+moi|ntm))?(?:\s+(?:nang\s+cao|kieu\s+mau))?(?=\s*(?:\(|,?\s*(?:bao\s+)?gom\b|:|la\b|ve\b))/g,
  // "chưa đạt tiêu chí giao thông và tiêu chí nghèo đa chiều": the names follow the verb at once.
  /\b(?:da\s+)?(chua\s+dat|khong\s+dat|dat)\s+()(?=tieu\s+chi\s+(?!so\b|\d|\(|nong\s+thon|ntm|huyen|xa\b)[a-z])/g,
];
const STATUS_BEFORE =
  /(?:\b(chua|gan|khong|co\s+ban)\s+)?\b(?:dat(?:\s+(?:duoc|chuan|du|ca))?|hoan\s+thanh|giu\s+vung|duy\s+tri(?:\s+va\s+nang\s+cao)?|nang\s+chat)(?:\s+(?:duoc|dat|du|ca))?(\s+them)?\s*$/;
/** "Số tiêu chí đạt chuẩn của xã X là 15/19": the status stands before the copula. */
const STATUS_BY_COPULA = /\bso\s+tieu\s+chi\s+(?:da\s+)?dat(?:\s+chuan)?[^.;]{0,60}?\bla\s*:?\s*$/;
const LEVEL_AFTER = /^(?:\s+theo\s+(?:bo\s+)?tieu\s+chi)?(?:\s+(?:xa\s+)?(?:nong\s+thon\s+moi|ntm))?(?:\s+(?:nang\s+cao|kieu\s+mau))?/;
const STATUS_AFTER =
  /^\s+(?:(?:da|duoc|xa|tu|danh|gia|deu|van|moi|dieu|kien)\s+){0,6}(chua\s+dat|gan\s+dat|khong\s+dat|co\s+ban\s+dat|dat)\b(?:\s+chuan)?(?:\s+(?:xa\s+)?(?:nong\s+thon\s+moi|ntm))?(?:\s+(?:nang\s+cao|kieu\s+mau))?(?:\s+theo\s+quy\s+dinh)?/;
const INDICATOR_COUNT = /^\s+va\s+(\d{1,2})\s+chi\s+tieu\b/;
/**
 * What may stand between a phrase and its list ("trên địa bàn xã Quyết Thắng", a comma), then
 * the introducer: "gồm:", "(", "(gồm các tiêu chí số: …", "là:", "cụ thể:", ":". Group 1 marks a
 * parenthesis; group 2 an introducer after which bare numbers are criteria ("… tiêu chí số: 1, 3").
 */
const LIST_INTRO =
  /^\s*,?\s*(?:(?:tren\s+dia\s+ban|tai|cua)?\s*(?:xa|phuong|thi\s+tran)\s+[^.;:()]{1,40}?\s*,?\s*)?(?:trong\s+nam(?:\s+\d{4})?\s*,?\s*)?(?:(\()\s*(?:(?:bao\s+)?gom(?:\s+co)?(?:\s+cac)?(?:\s+(?:tieu\s+chi|chi\s+tieu)(\s+so)?)?\s*:?)?|(?:bao\s+)?gom(?:\s+co)?(?:\s+(?:cac\s+)?(?:tieu\s+chi|chi\s+tieu)(\s+so)?)?\s*:?|la\s*:|la(?=\s+(?:cac\s+)?(?:tieu\s+chi|chi\s+tieu))|cu\s+the(?:\s+nhu\s+sau)?\s*:|nhu\s+sau\s*:|:|la\b(?!\s+(?:xa|do|vi|nhung|mot)\b)|ve\b|(nhu)\b(?!\s+sau))/;

function statusOf(word: string | undefined): CriterionStatus {
  if (!word) return 'met';
  if (/^(?:chua|khong)/.test(word)) return 'unmet';
  if (/^(?:gan|co\s+ban)/.test(word)) return 'near';
  return 'met';
}

export function findStatusPhrases(context: DocumentContext): StatusPhrase[] {
  const { fold, nfc } = context;
  const phrases: StatusPhrase[] = [];
  for (const match of fold.matchAll(COUNTED)) {
    const countStart = match.index + (match[0].length - match[0].trimStart().length);
    const before =
      STATUS_BEFORE.exec(fold.slice(Math.max(0, countStart - 30), countStart)) ?? STATUS_BY_COPULA.exec(fold.slice(Math.max(0, countStart - 120), countStart));
    let end = match.index + match[0].trimEnd().length;
    const levelWords = LEVEL_AFTER.exec(fold.slice(end, end + 60));
    end += levelWords?.[0].length ?? 0;
    const after = STATUS_AFTER.exec(fold.slice(end, end + 90));
    const nounless = match[3] === '';
    if (nounless && !before) continue;
    // With no status word the count may still be a commune's when a name stands right before it
    // ("A 14/19 tiêu chí, B 10/19 tiêu chí"); the commune-count rule decides. "hoàn thiện 19/19
    // tiêu chí" states no status, and the words between name and count say so.
    const verbless = !before && !after;
    const statusWord = before ? (before[1] ?? '') : after?.[1];
    end += after?.[0].length ?? 0;
    const indicators = INDICATOR_COUNT.exec(fold.slice(end, end + 30));
    end += indicators?.[0].length ?? 0;
    const start = before ? countStart - before[0].length : countStart;
    const level = levelNamedIn(fold.slice(match.index, end));
    const ofIndicators = /^chi/.test(match[3] ?? '');
    // "cơ bản đạt 19/19 tiêu chí" counts what is met; "4 tiêu chí cơ bản đạt" lists what is near.
    const basicallyAll = before?.[1] !== undefined && /^co\s+ban/.test(before[1]);
    phrases.push({
      start,
      countStart,
      end,
      verbless,
      gained: Boolean(before?.[2]),
      count: ofIndicators ? null : Number(match[1]),
      total: ofIndicators || !match[2] ? null : Number(match[2]),
      indicatorCount: ofIndicators ? Number(match[1]) : indicators ? Number(indicators[1]) : null,
      status: basicallyAll ? 'met' : statusOf(before ? statusWord : after?.[1]),
      level,
      verbStart: before ? start : end,
      ...attachList(fold, nfc, end),
    });
  }
  for (const [form, pattern] of UNCOUNTED.entries()) {
    for (const match of fold.matchAll(pattern)) {
      const end = match.index + match[0].length;
      // A verb that names its criteria at once ("đạt tiêu chí giao thông") lists them right there.
      const listed =
        form === 2
          ? { list: parseCriteriaList(fold, nfc, end, { inParentheses: false, bareNumbers: false }), listIntroStart: end }
          : attachList(fold, nfc, end);
      if (!listed.list || (form === 2 && listed.list.names.length === 0)) continue;
      const statusWord = form === 0 ? match[2] : match[1];
      phrases.push({
        start: match.index,
        countStart: match.index,
        end,
        verbless: false,
        gained: false,
        count: null,
        total: null,
        indicatorCount: null,
        status: statusOf(statusWord),
        level: levelNamedIn(match[0]),
        verbStart: match.index,
        ...listed,
      });
    }
  }
  return phrases.sort((a, b) => a.start - b.start);
}

function attachList(fold: string, nfc: string, at: number): { list: ParsedList | null; listIntroStart: number | null } {
  const intro = LIST_INTRO.exec(fold.slice(at, at + 120));
  if (!intro) return { list: null, listIntroStart: null };
  const listStart = at + intro[0].length;
  const parsed = parseCriteriaList(fold, nfc, listStart, { inParentheses: Boolean(intro[1]), bareNumbers: Boolean(intro[2] || intro[3]) });
  // "còn 5 tiêu chí chưa đạt như giao thông, …": examples, not the whole list.
  const list = parsed && intro[4] ? { ...parsed, partial: true } : parsed;
  const introWord = intro[0].search(/(?:bao\s+)?gom|cu\s+the|nhu\s+sau|\bla\b|\bve\b|\bnhu\b|[:(]/);
  return { list, listIntroStart: list ? at + Math.max(0, introWord) : null };
}
