import { closeDatabase, StatementQueries } from '../../db/index.js';
import { exportWorkbook } from '../report/export-workbook.js';
import { exportRecords, formatExport, type ExportFormat } from '../report/export-writer.js';
import { openCommandDatabase } from './open-database.js';
import { writeOutput } from './write-output.js';

export async function runExport(options: { db?: string; format: ExportFormat; bom?: boolean; out?: string }): Promise<void> {
  const { db } = openCommandDatabase(options, { readonly: true });
  try {
    const queries = new StatementQueries(db);
    const content = options.format === 'xlsx'
      ? await exportWorkbook(queries.statements(), queries.flags())
      : formatExport(exportRecords(queries), options.format, { bom: options.bom });
    writeOutput(content, options);
  } finally {
    closeDatabase(db);
  }
}
