import { stringify } from 'csv-stringify/sync';
import type { StatementQueries } from '../../db/index.js';
import type { ExportRecord } from './export-record.schema.js';
import { flagExport, statementExport } from './export-records.js';
import { neutraliseFormula } from './formula-guard.js';

export type ExportFormat = 'jsonl' | 'csv' | 'xlsx';

export const CSV_COLUMNS = [
  'id',
  'kind',
  'document.id',
  'document.sha256',
  'document.filename',
  'document.type',
  'document.number',
  'document.date',
  'province.name',
  'province.code',
  'district.name',
  'district.code',
  'district.former',
  'commune.name',
  'commune.code',
  'unitSystem',
  'level',
  'criteriaSet',
  'assessment',
  'asOf',
  'citation.page',
  'citation.row',
  'citation.start',
  'citation.end',
  'citation.quote',
  'rule',
  'confidence',
  'flags',
  'met',
  'total',
  'indicatorsMet',
  'indicatorsTotal',
  'communeGroup',
  'status',
  'criteria',
  'indicators',
  'statedCount',
  'scope',
  'metric',
  'value',
  'of',
  'nCriteria',
  'communes',
  'year',
  'count',
  'type',
  'message',
  'statements',
  'evidence',
] as const;

/** Every statement, then every flag, in the export contract; CSV flattens the same fields. */
export function exportRecords(queries: StatementQueries): ExportRecord[] {
  return [...queries.statements().map(statementExport), ...queries.flags().map(flagExport)];
}

export type TextExportFormat = 'jsonl' | 'csv';

export function formatExport(records: Array<Record<string, unknown>>, format: TextExportFormat, options: { bom?: boolean } = {}): string {
  if (format === 'jsonl') return records.map((record) => JSON.stringify(record)).join('\n') + (records.length ? '\n' : '');
  const rows = records.map(csvRow);
  return formatCsv([[...CSV_COLUMNS], ...rows], options);
}

/**
 * RFC 4180 CSV with every cell that could start a formula neutralised; with `bom`, a UTF-8
 * byte-order mark first, which is how Excel on Windows knows the file is UTF-8 (without it,
 * it reads the local code page and Vietnamese names turn to mojibake).
 */
export function formatCsv(rows: Array<Array<string | number | null>>, options: { bom?: boolean } = {}): string {
  const safe = rows.map((row) => row.map((cell) => (typeof cell === 'string' ? neutraliseFormula(cell) : (cell ?? ''))));
  return stringify(safe, { bom: Boolean(options.bom) });
}

/** One record's CSV cells, in CSV_COLUMNS order. */
export function csvRow(record: Record<string, unknown>): Array<string | number> {
  return CSV_PATHS.map((path) => csvCell(valueAtPath(record, path)));
}

/** CSV_COLUMNS split once, not for every cell of every record. */
const CSV_PATHS = CSV_COLUMNS.map((column) => column.split('.'));

function valueAtPath(record: Record<string, unknown>, keys: string[]): unknown {
  let value: unknown = record;
  for (const key of keys) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/** Lists of numbers or names become "1;3;4"; anything richer stays JSON; numbers stay numbers. */
function csvCell(value: unknown): string | number {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return value;
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object')) return value.join(';');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
