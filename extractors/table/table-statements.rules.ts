import type { DocumentContext } from '../context/document-context.js';
import { criteriaSetFor, type CriteriaSet } from '../criteria-sets/criteria-sets.js';
import type { CommuneCount, CriteriaList, CriterionItem, DistrictAggregate, Level } from '../statement.js';
import { commonFields, type Draft } from '../statement-builder.js';
import type { PartialDate } from '../tokens/dates.js';
import { readCount, readDecimal, readList, readMark, type ListReading } from './cell-values.js';
import { findTables, type TableBlock, type TableCell, type TableRow } from './table-grid.js';
import { readHeader, rowSignature, type ColumnRole, type TableHeader } from './table-header.rules.js';

type TableDraft = Draft<CommuneCount> | Draft<CriteriaList> | Draft<DistrictAggregate>;

/** A row read from a table is as sure as a plain sentence; names alone a little less. */
const TABLE_CONFIDENCE = 0.9;
/** Tab-separated rows (PDF text): cells found from gaps, not from the file's own table. */
const GAP_CONFIDENCE = 0.85;

/** Titles and headers of tables that are plans, budgets or lists of villages, not status. */
const NOT_STATUS_TITLE =
  /\b(?:phan\s+dau|ke\s+hoach|du\s+kien|muc\s+tieu|lo\s+trinh|dang\s+ky|kinh\s+phi|nguon\s+von|von\s+dau\s+tu|trieu\s+dong|phan\s+bo|du\s+toan|thon\s+(?:dat\s+chuan|kieu\s+mau|thong\s+minh)|so\s+ho)\b/;
const SUBTOTAL = /^(?:[ivx]+\.?\s+|[a-z]\.?\s+)?(?:cong|tong\s+cong|tong\s+so|toan\s+(?:tinh|huyen)|tinh\s+chung|binh\s+quan|chung\s+toan)\b/;
const PROVINCE_TOTAL = /\b(?:toan\s+tinh|tong\s+cong|chung\s+toan\s+tinh)\b/;
const GROUP = /^(?:[ivx]+\.?\s+|[a-z\d]{1,2}\.\s+)?(?:huyen|thi\s+xa|thanh\s+pho)\s+(?=\S)/;
/** The prose rule for averages already reads "bình quân 13,5 tiêu chí/xã" written in a row. */
const AVERAGE_IN_WORDS = /\bbinh\s+quan\b[^|]{0,80}?\d{1,2}(?:[.,]\d{1,2})?\s*tieu\s+chi\s*\/\s*xa\b/;

/** The level a folded text names, most specific first. */
function levelIn(fold: string): Level | null {
  if (/\bnang\s+cao\b/.test(fold)) return 'nang_cao';
  if (/\bk[^a-z\s]?i?eu\s+mau\b/.test(fold)) return 'kieu_mau'; // "K;ỂU MẪU": OCR damage
  if (/\b(?:nong\s+thon\s+moi|ntm)\b/.test(fold)) return 'ntm';
  return null;
}

interface TableState {
  header: TableHeader;
  title: string;
  level: Level | null;
  district: string | null;
  asOf: PartialDate | null;
  confidence: number;
}

/**
 * Statements read from the rows of status tables ("Biểu số 01: Kết quả thực hiện Bộ tiêu chí
 * …"): per xã, its count, its unmet and met lists, or its marks in a matrix; per subtotal row,
 * a district's average. Each is cited by its row. Plan, budget and village tables, and tables
 * whose header names no commune and no criteria, give nothing.
 */
export function tableStatements(context: DocumentContext): TableDraft[] {
  const drafts: TableDraft[] = [];
  let previous: TableState | null = null;
  for (const block of findTables(context.nfc, context.fold)) {
    const state = tableState(context, block, previous);
    previous = state;
    if (!state) continue;
    drafts.push(...readRows(context, block, state));
  }
  return drafts;
}

function tableState(context: DocumentContext, block: TableBlock, previous: TableState | null): TableState | null {
  const header = readHeader(block.rows);
  // A table continued on the next page, its header repeated or not.
  if (block.continuesPrevious && previous && (!header || header.columns.length === previous.header.columns.length)) {
    return { ...previous, header: header ?? { ...previous.header, rows: 0 } };
  }
  if (!header) return null;
  if (NOT_STATUS_TITLE.test(block.title)) return null;
  return {
    header,
    title: block.title,
    level: levelIn(block.title),
    district: null,
    asOf: context.asOfAt(block.start),
    confidence: block.separator === '|' ? TABLE_CONFIDENCE : GAP_CONFIDENCE,
  };
}

