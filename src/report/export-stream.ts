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
  let lines = '';
  const write = async (text: string) => {
    if (!output.write(text)) await once(output, 'drain');
  };
  const flush = async () => {
    if (pending.length === 0 && lines === '') return;
    const text = format === 'jsonl' ? lines : formatCsv(pending.map(csvRow));
    pending = [];
    lines = '';
    await write(text);
  };
  if (format === 'csv') await write(formatCsv([[...CSV_COLUMNS]], options));
  /** Adds a record to the chunk; true when the chunk is full (awaited only then: a promise per record costs). */
  const add = (record: Record<string, unknown>) => {
    // JSONL: each record's line appended to the chunk as it comes (no array of records to map and join).
    if (format === 'jsonl') lines += `${JSON.stringify(record)}\n`;
    else pending.push(record);
    records += 1;
    return records % RECORDS_PER_CHUNK === 0;
  };
  for (const statement of queries.eachStatement()) if (add(statementExport(statement))) await flush();
  for (const flag of queries.eachFlag()) if (add(flagExport(flag))) await flush();
  await flush();
  return records;
}
