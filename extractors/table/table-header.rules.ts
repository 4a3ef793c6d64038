import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { projectPath } from '../util/project-root.js';
import type { TableRow } from './table-grid.js';

/**
 * What a column of a status table means, from the words of its header:
 * - `index` STT; `commune` the xã's name; `district` the huyện's; `village` a thôn's (the
 *   table is then not about communes);
 * - `met_count` / `unmet_count` how many criteria are met / unmet ("Số tiêu chí đạt");
 * - `total` how many criteria there are ("Tổng số tiêu chí"); in a matrix, the marks' sum;
 * - `met_list` / `unmet_list` which ones ("Các tiêu chí chưa đạt");
 * - `criterion` one criterion's mark in a matrix (its number, from a header "1" … "19");
 * - `level` the level reached; `note` remarks; `plan` a goal or a year to come ("phấn đấu",
 *   "kế hoạch"); `money` funds; `other` anything else.
 */
export type ColumnRole =
  | 'index'
  | 'commune'
  | 'district'
  | 'village'
  | 'met_count'
  | 'unmet_count'
  | 'total'
  | 'met_list'
  | 'unmet_list'
  | 'criterion'
  | 'level'
  | 'note'
  | 'plan'
  | 'money'
  | 'other';

export interface ColumnMeaning {
  role: ColumnRole;
  /** For `criterion`: its number in the set. */
  criterion: number | null;
  /** The header words the role was read from (folded), for a reviewer. */
  header: string;
}

export interface TableHeader {
  /** How many rows at the top of the table are header rows. */
  rows: number;
  columns: ColumnMeaning[];
  /** The folded header rows, to recognise the header repeated on a later page. */
  signature: string[];
}

const GOAL = /\b(?:phan\s+dau|ke\s+hoach|du\s+kien|muc\s+tieu|dang\s+ky|lo\s+trinh|can\s+hoan\s+thanh|se\s+dat)\b/;
const MONEY = /\b(?:kinh\s+phi|trieu\s+dong|ty\s+dong|nghin\s+dong|nguon\s+von|von\b|ngan\s+sach|tong\s+muc\s+dau\s+tu)/;
const UNMET = /\b(?:chua\s+dat|khong\s+dat|con\s+thieu)\b/;
const MET = /\b(?:da\s+dat|dat\s+chuan|dat)\b/;
const LIST = /\b(?:cac|ten|noi\s+dung|danh\s+sach|cu\s+the|gom)\b/;
const CRITERIA = /\b(?:tieu\s+chi|tc)\b/;