function readRows(context: DocumentContext, block: TableBlock, state: TableState): TableDraft[] {
  const drafts: TableDraft[] = [];
  const { columns } = state.header;
  const nameColumn = columns.findIndex((c) => c.role === 'commune');
  for (const row of block.rows.slice(state.header.rows)) {
    if (state.header.signature.includes(rowSignature(row))) continue; // the header again
    const filled = row.cells.filter((cell) => cell.fold.trim() !== '');
    if (filled.length === 0) continue;
    const name = row.cells[nameColumn];
    const lead = (name && name.fold.trim() !== '' ? name : (filled.find((cell) => !/^[\divx]{1,4}\.?$/.test(cell.fold.trim())) ?? filled[0]!)).fold.trim();
    if (SUBTOTAL.test(lead) || (filled.length <= 2 && SUBTOTAL.test(filled.map((c) => c.fold.trim()).join(' ')))) {
      drafts.push(...subtotal(context, row, state));
      continue;
    }
    const group = GROUP.exec(lead);
    if (group && name) {
      state.district = districtName(name);
      continue;
    }
    // A block heading mid-table: "II | XÃ ĐẠT CHUẨN NÔNG THÔN MỚI NÂNG CAO".
    const blockLevel = levelIn(filled.map((cell) => cell.fold).join(' '));
    if (
      blockLevel &&
      !hasFigures(
        row,
        columns.map((c) => c.role),
      )
    ) {
      state.level = blockLevel;
      continue;
    }
    if (!name || name.fold.trim() === '' || /^\d+$/.test(name.fold.trim())) continue;
    drafts.push(...communeRow(context, row, name, state));
  }
  return drafts;
}

function hasFigures(row: TableRow, roles: ColumnRole[]): boolean {
  return row.cells.some(
    (cell, i) => ['met_count', 'unmet_count', 'met_list', 'unmet_list', 'criterion'].includes(roles[i] ?? 'other') && cell.fold.trim() !== '',
  );
}

/** "Xã Tri Lễ", "Tri Lễ (*)", "TT. Văn Quan" → the name without its unit word. */
function communeName(cell: TableCell): string {
  const prefix = /^(?:xa|thi\s+tran|tt\.?)\s+/.exec(cell.fold);
  return cell.text
    .slice(prefix?.[0].length ?? 0)
    .replace(/\s*\([^)]*\)\s*$/u, '')
    .replace(/[\s.*]+$/u, '')
    .trim();
}

function districtName(cell: TableCell): string {
  const prefix = GROUP.exec(cell.fold);
  return cell.text
    .slice(prefix?.[0].length ?? 0)
    .replace(/[\s.:*]+$/u, '')
    .trim();
}

function common(context: DocumentContext, row: TableRow, commune: string | null, level: Level, state: TableState, rule: string, confidence: number) {
  const fields = commonFields(context, { start: row.start, end: row.end, commune, level, rule, confidence });
  // The row is one line of one page: its citation says which row of the table it is.
  const citations = fields.citations.length === 1 ? [{ ...fields.citations[0]!, row: row.number }] : fields.citations;
  const set = criteriaSetFor(level, state.asOf ?? context.documentDate);
  const place = state.district ? { ...fields.place, district: state.district } : fields.place;
  return { ...fields, citations, place, asOf: state.asOf, criteriaSet: set?.code ?? null };
}

