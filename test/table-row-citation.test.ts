/**
 * A statement read from a table row is cited by its page and its row (issue 9): the row is
 * stored with the citation, given as `citation.row` in the JSONL, CSV and xlsx exports, and
 * written "file p.N row R" in the report and the xlsx source column. Prose keeps "file p.N".
 * Run through the real CLI over a real SQLite database.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, StatementQueries } from '../db/index.js';
import { projectPath } from '../extractors/util/project-root.js';
import { ntm } from './support/run-cli.js';

// biome-ignore lint/suspicious/noExplicitAny: export records are read as JSON
type ExportRecord = Record<string, any>;

describe('table rows in citations, exports and the report', () => {
  const folder = mkdtempSync(join(tmpdir(), 'ntm-table-rows-'));
  const db = join(folder, 'ntm.sqlite');
  let records: ExportRecord[] = [];
  beforeAll(async () => {
    const input = join(folder, 'in');
    mkdirSync(input);
    for (const file of ['van-quan-phu-luc.borderless.pdf', 'lang-son-tong-hop.docx']) copyFileSync(projectPath('fixtures', 'tables', file), join(input, file));
    writeFileSync(join(input, 'prose.txt'), 'Năm 2024, xã Bình Phúc (huyện Văn Quan) đạt 13/19 tiêu chí nông thôn mới.\n');
    expect((await ntm(['ingest', input, '--db', db])).code).toBe(0);
    records = (await ntm(['export', '--format', 'jsonl', '--db', db])).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ExportRecord);
  }, 120_000);
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  const statements = () => records.filter((record) => record.kind !== 'flag');
  const triLe = () =>
    records.find((r) => r.kind === 'commune_count' && r.commune?.name === 'Tri Lễ' && r.document.filename === 'van-quan-phu-luc.borderless.pdf')!;

  it('gives every table statement its row, and no prose statement one; the quote is still the page text at [start, end)', () => {
    const table = statements().filter((r) => r.rule.startsWith('table.'));
    expect(table.length).toBeGreaterThan(60);
    for (const record of table) expect(record.citation.row).toBeGreaterThan(0);
    const prose = statements().filter((r) => !r.rule.startsWith('table.'));
    expect(prose.length).toBeGreaterThan(0);
    for (const record of prose) expect(record.citation).not.toHaveProperty('row');
    expect(triLe().citation).toMatchObject({ page: 1, row: 2, quote: '1 | Tri Lễ | 15 | 2, 5, 13, 17' });
    const handle = openDatabase(db);
    try {
      const queries = new StatementQueries(handle);
      const pageTexts = queries.pageTexts(queries.statements().map((s) => s.document.id));
      for (const s of queries.statements())
        for (const c of s.citations) expect(pageTexts.get(`${s.document.id}:${c.page}`)?.slice(c.start, c.end)).toBe(c.quote);
    } finally {
      closeDatabase(handle);
    }
  });

  it('writes citation.row in the CSV export', async () => {
    const csv = parse((await ntm(['export', '--format', 'csv', '--db', db])).stdout, { columns: true }) as Array<Record<string, string>>;
    const row = csv.find((r) => r.id === String(triLe().id))!;
    expect(row).toMatchObject({ 'citation.page': '1', 'citation.row': '2' });
    expect(csv.find((r) => r['document.filename'] === 'prose.txt')).toMatchObject({ 'citation.row': '' });
  });

  it('writes citation.row and a "file p.N row R" source in the xlsx sheets', async () => {
    const out = join(folder, 'export.xlsx');
    expect((await ntm(['export', '--format', 'xlsx', '--out', out, '--db', db])).code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const sheet = workbook.getWorksheet('counts')!;
    const headers = (sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(String);
    const rows: Array<Record<string, ExcelJS.CellValue>> = [];
    sheet.eachRow((row, number) => {
      if (number > 1) rows.push(Object.fromEntries(headers.map((header, index) => [header, row.getCell(index + 1).value])));
    });
    expect(rows.find((r) => r.id === triLe().id)).toMatchObject({ 'citation.row': 2, source: 'van-quan-phu-luc.borderless.pdf p.1 row 2' });
    expect(rows.find((r) => r['document.filename'] === 'prose.txt')).toMatchObject({ 'citation.row': null, source: 'prose.txt p.1' });
  });

  it('names the row in the status table, ntm status and coverage, read from the status views', async () => {
    const table = (await ntm(['report', '--district', 'Văn Quan', '--db', db])).stdout;
    expect(table).toMatch(/Tri Lễ .* 15\/19 .* lang-son-tong-hop\.docx p\.1 row 16/u);
    const status = (await ntm(['status', '--commune', 'Tri Lễ', '--db', db])).stdout;
    expect(status).toContain('van-quan-phu-luc.borderless.pdf p.1 row 2: "1 | Tri Lễ | 15 | 2, 5, 13, 17"');
    const coverage = (await ntm(['coverage', '--district', 'Văn Quan', '--db', db])).stdout;
    expect(coverage).toMatch(/Tri Lễ .*NTM 15\/19, as of 2024-12-20, lang-son-tong-hop\.docx p\.1 row 16/u);
  });

  it('names the row in the report', async () => {
    const report = (await ntm(['report', '--db', db])).stdout;
    expect(report).toContain('15/19 met, as of 2024-07-05, reported — van-quan-phu-luc.borderless.pdf p.1 row 2');
    expect(report).toMatch(/13\/19 met.*prose\.txt p\.1(?! row)/u);
  });
});
