import { StandingClaimsQueries, StatusQueries } from '../../db/index.js';
import { buildCoverage, latestText, STATE_NAMES, type Coverage } from '../report/coverage.js';
import { formatCsv } from '../report/export-writer.js';
import { COVERAGE_COLUMNS, coverageRows } from '../report/status-table-rows.js';
import { ageOption, onReportDatabase, parseDay, resolveArea } from './report-area.js';
import { printOut } from './terminal-text.js';
import { writeOutput } from './write-output.js';

export interface CoverageOptions {
  db?: string;
  province?: string;
  district?: string;
  olderThan: string;
  asOf?: string;
  format: 'text' | 'csv';
  out?: string;
  bom?: boolean;
}

/**
 * `ntm coverage --province NAME [--older-than 12m]`: every xã of the area with its latest standing
 * count, those with none or a stale one first. Exit code 1 for an unknown area or a bad option.
 */
export function runCoverage(options: CoverageOptions): Promise<number> {
  return onReportDatabase(options, async (db) => {
    const area = resolveArea(new StatusQueries(db), options);
    const coverage = buildCoverage(new StandingClaimsQueries(db), area.districts, area.title, {
      olderThan: ageOption(options.olderThan),
      asOf: options.asOf ? parseDay(options.asOf, '--as-of') : undefined,
    });
    if (options.format === 'csv') {
      writeOutput(
        formatCsv([COVERAGE_COLUMNS.map((column) => column.header), ...coverageRows(coverage).map((row) => row.cells.map((cell) => cell ?? null))], {
          bom: options.bom,
        }),
        options,
      );
    } else {
      printOut(`${coverageText(coverage)}\n`);
    }
    return 0;
  });
}

function coverageText(coverage: Coverage): string {
  const count = (state: string) => coverage.rows.filter((row) => row.state === state).length;
  const lines = [
    `${coverage.area}: ${coverage.rows.length} xã; ${count('none')} with no count, ${count('stale')} stale (latest before ${coverage.staleBefore}), ${count('current')} current (as of ${coverage.reference})`,
  ];
  for (const row of coverage.rows) {
    const latest = row.latest ? `${latestText(row)}, as of ${row.latest.asOf ?? 'undated'}, ${row.latest.source ?? ''}` : '';
    lines.push(`  ${STATE_NAMES[row.state].padEnd(16)} ${row.districtName.padEnd(12)} ${row.communeName.padEnd(16)} ${row.communeCode}  ${latest}`);
  }
  return lines.join('\n');
}
