import ExcelJS from 'exceljs';
import type { CitationRecord, FlagRecord, StatementRecord } from '../../db/index.js';
import { place } from './export-records.js';
import { sourceOf } from './source-label.js';
import { addTableSheet, type CellValue, type SheetColumn } from './workbook-sheet.js';

/** A column of the export workbook: its header (the export contract's name), cell kind and value. */
interface ExportColumn<T> extends SheetColumn {
  value: (item: T) => CellValue;
}

const text = (header: string, value: (s: StatementRecord) => CellValue, width?: number): ExportColumn<StatementRecord> => ({
  header,
  kind: 'text',
  value,
  width,
});
const integer = (header: string, value: (s: StatementRecord) => CellValue): ExportColumn<StatementRecord> => ({ header, kind: 'integer', value });
const payload = (key: string) => (s: StatementRecord) => listOrValue(s.payload[key]);

/** Lists of numbers or names as "1; 3; 4"; numbers stay numbers. */
function listOrValue(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'object' ? JSON.stringify(item) : String(item))).join('; ');
  if (typeof value === 'number' || typeof value === 'string') return value;
  return JSON.stringify(value);
}

const LEADING: Array<ExportColumn<StatementRecord>> = [
  integer('id', (s) => s.id),
  text('document.filename', (s) => s.document.filename, 30),
  text('document.type', (s) => s.document.type),
  text('document.number', (s) => s.document.number),
  { header: 'document.date', kind: 'date', value: (s) => s.document.date },
  text('province.name', (s) => place(s, 'province')?.name ?? null),
  text('district.name', (s) => place(s, 'district')?.name ?? null),
  text('district.code', (s) => place(s, 'district')?.code ?? null),
  text('commune.name', (s) => place(s, 'commune')?.name ?? null),
  text('commune.code', (s) => place(s, 'commune')?.code ?? null),
  text('level', (s) => s.level),
  text('criteriaSet', (s) => s.criteriaSet, 22),
  text('assessment', (s) => s.assessment),
  { header: 'asOf', kind: 'date', value: (s) => s.asOf },
];

const TRAILING: Array<ExportColumn<StatementRecord>> = [
  { header: 'confidence', kind: 'decimal', value: (s) => s.confidence },
  text('rule', (s) => s.rule, 28),
  text('flags', (s) => [...new Set(s.flags.map((flag) => flag.type))].join('; ')),
  integer('citation.row', (s) => s.citations[0]?.row ?? null),
  text('citation.quote', (s) => s.citations[0]?.quote ?? null, 60),
  text('source', (s) => sourceOf(s.document.filename, s.citations[0]?.page, s.citations[0]?.row), 32),
];

/** One sheet per kind of statement, with the kind's own fields between the common ones. */
const SHEETS: Array<{ name: string; kind: string; fields: Array<ExportColumn<StatementRecord>> }> = [
  {
    name: 'counts',
    kind: 'commune_count',
    fields: [integer('met', (s) => numberOrNull(s.payload.met)), integer('total', (s) => numberOrNull(s.payload.total))],
  },
  {
    name: 'criteria lists',
    kind: 'criteria_list',
    fields: [
      text('status', payload('status')),
      text('criteria', payload('criteria'), 24),
      integer('statedCount', (s) => numberOrNull(s.payload.statedCount)),
      text(
        'items',
        (s) =>
          ((s.payload.items as Array<{ number: number; name: string | null }> | undefined) ?? [])
            .map((item) => `${item.number}${item.name ? ` ${item.name}` : ''}`)
            .join('; '),
        40,
      ),
      text('unresolvedNames', payload('unresolvedNames')),
    ],
  },
  {
    name: 'indicators',
    kind: 'indicator_list',
    fields: [
      text('status', payload('status')),
      text('indicators', payload('indicators'), 24),
      integer('statedCount', (s) => numberOrNull(s.payload.statedCount)),
    ],
  },
  {
    name: 'aggregates',
    kind: 'district_aggregate',
    fields: [
      text('scope', (s) => String(s.payload.scope ?? 'district'), 10),
      text('metric', payload('metric'), 30),
      { header: 'value', kind: 'decimal', value: (s) => numberOrNull(s.payload.value) },
      integer('of', (s) => numberOrNull(s.payload.of)),
      integer('nCriteria', (s) => numberOrNull(s.payload.nCriteria)),
      text('communes', payload('communes'), 30),
    ],
  },
  {
    name: 'targets',
    kind: 'target',
    fields: [
      integer('year', (s) => numberOrNull(s.payload.year)),
      text('communes', payload('communes'), 30),
      integer('count', (s) => numberOrNull(s.payload.count)),
    ],
  },
];

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

const FLAG_COLUMNS: Array<ExportColumn<FlagRecord>> = [
  { header: 'id', kind: 'integer', value: (flag) => flag.id },
  { header: 'type', kind: 'text', value: (flag) => flag.type, width: 24 },
  { header: 'scope', kind: 'text', value: (flag) => flag.scope },
  { header: 'message', kind: 'text', value: (flag) => flag.message, width: 60 },
  { header: 'document.filename', kind: 'text', value: (flag) => flag.document.filename, width: 30 },
  { header: 'statements', kind: 'text', value: (flag) => flag.statements.join('; ') },
  { header: 'citation.quote', kind: 'text', value: (flag) => flag.evidence[0]?.quote ?? null, width: 60 },
  { header: 'source', kind: 'text', value: (flag) => evidenceSource(flag, flag.evidence[0]), width: 32 },
];

function evidenceSource(flag: FlagRecord, evidence: CitationRecord | undefined): string | null {
  if (!evidence) return flag.document.filename;
  // Cross-document evidence names its own document by id; the flag's file is the one it was found in.
  return (
    sourceOf(flag.document.filename, evidence.page) +
    (evidence.documentId && evidence.documentId !== flag.document.id ? ` (document ${evidence.documentId})` : '')
  );
}

/** `ntm export --format xlsx`: the export contract as a workbook, one sheet per kind and one of flags. */
export async function exportWorkbook(statements: StatementRecord[], flags: FlagRecord[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'ntm-ingest';
  for (const sheet of SHEETS) {
    const columns = [...LEADING, ...sheet.fields, ...TRAILING];
    const rows = statements.filter((s) => s.kind === sheet.kind).map((s) => ({ cells: columns.map((column) => column.value(s)) }));
    addTableSheet(workbook, sheet.name, columns, rows);
  }
  addTableSheet(
    workbook,
    'flags',
    FLAG_COLUMNS,
    flags.map((flag) => ({ cells: FLAG_COLUMNS.map((column) => column.value(flag)) })),
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
