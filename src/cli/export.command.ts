import { closeDatabase, StatementQueries } from '../../db/index.js';
import { exportRecords, formatExport, type ExportFormat } from '../report/export-writer.js';
import { openCommandDatabase } from './open-database.js';

export function runExport(options: { db?: string; format: ExportFormat }): void {
  const { db } = openCommandDatabase(options, { readonly: true });
  try {
    process.stdout.write(formatExport(exportRecords(new StatementQueries(db)), options.format));
  } finally {
    closeDatabase(db);
  }
}
