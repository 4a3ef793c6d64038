import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { StatementQueries } from '../../db/index.js';
import { flagExport, statementExport } from './export-records.js';
import { CSV_COLUMNS, csvRow, formatCsv, type TextExportFormat } from './export-writer.js';

/** Records per write: large enough that a write costs little, small enough to stay a few hundred KiB. */
const RECORDS_PER_CHUNK = 1000;

/**
 * Streams the export (every statement, then every flag; the same bytes as formatExport) to
 * `output`, reading the database a batch of documents at a time and waiting for the output to
 * drain whenever it says it is full: memory stays constant whatever the size of the database.
 */
export async function streamExport(queries: StatementQueries, format: TextExportFormat, output: Writable, options: { bom?: boolean } = {}): Promise<number> {
  let records = 0;
  let pending: Array<Record<string, unknown>> = [];
  const write = async (text: string) => {
    if (!output.write(text)) await once(output, 'drain');
  };
  const flush = async () => {
    if (pending.length === 0) return;
    const text = format === 'jsonl' ? `${pending.map((record) => JSON.stringify(record)).join('\n')}\n` : formatCsv(pending.map(csvRow));
    pending = [];
    await write(text);
  };
  if (format === 'csv') await write(formatCsv([[...CSV_COLUMNS]], options));
  const add = async (record: Record<string, unknown>) => {
    pending.push(record);
    records += 1;
    if (pending.length >= RECORDS_PER_CHUNK) await flush();
  };
  for (const statement of queries.eachStatement()) await add(statementExport(statement));
  for (const flag of queries.eachFlag()) await add(flagExport(flag));
  await flush();
  return records;
}
