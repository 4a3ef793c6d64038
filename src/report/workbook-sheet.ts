import ExcelJS from 'exceljs';
import { neutraliseFormula } from './formula-guard.js';

/** How a column's cells are typed: Excel sorts and sums numbers and dates only when they are typed. */
export type CellKind = 'text' | 'integer' | 'decimal' | 'number' | 'date';

export interface SheetColumn {
  header: string;
  kind: CellKind;
  width?: number;
}

export type CellValue = string | number | null | undefined;

const NUMBER_FORMATS: Partial<Record<CellKind, string>> = { integer: '0', decimal: '0.00' };
/** A date as precise as it was written: "2024-09-30" a day, "2024-09" a month, "2024" a year. */
const DATE_FORMATS: Record<number, string> = { 10: 'yyyy-mm-dd', 7: 'yyyy-mm', 4: 'yyyy' };

/**
 * A date cell for "YYYY[-MM[-DD]]": the first day of the period, shown with the precision written
 * ("2024-09" shows as 2024-09), so the column sorts as dates. Anything else stays text.
 */
export function dateCell(text: string): { value: Date; numFmt: string } | null {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text);
  if (!match) return null;
  const [, year, month, day] = match;
  const value = new Date(Date.UTC(Number(year), Number(month ?? 1) - 1, Number(day ?? 1)));
  if (Number.isNaN(value.getTime())) return null;
  return { value, numFmt: DATE_FORMATS[text.length] ?? 'yyyy-mm-dd' };
}

/**
 * One table on its own sheet: a bold, frozen header row with an autofilter, typed cells, text
 * that could start a formula neutralised. Rows marked as subtotals are bold.
 */
export function addTableSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  columns: SheetColumn[],
  rows: Array<{ cells: CellValue[]; bold?: boolean }>,
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({ header: column.header, width: column.width ?? Math.max(10, Math.min(column.header.length + 2, 40)) }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) {
    const added = sheet.addRow([]);
    columns.forEach((column, index) => {
      const value = row.cells[index];
      if (value === null || value === undefined || value === '') return;
      const cell = added.getCell(index + 1);
      writeCell(cell, column.kind, value);
    });
    if (row.bold) added.font = { bold: true };
  }
  if (columns.length > 0) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, rows.length + 1), column: columns.length } };
  return sheet;
}

function writeCell(cell: ExcelJS.Cell, kind: CellKind, value: string | number): void {
  if (kind === 'date' && typeof value === 'string') {
    const date = dateCell(value);
    if (date) {
      cell.value = date.value;
      cell.numFmt = date.numFmt;
      return;
    }
  }
  if (kind !== 'text' && kind !== 'date' && typeof value === 'number') {
    cell.value = value;
    const format = NUMBER_FORMATS[kind];
    if (format) cell.numFmt = format;
    return;
  }
  cell.value = typeof value === 'string' ? neutraliseFormula(value) : value;
}
