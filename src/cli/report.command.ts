import { closeDatabase, StatementQueries } from '../../db/index.js';
import { renderStatusReport } from '../report/status-report.js';
import { openCommandDatabase } from './open-database.js';

export function runReport(options: { db?: string }): void {
  const { db } = openCommandDatabase(options, { readonly: true });
  try {
    process.stdout.write(`${renderStatusReport(new StatementQueries(db))}\n`);
  } finally {
    closeDatabase(db);
  }
}
