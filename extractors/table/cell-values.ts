import { cleanName, criterionNamed, type CriteriaSet } from '../criteria-sets/criteria-sets.js';
import type { CriterionItem } from '../statement.js';
import type { TableCell } from './table-grid.js';

/** "15", "09", "15/19", "15 tiêu chí": a count of criteria, with the total when written. */
export function readCount(cell: TableCell): { value: number; total: number | null } | null {
  const match = /^(\d{1,2})(?:\s*\/\s*(\d{1,2}))?(?:\s*(?:tieu\s+chi|tc))?$/.exec(cell.fold);
  return match ? { value: Number(match[1]), total: match[2] ? Number(match[2]) : null } : null;
}

/** "13,5" or "13.50": an average, in a subtotal row. */
export function readDecimal(cell: TableCell): number | null {
  const match = /^(\d{1,2}[.,]\d{1,2})$/.exec(cell.fold);
  return match ? Number(match[1]!.replace(',', '.')) : null;
}

/**
 * A matrix cell: `met` where a mark says met, `unmet` where blank, "-", "0" or "chưa"; `unsure`
 * for any other mark (OCR's reading of a "✓", a damaged "x"): a mark is there, so most likely
 * met, but the row is less sure.
 */
export function readMark(cell: TableCell): 'met' | 'unmet' | 'unsure' {
  const mark = cell.text.trim().toLowerCase();
  if (/^(?:x|đ|d|v|\+|1|✓|✔|☑|√)$/u.test(mark) || /^(?:dat|da\s+dat|co)$/.test(cell.fold.trim())) return 'met';
  if (mark === '' || /^(?:-|–|—|0|o|k|không|chưa|chưa đạt)$/u.test(mark) || /^(?:chua(?:\s+dat)?|khong(?:\s+dat)?)$/.test(cell.fold.trim())) return 'unmet';
  return 'unsure';
}

export interface ListReading {
  items: CriterionItem[];
  unresolvedNames: string[];
}

/** A cell that says "none": blank, a dash, "0", "Không", "Đã đạt đủ". */
function saysNone(fold: string): boolean {
  return /^(?:|-|0|khong(?:\s+co)?|da\s+dat\s+(?:du|het|ca)(?:\s+\d{1,2})?(?:\s+tieu\s+chi)?|dat\s+du|x)$/.test(fold);
}

const PART_SPLIT = /\s*(?:[;,\n]|\s-\s|(?<=\d)\s*-\s*(?=\d)|\s+va\s+(?=(?:tieu\s+chi|tc|so)?\s*\d))\s*/g;

/**
 * The criteria a list cell names: numbers "2, 5, 17" / "2; 5; 17" / "2 - 5 - 17" / "TC 2, TC 5",
 * numbers with names "2 (Giao thông)", or names alone "Giao thông, Trường học" matched to the
 * set. A name that fits no criterion is kept as unresolved.
 */
export function readList(cell: TableCell, set: CriteriaSet | null): ListReading {
  if (saysNone(cell.fold.replace(/[.;:]$/, ''))) return { items: [], unresolvedNames: [] };
  // Split on the folded text (same length as the written one), read names from the written one.
  const body = cell.fold.replace(/^(?:cac\s+)?(?:tieu\s+chi|tc)\s*(?:so\s*)?:?\s*(?=\S)/, (lead) => ' '.repeat(lead.length));
  const parts: Array<{ fold: string; text: string; start: number; end: number }> = [];
  let last = 0;
  for (const match of body.matchAll(PART_SPLIT)) {
    parts.push({ fold: body.slice(last, match.index), text: cell.text.slice(last, match.index), start: last, end: match.index });
    last = match.index + match[0].length;
  }
  parts.push({ fold: body.slice(last), text: cell.text.slice(last), start: last, end: body.length });
  const items: CriterionItem[] = [];
  const unresolvedNames: string[] = [];
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i]!;
    const fold = part.fold
      .trim()
      .replace(/^[\s:.,;]+/, '')
      .replace(/^(?:tieu\s+chi|tc)\s*(?:so\s*)?/, '')
      .replace(/[.:]+$/, '')
      .trim();
    if (fold === '') continue;
    const numbered = /^(?:so\s*)?(\d{1,2})(?:\s*[.:(-]?\s*(.*?))?\)?$/.exec(fold);
    if (numbered) {
      const offset = part.text.length - part.text.trimStart().length + (part.fold.trim().length - fold.length);
      const name = numbered[2]
        ? cleanName(
            part.text
              .trimStart()
              .slice(offset)
              .replace(/^\s*(?:số\s*)?\d{1,2}\s*[.:(–-]?/iu, ''),
          )
        : '';
      items.push({ number: Number(numbered[1]), name: name || null });
      continue;
    }
    const name = cleanName(part.text);
    let criterion = set ? criterionNamed(name, set) : null;
    // "Thủy lợi và phòng, chống thiên tai": a name with a comma of its own.
    const next = parts[i + 1];
    if (set && next) {
      const joined = cleanName(cell.text.slice(part.start, next.end));
      const both = criterionNamed(joined, set);
      if (both && !criterionNamed(cleanName(next.text), set)) {
        items.push({ number: both.number, name: joined });
        i += 1;
        continue;
      }
    }
    if (criterion) items.push({ number: criterion.number, name });
    else unresolvedNames.push(name);
  }
  return { items, unresolvedNames };
}