function communeRow(context: DocumentContext, row: TableRow, nameCell: TableCell, state: TableState): TableDraft[] {
  const { columns } = state.header;
  const cellOf = (role: ColumnRole) => {
    const index = columns.findIndex((c) => c.role === role);
    return index >= 0 ? (row.cells[index] ?? null) : null;
  };
  const levelCell = cellOf('level');
  const level = (levelCell ? levelIn(levelCell.fold) : null) ?? state.level ?? 'ntm';
  const set = criteriaSetFor(level, state.asOf ?? context.documentDate);
  const commune = communeName(nameCell);
  const base = state.confidence;
  const districtCell = cellOf('district');
  const district = districtCell && districtCell.fold.trim() !== '' ? districtName(districtCell) : state.district;
  const fields = (rule: string, confidence: number) => common(context, row, commune, level, { ...state, district }, rule, confidence);
  const drafts: TableDraft[] = [];

  const marksColumns = columns.some((c) => c.role === 'criterion');
  // "Tổng số tiêu chí": the set's size beside a count, the count of marks in a matrix without one.
  const totalCell = cellOf('total');
  const countCell = cellOf('met_count') ?? (marksColumns ? totalCell : null);
  const count = countCell ? readCount(countCell) : null;
  const statedTotal = totalCell && totalCell !== countCell ? (readCount(totalCell)?.value ?? null) : null;
  const unmetCountCell = cellOf('unmet_count');
  const unmetCount = unmetCountCell ? readCount(unmetCountCell) : null;
  const marks = columns.flatMap((column, index) =>
    column.role === 'criterion' && column.criterion !== null ? [{ number: column.criterion, mark: readMark(row.cells[index] ?? emptyCell(row)) }] : [],
  );
  const size = count?.total ?? statedTotal ?? set?.criteria.length ?? (marks.length > 0 ? marks.length : 19);

  if (count) {
    drafts.push({ kind: 'commune_count', met: count.value, total: size, ...fields(marks.length > 0 ? 'table.matrix_total' : 'table.count_column', base) });
  }
  const unmetCell = cellOf('unmet_list');
  if (unmetCell) {
    const stated = unmetCount?.value ?? (count ? size - count.value : null);
    const list = listDraft(readList(unmetCell, set), 'unmet', stated, fields('table.unmet_list_column', base));
    if (list) drafts.push(list);
  }
  const metCell = cellOf('met_list');
  if (metCell) {
    const list = listDraft(readList(metCell, set), 'met', count?.value ?? null, fields('table.met_list_column', base));
    if (list) drafts.push(list);
  }
  if (marks.length > 0) {
    const unsure = marks.some((m) => m.mark === 'unsure');
    // A mark read as neither (OCR) is counted as met, and the row's confidence lowered so a reviewer looks.
    const confidence = unsure ? Math.round(base * 0.6 * 100) / 100 : base;
    const met = marks.filter((m) => m.mark !== 'unmet').map((m) => ({ number: m.number, name: null }));
    const unmet = marks.filter((m) => m.mark === 'unmet').map((m) => ({ number: m.number, name: null }));
    if (!count) {
      drafts.push({ kind: 'commune_count', met: met.length, total: size, ...fields('table.matrix_marks', Math.round(confidence * 0.95 * 100) / 100) });
    }
    const metList = listDraft({ items: met, unresolvedNames: [] }, 'met', count?.value ?? null, fields('table.matrix_marks', confidence), true);
    if (metList) drafts.push(metList);
    const unmetList = listDraft({ items: unmet, unresolvedNames: [] }, 'unmet', unmetCount?.value ?? null, fields('table.matrix_marks', confidence), true);
    if (unmetList) drafts.push(unmetList);
  }
  return drafts;
}

function emptyCell(row: TableRow): TableCell {
  return { text: '', fold: '', start: row.end, end: row.end };
}

type Fields = ReturnType<typeof common>;

/** `complete`: every criterion has its mark (a matrix), so an empty list still says "none". */
function listDraft(reading: ListReading, status: 'met' | 'unmet', statedCount: number | null, fields: Fields, complete = false): Draft<CriteriaList> | null {
  const { items, unresolvedNames } = reading;
  // An empty list cell says "none" only when a count says how many (0), or in a matrix.
  if (items.length === 0 && unresolvedNames.length === 0 && statedCount === null && !complete) return null;
  const named = items.some((item: CriterionItem) => item.name !== null) && !items.some((item) => /\d/.test(item.name ?? ''));
  const confidence =
    unresolvedNames.length > 0 || (named && items.every((item) => item.name !== null)) ? Math.round(fields.confidence * 0.85 * 100) / 100 : fields.confidence;
  return {
    kind: 'criteria_list',
    status,
    criteria: [...new Set(items.map((item) => item.number))],
    items,
    unresolvedNames,
    statedCount,
    ...fields,
    confidence,
  };
}

/**
 * "Cộng huyện Văn Quan | | 13,5" or "Cộng | 8 xã | 13,50": a district's average. A sum of the
 * counts is not a commune's count and is not read; the province's total row is not a district.
 */
function subtotal(context: DocumentContext, row: TableRow, state: TableState): Array<Draft<DistrictAggregate>> {
  const text = row.cells.map((cell) => cell.fold).join(' | ');
  if (PROVINCE_TOTAL.test(text) || AVERAGE_IN_WORDS.test(text)) return [];
  const countIndex = state.header.columns.findIndex((c) => c.role === 'met_count');
  const cell = row.cells[countIndex];
  const average = cell ? readDecimal(cell) : null;
  if (average === null) return [];
  const named = row.cells.map((c) => (/\b(?:huyen|thi\s+xa|thanh\s+pho)\s+(?=\S)/.exec(c.fold) ? c : null)).find((c) => c !== null);
  const district = named
    ? named.text
        .slice(/\b(?:huyen|thi\s+xa|thanh\s+pho)\s+/.exec(named.fold)?.index ?? 0)
        .replace(/^\S+\s+(?:xã\s+)?/iu, '')
        .replace(/[\s.:*]+$/u, '')
    : state.district;
  const level = state.level ?? 'ntm';
  const fields = common(context, row, null, level, { ...state, district }, 'table.subtotal_row', state.confidence);
  return [
    {
      kind: 'district_aggregate',
      scope: 'district',
      metric: 'average_criteria_per_commune',
      value: average,
      of: null,
      nCriteria: null,
      communes: null,
      ...fields,
    },
  ];
}
