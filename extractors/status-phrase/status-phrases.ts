import { parseCriteriaList, type ParsedList } from '../criteria-list/list-items.js';
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

const COUNTED = /(?<!\d\s?[.,/-]?\s?)(\d{1,2})(?:\s*\/\s*(\d{1,2}))?\s+tieu\s+chi\b/g;
const UNCOUNTED = /(?<!\d\s{0,3})\btieu\s+chi\s+(?:da\s+)?(chua\s+dat|gan\s+dat|khong\s+dat|co\s+ban\s+dat|dat)(?:\s+chuan)?(?=\s*(?:\(|,?\s*(?:bao\s+)?gom\b|:))/g;
const STATUS_BEFORE = /(?:\b(chua|gan|khong|co\s+ban)\s+)?\bdat(?:\s+duoc)?\s*$/;
const LEVEL_AFTER = /^(?:\s+(?:xa\s+)?(?:nong\s+thon\s+moi|ntm))?(?:\s+(?:nang\s+cao|kieu\s+mau))?/;
const STATUS_AFTER = /^\s+(?:(?:da|duoc|xa|tu|danh|gia|deu|van|moi|dieu|kien)\s+){0,6}(chua\s+dat|gan\s+dat|khong\s+dat|co\s+ban\s+dat|dat)\b(?:\s+chuan)?(?:\s+(?:xa\s+)?(?:nong\s+thon\s+moi|ntm))?(?:\s+(?:nang\s+cao|kieu\s+mau))?(?:\s+theo\s+quy\s+dinh)?/;
const INDICATOR_COUNT = /^\s+va\s+(\d{1,2})\s+chi\s+tieu\b/;
/** What may stand between a phrase and its list: "trên địa bàn xã Quyết Thắng", a comma. */
const LIST_INTRO = /^\s*,?\s*(?:(?:tren\s+dia\s+ban|tai|cua)?\s*(?:xa|phuong|thi\s+tran)\s+[^.;:()]{1,40}?\s*,?\s*)?(?:(?:bao\s+)?gom(?:\s+co)?(?:\s+(?:cac\s+)?tieu\s+chi)?\s*:?|cu\s+the(?:\s+nhu\s+sau)?\s*:|:|(\())/;

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
    const before = STATUS_BEFORE.exec(fold.slice(Math.max(0, countStart - 30), countStart));
    let end = match.index + match[0].length;
    const levelWords = LEVEL_AFTER.exec(fold.slice(end, end + 60));
    end += levelWords?.[0].length ?? 0;
    const after = STATUS_AFTER.exec(fold.slice(end, end + 90));
    if (!before && !after) continue; // "hoàn thiện 19/19 tiêu chí" states no status
    const statusWord = before ? before[1] ?? '' : after?.[1];
    end += after?.[0].length ?? 0;
    const indicators = INDICATOR_COUNT.exec(fold.slice(end, end + 30));
    end += indicators?.[0].length ?? 0;
    const start = before ? countStart - before[0].length : countStart;
    const level = levelNamedIn(fold.slice(match.index, end));
    phrases.push({
      start, countStart, end,
      count: Number(match[1]), total: match[2] ? Number(match[2]) : null,
      indicatorCount: indicators ? Number(indicators[1]) : null,
      status: statusOf(before ? statusWord : after?.[1]),
      level,
      verbStart: before ? start : end,
      ...attachList(fold, nfc, end),
    });
  }
  for (const match of fold.matchAll(UNCOUNTED)) {
    const end = match.index + match[0].length;
    const listed = attachList(fold, nfc, end);
    if (!listed.list) continue;
    phrases.push({
      start: match.index, countStart: match.index, end,
      count: null, total: null, indicatorCount: null,
      status: statusOf(match[1]), level: null, verbStart: match.index,
      ...listed,
    });
  }
  return phrases.sort((a, b) => a.start - b.start);
}

function attachList(fold: string, nfc: string, at: number): { list: ParsedList | null; listIntroStart: number | null } {
  const intro = LIST_INTRO.exec(fold.slice(at, at + 120));
  if (!intro) return { list: null, listIntroStart: null };
  const listStart = at + intro[0].length;
  const list = parseCriteriaList(fold, nfc, listStart, Boolean(intro[1]));
  const introWord = intro[0].search(/(?:bao\s+)?gom|cu\s+the|[:(]/);
  return { list, listIntroStart: list ? at + Math.max(0, introWord) : null };
}
