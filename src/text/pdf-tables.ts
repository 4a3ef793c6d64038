import type { PDFParse } from 'pdf-parse';
import { findBorderlessTables, type TextBox } from './borderless-tables.js';
import { CELL_SEPARATOR } from './docx-table-text.js';

/**
 * Ruled tables of a PDF page written back into the page text as rows: one line per row,
 * cells separated by " | ", so that extractors/table/ reads a PDF table as it reads a Word
 * one. pdf-parse 2.x finds ruled tables from the page's drawn lines; its public getTable()
 * flattens merged cells (a header "Tiêu chí" over 19 columns becomes one cell, and the
 * columns below shift), so the grid is rebuilt here from the cells' positions, which only
 * its internal steps expose (getPageTables, fillPageTables). If those are missing (another
 * pdf-parse version) the page text is left as extracted. Borderless tables are read from the
 * positions of the page's text items (borderless-tables.ts) when no ruled table is found.
 */

interface Point {
  x: number;
  y: number;
}
interface PdfTableCell {
  minXY: Point;
  colspan?: number;
  rowspan?: number;
  text: string[];
}
interface PdfTableData {
  rows: PdfTableCell[][];
  colPivots: number[];
  rowPivots: number[];
}
interface PdfTextItem {
  str?: string;
  transform?: number[];
  width?: number;
  height?: number;
}
interface PdfPage {
  getViewport(options: { scale: number }): { convertToViewportPoint(x: number, y: number): number[] };
  getTextContent(): Promise<{ items: PdfTextItem[] }>;
}
interface TableInternals {
  doc?: { getPage(page: number): Promise<unknown> };
  getPageTables?(page: unknown): Promise<{ normalize(): void; getTableData(): PdfTableData[] }>;
  fillPageTables?(page: unknown, tables: PdfTableData[]): Promise<void>;
}

/**
 * Finding ruled tables means reading the page's drawing operators again (about 15 ms a page):
 * only pages whose text has a table header's words ("STT", "Tên xã", "Đơn vị"), or that follow
 * a page with a table (a table running on without its header), are searched.
 */
export function mayHoldTable(text: string, previousHadTable: boolean): boolean {
  return previousHadTable || /(?:^|\s)(?:STT|TT|Stt)(?:\s|$)|T[êe]n\s+x[ãa]|Đơn\s+vị|Xã\s*\/\s*thị\s+trấn/u.test(text.normalize('NFC'));
}

/** The ruled tables of one page as grids of cell texts (merged cells: text in the first, '' in the rest). */
export async function readPageTables(parser: PDFParse, pageNumber: number): Promise<string[][][]> {
  const internals = parser as unknown as TableInternals;
  if (!internals.doc || !internals.getPageTables || !internals.fillPageTables) return [];
  const page = await internals.doc.getPage(pageNumber);
  const store = await internals.getPageTables(page);
  store.normalize();
  const tables = store.getTableData();
  if (tables.length === 0) return [];
  await internals.fillPageTables(page, tables);
  return tables.flatMap((table) => {
    const grid = toGrid(table);
    return grid && grid.length >= 2 ? [grid] : [];
  });
}

/**
 * The borderless status tables of one page, from where pdf.js puts each text item (the same
 * items pdf-parse's text is made of). Only pages that hold no ruled table are searched.
 */
export async function readBorderlessPageTables(parser: PDFParse, pageNumber: number): Promise<string[][][]> {
  const internals = parser as unknown as TableInternals;
  if (!internals.doc) return [];
  const page = (await internals.doc.getPage(pageNumber)) as PdfPage;
  const viewport = page.getViewport({ scale: 1 });
  const boxes: TextBox[] = [];
  for (const item of (await page.getTextContent()).items) {
    if (!item.str?.trim() || !item.transform || !item.width || !item.height) continue;
    // The item's baseline origin, in top-down page coordinates.
    const [x = 0, y = 0] = viewport.convertToViewportPoint(item.transform[4]!, item.transform[5]!);
    boxes.push({ text: item.str, left: x, right: x + item.width, top: y - item.height, bottom: y });
  }
  return findBorderlessTables(boxes).map((table) => table.rows);
}

function nearest(pivots: number[], value: number): number {
  let best = 0;
  for (let i = 1; i < pivots.length; i += 1) if (Math.abs(pivots[i]! - value) < Math.abs(pivots[best]! - value)) best = i;
  return best;
}

function toGrid(table: PdfTableData): string[][] | null {
  const width = table.colPivots.length - 1;
  const height = table.rowPivots.length - 1;
  if (width < 2 || height < 1) return null;
  const grid = Array.from({ length: height }, () => Array.from({ length: width }, () => ''));
  for (const row of table.rows) {
    for (const cell of row) {
      const r = nearest(table.rowPivots, cell.minXY.y);
      const c = nearest(table.colPivots, cell.minXY.x);
      if (r >= height || c >= width) continue;
      // A PDF cell's lines are where the text wrapped, not paragraphs: joined by a space.
      grid[r]![c] = cell.text.join('').replace(/\s+/gu, ' ').replace(/\|/gu, '/').trim();
    }
  }
  return grid.filter((cells) => cells.some((cell) => cell !== ''));
}

const squeeze = (text: string) => text.replace(/\s+/gu, '');
const sorted = (text: string) => [...text].sort().join('');

/**
 * Replaces the lines of `text` that hold each table's rows with the rows written out. The
 * lines are found by their characters: a row is the run of lines holding exactly its cells'
 * characters (in any order, since a wrapped cell puts part of its text on a later line). A
 * table whose rows cannot all be found is left as it was.
 */
export function spliceTables(text: string, tables: string[][][]): string {
  let lines = text.split('\n');
  let cursor = 0;
  for (const table of tables) {
    const keys = table.map((row) => sorted(squeeze(row.join(''))));
    const lengths = table.map((row) => squeeze(row.join('')).length);
    let placed: { start: number; end: number } | null = null;
    for (let start = cursor; start < lines.length && !placed; start += 1) {
      let at = start;
      let ok = true;
      for (const [index, key] of keys.entries()) {
        let acc = '';
        while (at < lines.length && acc.length < lengths[index]!) acc += squeeze(lines[at++]!);
        if (sorted(acc) !== key) {
          ok = false;
          break;
        }
      }
      if (ok) placed = { start, end: at };
    }
    if (!placed) continue;
    const rows = table.map((row) => row.join(CELL_SEPARATOR));
    lines = [...lines.slice(0, placed.start), '', ...rows, '', ...lines.slice(placed.end)];
    cursor = placed.start + rows.length + 2;
  }
  return lines.join('\n');
}
