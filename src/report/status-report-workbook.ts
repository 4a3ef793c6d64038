import ExcelJS from 'exceljs';
import type { Coverage } from './coverage.js';
import type { StatusTable } from './status-table.js';
import { COVERAGE_COLUMNS, coverageRows, STATUS_COLUMNS, statusRows } from './status-table-rows.js';
import { addTableSheet } from './workbook-sheet.js';

export const STATUS_SHEET = 'Bảng tổng hợp';
export const COVERAGE_SHEET = 'Độ phủ số liệu';

/** `ntm report --format xlsx`: the status table, then the coverage of the same area. */
export async function statusReportWorkbook(table: StatusTable, coverage: Coverage): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'ntm-ingest';
  addTableSheet(workbook, STATUS_SHEET, STATUS_COLUMNS, statusRows(table));
  addTableSheet(workbook, COVERAGE_SHEET, COVERAGE_COLUMNS, coverageRows(coverage));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
