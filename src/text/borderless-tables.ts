import { findTables } from '../../extractors/table/table-grid.js';
import { columnMeaning, readHeader } from '../../extractors/table/table-header.rules.js';
import { createMatchView, foldPhrase } from '../../extractors/text/match-view.js';
import { CELL_SEPARATOR } from './docx-table-text.js';

/**
 * Tables without lines, read from where their words stand: a PDF's positioned text items or
 * tesseract's word boxes. No library does this for pdf.js items and tesseract boxes alike
 * (pdf-parse finds ruled tables only), so it is written here, small and in one place:
 *
 * 1. Words are grouped into lines by their vertical middle.
 * 2. A table starts at a line with a header's first words ("STT", "Tên xã", "Đơn vị") and runs
 *    until a wide vertical gap, another header, or a line of prose (one piece of text reaching
 *    over two columns).
 * 3. Columns are the white "rivers": x ranges that (almost) no row-like line (three or more
 *    separate pieces) has ink in. A merged header ("Tiêu chí" over 19 columns) is one line
 *    among many and does not close a river.
 * 4. Rows: a line with something in the first column, or in a count column once the header is
 *    known, starts a row; any other line is a cell wrapped from the row above and joins it.
 * 5. The header row must be one extractors/table/ recognises as a status table's (a commune
 *    column and criteria): anything else — prose, a budget table, a list with tabs — is left
 *    as it was.
 */

