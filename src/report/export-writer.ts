import { stringify } from 'csv-stringify/sync';
import type { StatementQueries } from '../../db/index.js';
import { flagExport, statementExport } from './export-records.js';

export type ExportFormat = 'jsonl' | 'csv';

const CSV_COLUMNS = [
  'id', 'kind', 'document.id', 'document.sha256', 'document.filename', 'document.type', 'document.number', 'document.date',
  'province.name', 'province.code', 'district.name', 'district.code', 'district.former', 'commune.name', 'commune.code', 'unitSystem',
  'level', 'criteriaSet', 'assessment', 'asOf',
  'citation.page', 'citation.start', 'citation.end', 'citation.quote', 'rule', 'confidence', 'flags',
  'met', 'total', 'indicatorsMet', 'indicatorsTotal', 'communeGroup', 'status', 'criteria', 'indicators', 'statedCount', 'metric', 'value', 'of', 'nCriteria', 'communes', 'year', 'count',
  'type', 'message', 'statements', 'evidence',
] as const;

/** Every statement, then every flag, in the export contract; CSV flattens the same fields. */
export function exportRecords(queries: StatementQueries): Array<Record<string, unknown>> {
  return [...queries.statements().map(statementExport), ...queries.flags().map(flagExport)];
}

export function formatExport(records: Array<Record<string, unknown>>, format: ExportFormat): string {
  if (format === 'jsonl') return records.map((record) => JSON.stringify(record)).join('\n') + (records.length ? '\n' : '');
  const rows = records.map((record) => CSV_COLUMNS.map((column) => csvCell(valueAt(record, column))));
  return stringify([[...CSV_COLUMNS], ...rows]);
}

function valueAt(record: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), record);
}

/** Lists of numbers or names become "1;3;4"; anything richer stays JSON. */
function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object')) return value.join(';');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
