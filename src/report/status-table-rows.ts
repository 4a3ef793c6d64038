import type { Coverage } from './coverage.js';
import { latestText, STATE_NAMES } from './coverage.js';
import { LEVEL_NAMES, subtotalText, unmetText, type StatusTable, type Subtotal } from './status-table.js';
import type { CellValue, SheetColumn } from './workbook-sheet.js';

/** The status table as flat rows (CSV, xlsx): one per xã, a subtotal after each district, a total per set. */
export const STATUS_COLUMNS: SheetColumn[] = [
  { header: 'STT', kind: 'integer', width: 6 },
  { header: 'Huyện', kind: 'text', width: 16 },
  { header: 'Tên xã', kind: 'text', width: 22 },
  { header: 'Mã xã', kind: 'text', width: 8 },
  { header: 'Mức', kind: 'text', width: 14 },
  { header: 'Bộ tiêu chí', kind: 'text', width: 22 },
  { header: 'Số tiêu chí đạt', kind: 'number', width: 14 },
  { header: 'Tổng số tiêu chí', kind: 'integer', width: 14 },
  { header: 'Các tiêu chí chưa đạt', kind: 'text', width: 60 },
  { header: 'Tính đến', kind: 'date', width: 12 },
  { header: 'Nguồn', kind: 'text', width: 32 },
  { header: 'Cảnh báo', kind: 'text', width: 24 },
];

export interface FlatRow {
  cells: CellValue[];
  bold?: boolean;
}

export function statusRows(table: StatusTable): FlatRow[] {
  const rows: FlatRow[] = [];
  const subtotalRow = (label: string, district: string, level: string, set: string | null, subtotal: Subtotal): FlatRow => ({
    cells: [null, district, label, null, LEVEL_NAMES[level] ?? level, set, subtotal.averageMet, null, subtotalText(subtotal), null, null, null],
    bold: true,
  });
  for (const section of table.sections) {
    for (const group of section.groups) {
      for (const row of group.rows) {
        rows.push({
          cells: [
            row.stt,
            row.districtName,
            row.communeName,
            row.communeCode,
            LEVEL_NAMES[row.level] ?? row.level,
            section.criteriaSet,
            row.met,
            row.total,
            unmetText(row),
            row.asOf,
            row.source,
            row.flags.join('; '),
          ],
        });
      }
      rows.push(
        subtotalRow(`Cộng ${group.title} (bình quân tiêu chí/xã)`, group.rows[0]?.districtName ?? '', section.level, section.criteriaSet, group.subtotal),
      );
    }
    if (section.groups.length > 1) rows.push(subtotalRow('Tổng cộng (bình quân tiêu chí/xã)', '', section.level, section.criteriaSet, section.total));
  }
  return rows;
}

export const COVERAGE_COLUMNS: SheetColumn[] = [
  { header: 'Huyện', kind: 'text', width: 16 },
  { header: 'Tên xã', kind: 'text', width: 22 },
  { header: 'Mã xã', kind: 'text', width: 8 },
  { header: 'Tình trạng', kind: 'text', width: 16 },
  { header: 'Số liệu mới nhất', kind: 'text', width: 18 },
  { header: 'Tính đến', kind: 'date', width: 12 },
  { header: 'Nguồn', kind: 'text', width: 32 },
];

export function coverageRows(coverage: Coverage): FlatRow[] {
  return coverage.rows.map((row) => ({
    cells: [row.districtName, row.communeName, row.communeCode, STATE_NAMES[row.state], latestText(row), row.latest?.asOf ?? null, row.latest?.source ?? null],
  }));
}
