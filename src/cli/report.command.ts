import { StandingClaimsQueries, StatementQueries, StatusQueries } from '../../db/index.js';
import { buildCoverage } from '../report/coverage.js';
import { formatCsv } from '../report/export-writer.js';
import { statusReportDocx } from '../report/status-report-docx.js';
import { statusReportWorkbook } from '../report/status-report-workbook.js';
import { renderStatusReport } from '../report/status-report.js';
import { buildStatusTable, LEVEL_NAMES, unmetText, type StatusTable } from '../report/status-table.js';
import { STATUS_COLUMNS, statusRows } from '../report/status-table-rows.js';
import { ageOption, onReportDatabase, parseDay, ReportOptionError, resolveArea } from './report-area.js';
import { printOut } from './terminal-text.js';
import { writeOutput } from './write-output.js';

export type ReportFormat = 'text' | 'csv' | 'xlsx' | 'docx';

export interface ReportOptions {
  db?: string;
  district?: string;
  province?: string;
  format: ReportFormat;
  asOf?: string;
  out?: string;
  bom?: boolean;
  olderThan: string;
}

/**
 * `ntm report`: without an area, every commune's claims with sources, then flags (text); with
 * --district or --province, the standard status table (text, csv, xlsx with a coverage sheet, docx).
 * Exit code 1 for an area the gazetteer does not have or a malformed option.
 */
export function runReport(options: ReportOptions): Promise<number> {
  return onReportDatabase(options, async (db) => {
    if (!options.district && !options.province) {
      if (options.format !== 'text' || options.asOf)
        throw new ReportOptionError(
          `--format ${options.format}${options.asOf ? ' and --as-of' : ''}: give --district NAME or --province NAME for the status table.`,
        );
      printOut(`${renderStatusReport(new StatementQueries(db))}\n`);
      return 0;
    }
    const units = new StatusQueries(db);
    const claims = new StandingClaimsQueries(db);
    const area = resolveArea(units, options);
    const asOf = options.asOf ? parseDay(options.asOf, '--as-of') : undefined;
    const olderThan = ageOption(options.olderThan);
    const table = buildStatusTable(claims, units, area.districts, area.title, asOf);
    switch (options.format) {
      case 'xlsx':
        writeOutput(await statusReportWorkbook(table, buildCoverage(claims, area.districts, area.title, { olderThan, asOf })), options);
        break;
      case 'docx':
        writeOutput(await statusReportDocx(table), options);
        break;
      case 'csv':
        writeOutput(
          formatCsv([STATUS_COLUMNS.map((column) => column.header), ...statusRows(table).map((row) => row.cells.map((cell) => cell ?? null))], {
            bom: options.bom,
          }),
          options,
        );
        break;
      default:
        printOut(`${statusTableText(table)}\n`);
    }
    return 0;
  });
}

/** The status table on a terminal: one line per xã, the district subtotals after each district. */
function statusTableText(table: StatusTable): string {
  const lines = [`${table.area}: ${table.asOf ? `claims standing on ${table.asOf}` : 'claims standing now'}`];
  if (table.sections.length === 0) lines.push('No claims stored for this area.');
  for (const section of table.sections) {
    lines.push('', section.title);
    for (const group of section.groups) {
      lines.push(`  ${group.title}`);
      for (const row of group.rows) {
        const count = row.met === null ? '-' : `${row.met}/${row.total ?? '?'}`;
        const unmet = unmetText(row);
        lines.push(
          `  ${String(row.stt).padStart(3)}. ${row.communeName.padEnd(16)} ${(LEVEL_NAMES[row.level] ?? row.level).padEnd(12)} ${count.padStart(5)}  ${row.asOf ?? 'undated'}  ${row.source ?? ''}${row.flags.length ? `  [${row.flags.join(', ')}]` : ''}${unmet ? `\n         → ${unmet}` : ''}`,
        );
      }
      lines.push(
        `       Cộng: ${group.subtotal.atStandard}/${group.subtotal.communes} xã đạt chuẩn, bình quân ${group.subtotal.averageMet ?? '-'} tiêu chí/xã`,
      );
    }
  }
  return lines.join('\n');
}