/** One header (all header rows of a column, folded, joined) → its meaning. */
export function columnMeaning(header: string): ColumnMeaning {
  const h = header
    .replace(/[()[\]:.]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const meaning = (role: ColumnRole, criterion: number | null = null): ColumnMeaning => ({ role, criterion, header: h });
  if (h === '') return meaning('other');
  // A bare criterion number under "Tiêu chí" (or "TC 5", "Tiêu chí 5", "TC5").
  const numbered = /^(?:(?:nhom\s+)?tieu\s+chi\s*(?:so\s*)?|tc\s*)?(\d{1,2})$/.exec(h) ?? /^tieu\s+chi\s+(?:\D+\s+)?(\d{1,2})$/.exec(h);
  if (numbered) return meaning('criterion', Number(numbered[1]));
  if (/^(?:stt|tt|so\s+tt|so\s+thu\s+tu)$/.test(h)) return meaning('index');
  if (GOAL.test(h) || (/\bnam\s+20\d\d\b/.test(h) && !MET.test(h) && !UNMET.test(h))) return meaning('plan');
  if (MONEY.test(h)) return meaning('money');
  if (/\bghi\s+chu\b/.test(h)) return meaning('note');
  if (/\b(?:thon|ban|xom|to\s+dan\s+pho|khu\s+pho|ho\s+gia\s+dinh|so\s+ho)\b/.test(h) && !/\bxa\b/.test(h)) return meaning('village');
  if (/^(?:ten\s+)?(?:huyen|don\s+vi\s+cap\s+huyen)\b/.test(h)) return meaning('district');
  if (/^(?:ten\s+)?(?:xa|don\s+vi|dia\s+phuong|xa\s*\/\s*thi\s+tran|xa\s*,\s*thi\s+tran)(?:\s+(?:xa|thi\s+tran))?$/.test(h)) return meaning('commune');
  if (/\b(?:muc\s+do|muc\s+dat|cap\s+do|xep\s+loai|ket\s+qua\s+cong\s+nhan|nam\s+(?:duoc\s+)?cong\s+nhan)\b/.test(h) && !CRITERIA.test(h))
    return meaning('level');
  // One short word more is OCR's reading of a wrapped "đạt" as often as anything else.
  if (/^tong\s+(?:so\s+)?(?:tieu\s+chi|tc)(?:\s+(?:cua\s+)?bo\s+tieu\s+chi|\s+[a-z]{1,4})?$/.test(h) && !MET.test(h) && !UNMET.test(h)) return meaning('total');
  const aboutCriteria = CRITERIA.test(h) || /^(?:tong(?:\s+so)?(?:\s+cong)?|ket\s+qua|so\s+luong)\b/.test(h);
  if (aboutCriteria && !/\bchi\s+tieu\b/.test(h)) {
    const unmet = UNMET.test(h);
    const met = !unmet && (MET.test(h) || /^(?:tong(?:\s+so)?(?:\s+cong)?|ket\s+qua)\b/.test(h));
    const counted = /\b(?:so|tong|so\s+luong)\b/.test(h) && !LIST.test(h.replace(/\b(?:tong\s+)?so\b/g, ''));
    if (unmet) return meaning(counted && !/\bcac\b|\bten\b/.test(h) ? 'unmet_count' : 'unmet_list');
    if (met) return meaning(counted || !LIST.test(h) ? 'met_count' : 'met_list');
  }
  return meaning('other');
}

const corpusSchema = z.array(z.object({ header: z.string(), role: z.string(), criterion: z.number().nullable().optional() }));

/** The header variants the interpreter is tested on (extractors/table/header-corpus.json). */
export function headerCorpus(): z.infer<typeof corpusSchema> {
  return corpusSchema.parse(JSON.parse(readFileSync(projectPath('extractors', 'table', 'header-corpus.json'), 'utf8')));
}

const MAX_HEADER_ROWS = 4;

/**
 * Reads the header rows at the top of a table: rows of header words, and a row of criterion
 * numbers under a merged "Tiêu chí". A row numbering the columns ("(1) | (2) | …", every cell
 * filled) is a header row too but names nothing. Null when the table has no commune column or
 * nothing that says which criteria are met: then it is not a status table.
 */
export function readHeader(rows: readonly TableRow[]): TableHeader | null {
  let count = 0;
  while (count < Math.min(MAX_HEADER_ROWS, rows.length) && isHeaderRow(rows[count]!)) {
    count += 1;
    // A row numbering the columns is the header's last ("Huyện Văn Quan" below it, its "I" lost to OCR, is a group row).
    if (isColumnNumbering(rows[count - 1]!)) break;
  }
  if (count === 0) return null;
  const width = Math.max(...rows.map((row) => row.cells.length));
  const naming = rows.slice(0, count).filter((row) => !isColumnNumbering(row));
  const grid = naming.map((row) => Array.from({ length: width }, (_, column) => row.cells[column]?.fold ?? ''));
  // A header merged across columns is written once then left empty: carry it right over the
  // columns that the row below splits ("Số tiêu chí | " over "Đạt | Chưa đạt").
  for (let r = 0; r < grid.length - 1; r += 1) {
    for (let column = 1; column < width; column += 1) {
      if (grid[r]![column] === '' && grid[r]![column - 1] !== '' && grid[r + 1]![column] !== '' && grid[r + 1]![column - 1] !== '') {
        grid[r]![column] = grid[r]![column - 1]!;
      }
    }
  }
  const columns = Array.from({ length: width }, (_, column) => {
    const parts = grid.map((row) => row[column] ?? '').filter((part) => part !== '');
    const lowest = parts.at(-1) ?? '';
    // Under "Tiêu chí", a number alone is the criterion's: read it alone.
    if (/^\d{1,2}$/.test(lowest) && parts.length > 1) return columnMeaning(lowest);
    return columnMeaning([...new Set(parts)].join(' '));
  });
  // "Số … chí" that OCR damaged ("số tên chí"): the count of criteria met, when no column says so.
  if (!columns.some((c) => c.role === 'met_count')) {
    const damaged = columns.findIndex((c) => c.role === 'other' && /^so\s+\S+\s+chi(?:\s+\S+)?$/.test(c.header) && !UNMET.test(c.header));
    if (damaged >= 0) columns[damaged] = { ...columns[damaged]!, role: 'met_count' };
  }
  const hasCommune = columns.some((c) => c.role === 'commune');
  const hasStatus =
    columns.some((c) => ['met_count', 'unmet_count', 'met_list', 'unmet_list', 'criterion'].includes(c.role)) ||
    (columns.some((c) => c.role === 'total') && columns.some((c) => c.role === 'criterion'));
  if (!hasCommune || !hasStatus) return null;
  return { rows: count, columns, signature: rows.slice(0, count).map(rowSignature) };
}

export function rowSignature(row: TableRow): string {
  return row.cells.map((cell) => cell.fold).join('|');
}

const HEADER_WORD =
  /^(?:stt|tt|ten\b|xa\b|don\s+vi|huyen\b|tieu\s+chi|tc\b|so\s+tieu|so\s+tc|tong|ghi\s+chu|ket\s+qua|cac\s+tieu|dat\b|chua\s+dat|muc\s+|noi\s+dung|danh\s+gia|trong\s+do|thon|kinh\s+phi|nam\b|\(?\d{1,2}\)?$)/;

function isHeaderRow(row: TableRow): boolean {
  const filled = row.cells.map((cell) => cell.fold.trim()).filter((cell) => cell !== '');
  if (filled.length === 0) return false;
  if (isColumnNumbering(row)) return true;
  if (filled.some((cell) => /^\d{1,3}\s*\/\s*\d{1,2}$/.test(cell))) return false;
  // Criterion numbers, under a merged "Tiêu chí" or beside the other headers: a run 1, 2, 3 …
  const numbers = filled.filter((cell) => /^\d{1,2}$/.test(cell)).map(Number);
  const run = numbers.length >= 3 && numbers.every((n, i) => n === numbers[0]! + i);
  const words = filled.filter((cell) => !/^\d{1,3}(?:[.,]\d+)?$/.test(cell));
  if (words.length === 0) return run;
  const headerWords = words.filter((cell) => HEADER_WORD.test(cell));
  return headerWords.length * 2 > words.length && (run || numbers.length * 2 < filled.length);
}

/** "(1) | (2) | (3) …" or "A | B | C …": most cells (OCR may damage one or two) number their column. */
function isColumnNumbering(row: TableRow): boolean {
  const cells = row.cells.map((cell) => cell.fold.trim().replace(/[()]/g, ''));
  if (cells.length < 3 || cells.some((cell) => cell.length > 4)) return false;
  const numbered = cells.filter((cell, i) => cell === String(i + 1) || cell === String.fromCharCode(97 + i)).length;
  return numbered === cells.length || (numbered >= 3 && numbered >= cells.length * 0.6);
}