/** A word or a run of text, in page units with y growing downwards. */
export interface TextBox {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface BorderlessTable {
  /** Rows of cell texts (wrapped lines joined by a space), header rows first. */
  rows: string[][];
  top: number;
  bottom: number;
}

interface Line {
  boxes: TextBox[];
  top: number;
  bottom: number;
}

/** Columns a row is anchored by, given the rows read so far; null when they are not a status table. */
export type HeaderCheck = (rows: string[][]) => { anchors: number[] } | null;

const HEADER_START = /^(?:stt|tt|so\s+tt|ten\s+xa|don\s+vi|xa\s*\/\s*thi\s+tran)\b/u;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function linesOf(boxes: TextBox[], height: number): Line[] {
  const lines: Array<Line & { middle: number }> = [];
  for (const box of [...boxes].sort((a, b) => a.top + a.bottom - (b.top + b.bottom))) {
    const middle = (box.top + box.bottom) / 2;
    const line = lines.at(-1);
    if (line && Math.abs(middle - line.middle) < height * 0.5) {
      line.boxes.push(box);
      line.top = Math.min(line.top, box.top);
      line.bottom = Math.max(line.bottom, box.bottom);
    } else lines.push({ boxes: [box], top: box.top, bottom: box.bottom, middle });
  }
  for (const line of lines) line.boxes.sort((a, b) => a.left - b.left);
  return lines;
}

/** Boxes closer than a word space apart, as one piece of text. */
function segmentsOf(line: Line, gap: number): TextBox[] {
  const segments: TextBox[] = [];
  for (const box of line.boxes) {
    const last = segments.at(-1);
    if (last && box.left - last.right < gap) {
      segments[segments.length - 1] = {
        ...last,
        text: `${last.text} ${box.text}`,
        right: Math.max(last.right, box.right),
        bottom: Math.max(last.bottom, box.bottom),
      };
    } else segments.push({ ...box });
  }
  return segments;
}

/**
 * The white runs between columns, each given by its left edge: text left-aligned in a cell
 * starts just after it. A run where no row-like line has ink is one; so is a run where at most
 * a fifth of them have (a header merged over several columns) unless it holds runs of the
 * first kind (then it is a sparse column, "Ghi chú", between two gaps).
 */
function riversOf(rowLike: TextBox[][], minWidth: number): number[] {
  const boxes = rowLike.flat();
  if (rowLike.length < 2 || boxes.length === 0) return [];
  const left = Math.floor(Math.min(...boxes.map((b) => b.left)));
  const right = Math.ceil(Math.max(...boxes.map((b) => b.right)));
  const coverage = new Uint16Array(right - left + 1);
  for (const line of rowLike) {
    const inked = new Uint8Array(coverage.length);
    for (const box of line) inked.fill(1, Math.max(0, Math.floor(box.left) - left), Math.ceil(box.right) - left);
    for (let x = 0; x < coverage.length; x += 1) coverage[x]! += inked[x]!;
  }
  const empty = whiteRuns(coverage, 0, minWidth);
  const sparse = whiteRuns(coverage, Math.floor(rowLike.length / 5), minWidth).filter((run) => !empty.some((e) => e.start >= run.start && e.end <= run.end));
  return [...empty, ...sparse].map((run) => left + run.start).sort((a, b) => a - b);
}

/** Interior runs (ink on both sides) at least `minWidth` long where coverage is at most `tolerance`. */
function whiteRuns(coverage: Uint16Array, tolerance: number, minWidth: number): Array<{ start: number; end: number }> {
  const runs: Array<{ start: number; end: number }> = [];
  let start = -1;
  for (let x = 0; x < coverage.length; x += 1) {
    const white = coverage[x]! <= tolerance;
    if (white && start < 0) start = x;
    if (!white && start >= 0) {
      if (start > 0 && x - start >= minWidth) runs.push({ start, end: x });
      start = -1;
    }
  }
  return runs;
}

const columnAt = (rivers: number[], x: number) => rivers.filter((river) => river <= x).length;

function cellsOf(segments: TextBox[], rivers: number[]): string[] {
  const cells = Array.from({ length: rivers.length + 1 }, () => '');
  // A piece reaching over a boundary is a merged cell: written in the column it starts in.
  for (const segment of segments) {
    const column = columnAt(rivers, segment.left);
    cells[column] = cells[column] === '' ? segment.text : `${cells[column]} ${segment.text}`;
  }
  return cells;
}

/** "1 2 3 … 19" under a merged "Tiêu chí", or "(1) (2) (3)": a header row of one line. */
function isNumbering(segments: TextBox[]): boolean {
  return segments.length >= 3 && segments.every((segment) => /^\(?\d{1,2}\)?$/u.test(segment.text.trim()));
}

function rowsOf(lines: TextBox[][], rivers: number[], anchors: number[]): string[][] {
  // Lines of one cell stand closer than rows (cell padding): a gap well over the closest pitch starts a row.
  const tops = lines.map((segments) => Math.min(...segments.map((segment) => segment.top)));
  const heights = lines.flat().map((segment) => segment.bottom - segment.top);
  const pitches = tops
    .slice(1)
    .map((top, i) => top - tops[i]!)
    .filter((pitch) => pitch > median(heights) * 0.5);
  const pitch = pitches.length > 0 ? Math.min(...pitches) : Number.POSITIVE_INFINITY;
  const rows: string[][] = [];
  // A numbering row is one line: the line after it starts a row of its own.
  let numbering: string[] | null = null;
  for (const [index, segments] of lines.entries()) {
    const cells = cellsOf(segments, rivers);
    const previous = rows.at(-1);
    const apart = index > 0 && tops[index]! - tops[index - 1]! > pitch * 1.3;
    // The first column starts a row; below the header, a count column does too when it holds a
    // figure; in the header, a line of numbers under a merged "Tiêu chí" is a header row of its own.
    const counted = rows.length > 1 && anchors.some((column) => /\d/u.test(cells[column] ?? ''));
    const numbers = rows.length === 1 && isNumbering(segments);
    if (!previous || cells[0] !== '' || counted || numbers || apart || previous === numbering) {
      rows.push(cells);
      if (numbers) numbering = cells;
    } else
      cells.forEach((cell, column) => (previous[column] = previous[column] === '' ? cell : cell === '' ? previous[column]! : `${previous[column]} ${cell}`));
  }
  return rows.map((row) => row.map((cell) => cell.replace(/\s+/gu, ' ').replace(/\|/gu, '/').trim()));
}

export interface BorderlessOptions {
  /** How many font sizes a box's median height is: 1 for PDF text items, less for OCR word boxes (no line gap, few descenders). */
  heightInEm?: number;
  check?: HeaderCheck;
}

/** The borderless tables among `boxes` whose header `check` accepts, top to bottom. */
export function findBorderlessTables(boxes: readonly TextBox[], options: BorderlessOptions = {}): BorderlessTable[] {
  const check = options.check ?? statusTableHeader;
  const words = boxes.filter((box) => box.text.trim() !== '' && box.right > box.left && box.bottom > box.top);
  if (words.length === 0) return [];
  const height = median(words.map((box) => box.bottom - box.top));
  const em = height / (options.heightInEm ?? 1);
  // Half a font size: wider than a word space (about 0.3), narrower than two cell paddings.
  const gap = em * 0.5;
  const lines = linesOf(words, height).map((line) => ({ line, segments: segmentsOf(line, gap) }));
  const startsTable = (index: number) => {
    const { segments } = lines[index]!;
    return segments.length >= 3 && segments.some((segment) => HEADER_START.test(foldPhrase(segment.text)));
  };
  const tables: BorderlessTable[] = [];
  let index = 0;
  while (index < lines.length) {
    if (!startsTable(index)) {
      index += 1;
      continue;
    }
    let end = index + 1;
    while (end < lines.length && !startsTable(end) && lines[end]!.line.top - lines[end - 1]!.line.bottom <= 3 * em) end += 1;
    let region = lines.slice(index, end);
    let rivers = riversOf(
      region.filter((l) => l.segments.length >= 3).map((l) => l.segments),
      gap,
    );
    // Prose under the table: one piece of text reaching over two column boundaries.
    const prose = region.findIndex(
      (l, i) => i > 0 && l.segments.length === 1 && columnAt(rivers, l.segments[0]!.right) - columnAt(rivers, l.segments[0]!.left) >= 2,
    );
    if (prose > 0) {
      region = region.slice(0, prose);
      rivers = riversOf(
        region.filter((l) => l.segments.length >= 3).map((l) => l.segments),
        gap,
      );
    }
    const table = rivers.length >= 2 ? tableOf(region, rivers, check) : null;
    if (table) tables.push(table);
    index += Math.max(1, region.length);
  }
  return tables;
}

function tableOf(region: Array<{ line: Line; segments: TextBox[] }>, rivers: number[], check: HeaderCheck): BorderlessTable | null {
  const lines = region.map((l) => l.segments);
  // First the rows anchored by the first column alone, to read the header; then with its count columns too.
  const header = check(rowsOf(lines, rivers, [0]));
  if (!header) return null;
  const rows = rowsOf(lines, rivers, [...new Set([0, ...header.anchors])]);
  if (rows.length < 2 || !check(rows)) return null;
  return { rows, top: region[0]!.line.top, bottom: region.at(-1)!.line.bottom };
}

const COUNT_ROLES = new Set(['met_count', 'unmet_count', 'total']);
const STATUS_ROLES = new Set(['met_count', 'unmet_count', 'total', 'met_list', 'unmet_list']);

/**
 * Whether a line of `boxes` reads as a status table's header by its words alone: a commune
 * column and a count or list of criteria ("STT | Tên xã | Số tiêu chí đạt …"). Cheap; it tells
 * a scanned page worth a second, cleaner reading (scanned-borderless-tables.ts) before its
 * cells can be trusted.
 */
export function hasStatusTableHeader(boxes: readonly TextBox[], options: Pick<BorderlessOptions, 'heightInEm'> = {}): boolean {
  const words = boxes.filter((box) => box.text.trim() !== '' && box.right > box.left && box.bottom > box.top);
  if (words.length === 0) return false;
  const height = median(words.map((box) => box.bottom - box.top));
  const gap = (height / (options.heightInEm ?? 1)) * 0.5;
  return linesOf(words, height).some((line) => {
    const texts = segmentsOf(line, gap).map((segment) => foldPhrase(segment.text));
    if (texts.length < 3 || !texts.some((text) => HEADER_START.test(text))) return false;
    const roles = texts.map((text) => columnMeaning(text).role);
    return roles.includes('commune') && roles.some((role) => STATUS_ROLES.has(role));
  });
}

/**
 * The header check of status tables: extractors/table/ must read the rows' first lines as a
 * header with a commune column and criteria. Its count columns anchor rows whose first cell is
 * empty (a subtotal "Cộng huyện … | 13,5").
 */
export function statusTableHeader(rows: string[][]): { anchors: number[] } | null {
  const view = createMatchView(rows.map((row) => row.join(CELL_SEPARATOR)).join('\n'));
  const block = findTables(view.nfc, view.fold)[0];
  const header = block ? readHeader(block.rows) : null;
  if (!header) return null;
  return { anchors: header.columns.flatMap((column, index) => (COUNT_ROLES.has(column.role) ? [index] : [])) };
}
