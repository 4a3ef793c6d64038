/**
 * Analysts' outputs (issue 15): the xlsx export, CSV for Excel, the standard status table in
 * xlsx, docx and csv, coverage — each written by the real command over the seeds, then read back
 * with a library (exceljs, mammoth, JSZip, csv-parse) and checked against the status views.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../db/index.js';
import { ntm } from './support/run-cli.js';
import { useTempFolder } from './support/temp-folder.js';

const newTempFolder = useTempFolder();
const VAN_QUAN = '184';

interface ViewRow {
  commune_code: string;
  met: number;
  total: number;
  file_name: string;
  page_no: number;
  as_of: string;
}

async function readWorkbook(path: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook;
}

/** A sheet's rows as objects keyed by the header row's text. */
function sheetRecords(sheet: ExcelJS.Worksheet): Array<Record<string, ExcelJS.CellValue>> {
  const headers = (sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(String);
  const records: Array<Record<string, ExcelJS.CellValue>> = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    records.push(Object.fromEntries(headers.map((header, index) => [header, row.getCell(index + 1).value])));
  });
  return records;
}

function query<T>(db: string, sql: string, ...parameters: unknown[]): T[] {
  const handle = openDatabase(db);
  try {
    return handle.$client.prepare(sql).all(...parameters) as T[];
  } finally {
    closeDatabase(handle);
  }
}

describe("analysts' outputs over the seeds", () => {
  const folder = mkdtempSync(join(tmpdir(), 'ntm-outputs-'));
  const db = join(folder, 'ntm.sqlite');
  let standing: ViewRow[] = [];
  beforeAll(async () => {
    expect((await ntm(['ingest', 'fixtures/seeds', '--db', db])).code).toBe(0);
    standing = query<ViewRow>(
      db,
      'select commune_code, met, total, file_name, page_no, as_of from v_commune_count_status where district_code = ? order by commune_code',
      VAN_QUAN,
    );
    expect(standing).toHaveLength(16);
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('exports xlsx: one sheet per kind, typed cells, frozen filtered header, quote and source as in the JSON export', async () => {
    const out = join(folder, 'export.xlsx');
    expect((await ntm(['export', '--format', 'xlsx', '--out', out, '--db', db])).code).toBe(0);
    const records = (await ntm(['export', '--format', 'jsonl', '--db', db])).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, any>);
    const workbook = await readWorkbook(out);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['counts', 'criteria lists', 'indicators', 'aggregates', 'targets', 'flags']);
    const kinds: Record<string, string> = {
      counts: 'commune_count',
      'criteria lists': 'criteria_list',
      indicators: 'indicator_list',
      aggregates: 'district_aggregate',
      targets: 'target',
      flags: 'flag',
    };
    for (const sheet of workbook.worksheets) {
      expect(sheet.rowCount - 1, sheet.name).toBe(records.filter((record) => record.kind === kinds[sheet.name]).length);
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.autoFilter).toBeTruthy();
      expect(sheet.getRow(1).font?.bold).toBe(true);
    }
    const counts = sheetRecords(workbook.getWorksheet('counts')!);
    const minhTien = records.find(
      (record) => record.kind === 'commune_count' && record.commune?.name === 'Minh Tiến' && record.document.filename === '002_208071814d246b50.txt',
    )!;
    const row = counts.find((record) => record.id === minhTien.id)!;
    expect(row).toMatchObject({
      met: 13,
      total: 19,
      'commune.name': 'Minh Tiến',
      'commune.code': '06415',
      'district.name': 'Hữu Lũng',
      level: 'ntm',
      'citation.quote': minhTien.citation.quote,
      source: '002_208071814d246b50.txt p.1',
    });
    // "2024-09" is a month: a date cell on its first day, shown as 2024-09, so the column sorts as dates.
    expect(row.asOf).toEqual(new Date(Date.UTC(2024, 8, 1)));
    const asOfCell = workbook
      .getWorksheet('counts')!
      .getRow(counts.indexOf(row) + 2)
      .getCell(Object.keys(row).indexOf('asOf') + 1);
    expect(asOfCell.numFmt).toBe('yyyy-mm');
    expect(typeof row.confidence).toBe('number');
    // Every count of the JSON export is in the sheet with the same figures.
    for (const record of records.filter((r) => r.kind === 'commune_count')) {
      expect(counts.find((candidate) => candidate.id === record.id)).toMatchObject({
        met: record.met,
        total: record.total,
        'citation.quote': record.citation.quote,
      });
    }
    const lists = sheetRecords(workbook.getWorksheet('criteria lists')!);
    expect(lists.some((list) => list.criteria === '2; 4; 5; 6; 9; 11; 15; 16; 17' && list['commune.name'] === 'Tú Xuyên')).toBe(true);
  });

  it('writes the district status table as xlsx with the figures of the status views and a source on every row, and a coverage sheet', async () => {
    const out = join(folder, 'van-quan.xlsx');
    const result = await ntm(['report', '--district', 'Văn Quan', '--format', 'xlsx', '--out', out, '--db', db]);
    expect(result.code).toBe(0);
    const workbook = await readWorkbook(out);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Bảng tổng hợp', 'Độ phủ số liệu']);
    const rows = sheetRecords(workbook.getWorksheet('Bảng tổng hợp')!);
    const communes = rows.filter((row) => typeof row.STT === 'number');
    expect(communes.map((row) => row['Mã xã']).sort()).toEqual(standing.map((row) => row.commune_code));
    const status = (await ntm(['status', '--district', 'Văn Quan', '--db', db])).stdout;
    for (const view of standing) {
      const row = communes.find((candidate) => candidate['Mã xã'] === view.commune_code)!;
      expect(row).toMatchObject({
        'Số tiêu chí đạt': view.met,
        'Tổng số tiêu chí': view.total,
        Nguồn: `${view.file_name} p.${view.page_no}`,
        Mức: 'NTM',
        'Bộ tiêu chí': 'ntm_2016_2020',
        Huyện: 'Văn Quan',
      });
      expect(row['Tính đến']).toEqual(new Date(`${view.as_of}T00:00:00Z`));
      // The same figure `ntm status --district` says stands.
      expect(status).toMatch(
        new RegExp(`\\(${view.commune_code}\\) — [^\\n]*\\n(?:  written as[^\\n]*\\n)?  NTM \\(ntm_2016_2020\\) — stands: ${view.met}/${view.total},`),
      );
    }
    expect(communes.find((row) => row['Tên xã'] === 'Tú Xuyên')?.['Các tiêu chí chưa đạt']).toBe(
      '2 Giao thông; 4 Điện; 5 Trường học; 6 Cơ sở vật chất văn hóa; 9 Nhà ở dân cư; 11 Hộ nghèo; 15 Y tế; 16 Văn hóa; 17 Môi trường và an toàn thực phẩm',
    );
    expect(communes.find((row) => row['Tên xã'] === 'Hữu Lễ')?.['Cảnh báo']).toMatch(/contradictory_counts/);
    const subtotal = rows.find((row) => String(row['Tên xã']).startsWith('Cộng Huyện Văn Quan'))!;
    const mean = standing.reduce((sum, row) => sum + row.met, 0) / standing.length;
    expect(subtotal['Số tiêu chí đạt']).toBeCloseTo(mean, 2);
    expect(subtotal['Các tiêu chí chưa đạt']).toBe(`${standing.filter((row) => row.met === row.total).length}/16 xã đạt chuẩn`);

    const coverage = sheetRecords(workbook.getWorksheet('Độ phủ số liệu')!);
    // Today's xã: two of the sixteen the 2020 report names were merged away in 2025.
    const gazetteer = query<{ code: string }>(
      db,
      "select code from admin_units where level = 3 and type = 'xã' and valid_to is null and district_code = ?",
      VAN_QUAN,
    );
    expect(gazetteer).toHaveLength(14);
    expect(coverage.map((row) => row['Mã xã']).sort()).toEqual(gazetteer.map((row) => row.code).sort());
    // Counts of 2020 are stale today: every commune is "none" or "stale", the ones with none first.
    const states = coverage.map((row) => row['Tình trạng']);
    expect(states.lastIndexOf('chưa có số liệu')).toBeLessThan(states.indexOf('số liệu cũ'));
    expect(
      coverage
        .filter((row) => row['Tình trạng'] === 'số liệu cũ')
        .map((row) => row['Mã xã'])
        .sort(),
    ).toEqual(standing.map((row) => row.commune_code).filter((code) => gazetteer.some((unit) => unit.code === code)));
    expect(coverage.find((row) => row['Tên xã'] === 'Hữu Lễ')).toMatchObject({ 'Số liệu mới nhất': 'NTM 16/19', Nguồn: '001_f3406501ba6aec7a.txt p.1' });
  });

  it('writes the status table as a real Word table with Vietnamese text, a heading row per district and subtotals', async () => {
    const out = join(folder, 'lang-son.docx');
    expect((await ntm(['report', '--province', 'Lạng Sơn', '--format', 'docx', '--out', out, '--db', db])).code).toBe(0);
    const xml = await (await JSZip.loadAsync(readFileSync(out))).file('word/document.xml')!.async('string');
    expect(xml).toContain('<w:tbl>');
    expect(xml).toContain('<w:tblHeader/>');
    const { value: html } = await mammoth.convertToHtml({ path: out });
    const tables = [...html.matchAll(/<table>(.*?)<\/table>/g)].map((match) =>
      [...match[1]!.matchAll(/<tr>(.*?)<\/tr>/g)].map((row) =>
        [...row[1]!.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/g)].map((cell) => cell[1]!.replace(/<[^>]+>/g, '')),
      ),
    );
    // NTM 2021-2025, NTM 2016-2020, nâng cao, kiểu mẫu.
    expect(tables).toHaveLength(4);
    const vanQuan = tables.find((table) => table.some((row) => row[0] === 'Huyện Văn Quan'))!;
    expect(vanQuan[0]).toEqual(['STT', 'Tên xã', 'Mức', 'Số tiêu chí đạt', 'Các tiêu chí chưa đạt', 'Tính đến', 'Nguồn', 'Cảnh báo']);
    for (const view of standing) {
      const name = query<{ name: string }>(db, 'select name from admin_units where code = ?', view.commune_code)[0]!.name;
      const row = vanQuan.find((cells) => cells[1] === name)!;
      expect(row.slice(2, 4)).toEqual(['NTM', `${view.met}/${view.total}`]);
      expect(row[6]).toBe(`${view.file_name} p.${view.page_no}`);
    }
    const mean = standing.reduce((sum, row) => sum + row.met, 0) / standing.length;
    expect(vanQuan.at(-1)).toEqual(['Cộng Huyện Văn Quan (bình quân tiêu chí/xã)', mean.toLocaleString('vi-VN'), '3/16 xã đạt chuẩn']);
    const ntm2021 = tables.find((table) => table.some((row) => row[1] === 'Thượng Cường'))!;
    expect(ntm2021.find((row) => row[1] === 'Thượng Cường')?.slice(3, 5)).toEqual([
      '13/19',
      '2 Giao thông; 5 Trường học; 6 Cơ sở vật chất văn hóa; 15 Y tế; 17 Môi trường và an toàn thực phẩm; 18 Hệ thống chính trị và tiếp cận pháp luật',
    ]);
    expect(html).toContain('BẢNG TỔNG HỢP KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ — TỈNH LẠNG SƠN');
  });

  it('writes the status table as CSV, with a byte-order mark for Excel only when asked', async () => {
    const plain = await ntm(['report', '--district', 'van quan', '--format', 'csv', '--db', db]);
    expect(plain.stdout.charCodeAt(0)).not.toBe(0xfeff);
    const out = join(folder, 'van-quan.csv');
    expect((await ntm(['report', '--district', 'van quan', '--format', 'csv', '--bom', '--out', out, '--db', db])).code).toBe(0);
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(bytes.subarray(3).toString('utf8')).toBe(plain.stdout);
    for (const view of standing) {
      expect(rows.find((row) => row['Mã xã'] === view.commune_code)).toMatchObject({
        'Số tiêu chí đạt': String(view.met),
        'Tổng số tiêu chí': String(view.total),
        Nguồn: `${view.file_name} p.${view.page_no}`,
      });
    }
    expect(rows.find((row) => row['Tên xã'] === 'Hữu Lễ')).toMatchObject({
      'Các tiêu chí chưa đạt': 'cơ bản đạt: 10 Thu nhập; 11 Hộ nghèo; 17 Môi trường và an toàn thực phẩm',
    });

    const exported = await ntm(['export', '--format', 'csv', '--bom', '--db', db]);
    expect(exported.stdout.startsWith('\uFEFFid,kind,')).toBe(true);
    expect((await ntm(['export', '--format', 'csv', '--db', db])).stdout.startsWith('id,kind,')).toBe(true);
  });

  it('takes the claims standing on an --as-of date: a month-dated report stands only once its month is over', async () => {
    const row = async (asOf: string) => {
      const { stdout, code } = await ntm(['report', '--district', 'Hữu Lũng', '--format', 'csv', '--as-of', asOf, '--db', db]);
      expect(code).toBe(0);
      return (parse(stdout, { columns: true }) as Array<Record<string, string>>).find(
        (candidate) => candidate['Tên xã'] === 'Minh Tiến' && candidate['Mức'] === 'NTM',
      );
    };
    // Seed 002 gives Minh Tiến 13/19 "as of 2024-09"; on the 15th only the appraisal's criteria of 2024-09-06 stand.
    expect(await row('2024-09-15')).toMatchObject({ 'Số tiêu chí đạt': '', 'Tính đến': '2024-09-06' });
    expect(await row('2024-09-30')).toMatchObject({ 'Số tiêu chí đạt': '13', 'Tính đến': '2024-09' });
    // Re-ranked on a day after every claim, the table is the status views' own (the seeds have no undated count).
    const now = await ntm(['report', '--province', 'Lạng Sơn', '--format', 'csv', '--db', db]);
    expect(now.stdout.split('\n').length).toBeGreaterThan(30);
    expect((await ntm(['report', '--province', 'Lạng Sơn', '--format', 'csv', '--as-of', '9999-12-31', '--db', db])).stdout).toBe(now.stdout);
    const bad = await ntm(['report', '--district', 'Hữu Lũng', '--as-of', '2024-02-30', '--db', db]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--as-of needs a date as YYYY-MM-DD, not "2024-02-30".');
  });

  it('lists coverage: communes with no count first, then stale ones, then current ones', async () => {
    // The xã of Văn Quan at the end of 2020: all sixteen of the report, and no other.
    const gazetteer = query<{ code: string }>(
      db,
      "select code from admin_units where level = 3 and type = 'xã' and valid_from <= '2020-12-31' and (valid_to is null or valid_to > '2020-12-31') and district_code = ?",
      VAN_QUAN,
    );
    expect(gazetteer.map((unit) => unit.code).sort()).toEqual(standing.map((row) => row.commune_code));
    const lines = async (args: string[]) => {
      const { stdout, code } = await ntm(['coverage', '--province', 'Lạng Sơn', '--district', 'Văn Quan', ...args, '--db', db]);
      expect(code).toBe(0);
      return stdout.trimEnd().split('\n');
    };
    const then = await lines(['--as-of', '2020-12-31']);
    expect(then[0]).toBe('huyện Văn Quan, tỉnh Lạng Sơn: 16 xã; 0 with no count, 0 stale (latest before 2019-12-31), 16 current (as of 2020-12-31)');
    expect(then.slice(1).map((line) => line.trim().split(/\s{2,}/)[0])).toEqual(Array<string>(16).fill('còn hiệu lực'));
    // Before the report, none has a count.
    const before = await lines(['--as-of', '2020-05-19']);
    expect(before[0]).toContain('16 xã; 16 with no count, 0 stale');
    expect(then.find((line) => line.includes('06322'))).toMatch(/Hữu Lễ +06322 {2}NTM 16\/19, as of 2020-05-20, 001_f3406501ba6aec7a\.txt p\.1/);
    const later = await lines(['--as-of', '2022-01-01', '--older-than', '18m']);
    expect(later[0]).toContain('16 xã; 0 with no count, 16 stale (latest before 2020-07-01), 0 current');
    expect((await lines(['--as-of', '2022-01-01', '--older-than', '2y']))[0]).toContain('0 stale (latest before 2020-01-01), 16 current');

    const csv = await ntm(['coverage', '--province', 'lang son', '--format', 'csv', '--db', db]);
    const rows = parse(csv.stdout, { columns: true }) as Array<Record<string, string>>;
    const today = new Date().toISOString().slice(0, 10);
    expect(rows).toHaveLength(
      query(
        db,
        "select code from admin_units where level = 3 and type = 'xã' and valid_from <= ? and (valid_to is null or valid_to > ?) and province_code = '20'",
        today,
        today,
      ).length,
    );
    // None first: the first row has no count, the last one has.
    expect(rows[0]!['Tình trạng']).toBe('chưa có số liệu');
    expect(rows.find((row) => row['Mã xã'] === '06415')).toMatchObject({ 'Tên xã': 'Minh Tiến', 'Tình trạng': 'số liệu cũ', 'Tính đến': '2024-09' });

    const unknown = await ntm(['coverage', '--province', 'Atlantis', '--db', db]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No province named "Atlantis" in the gazetteer.');
    const badAge = await ntm(['coverage', '--province', 'Lạng Sơn', '--older-than', '12 weeks', '--db', db]);
    expect(badAge.code).toBe(1);
    expect(badAge.stderr).toContain('--older-than needs an age such as 12m, 90d or 2y, not "12 weeks".');
    const noArea = await ntm(['report', '--format', 'xlsx', '--db', db]);
    expect(noArea.code).toBe(1);
    expect(noArea.stderr).toContain('give --district NAME or --province NAME');
  });
});

describe('the status table on a past day', () => {
  it('ranks the claims dated up to that day as the views do: the appraisal standing then, not the later one', async () => {
    const folder = newTempFolder();
    const db = join(folder, 'ntm.sqlite');
    const write = (name: string, body: string) => {
      writeFileSync(
        join(folder, name),
        `Số: 12/BC-UBND\n\nHữu Lũng, ngày 16 tháng 9 năm 2024\n\nBÁO CÁO\n\nKết quả xây dựng nông thôn mới huyện Hữu Lũng\n\n${body}\n`,
      );
      return join(folder, name);
    };
    const files = [
      write('self.txt', 'Xã Minh Tiến tự đánh giá đạt 18/19 tiêu chí.'),
      write(
        'appraisal.txt',
        '- Ngày 23/8/2024, Đoàn thẩm định đánh giá xã Minh Tiến đạt 15/19 tiêu chí.\n- Ngày 06/9/2024, Đoàn thẩm định đánh giá xã Minh Tiến đạt 17/19 tiêu chí.',
      ),
    ];
    expect((await ntm(['ingest', ...files, '--db', db])).code).toBe(0);
    const minhTien = async (...asOf: string[]) => {
      const { stdout } = await ntm(['report', '--district', 'Hữu Lũng', '--format', 'csv', ...asOf, '--db', db]);
      return (parse(stdout, { columns: true }) as Array<Record<string, string>>).find((row) => row['Mã xã'] === '06415');
    };
    const [view] = query<{ met: number; as_of: string }>(db, "select met, as_of from v_commune_count_status where commune_code = '06415'");
    expect(view).toEqual({ met: 17, as_of: '2024-09-06' });
    expect(await minhTien()).toMatchObject({ 'Số tiêu chí đạt': '17', 'Tính đến': '2024-09-06', Nguồn: 'appraisal.txt p.1' });
    // The self-assessment of 2024-09-16 never outranks an appraisal; on 2024-08-31 only the first appraisal was made.
    expect(await minhTien('--as-of', '2024-09-30')).toMatchObject({ 'Số tiêu chí đạt': '17' });
    expect(await minhTien('--as-of', '2024-08-31')).toMatchObject({ 'Số tiêu chí đạt': '15', 'Tính đến': '2024-08-23' });
    expect(await minhTien('--as-of', '2024-08-01')).toBeUndefined();
  });
});

describe('hostile file names (issue 10, item 9)', () => {
  it('neutralises formula-like names in CSV and xlsx, and strips terminal control characters from printed names', async () => {
    const folder = newTempFolder();
    const db = join(folder, 'ntm.sqlite');
    const seed = readFileSync('fixtures/seeds/002_208071814d246b50.txt', 'utf8');
    const names = ['=HYPERLINK(1).txt', '+SUM(1).txt', '-2+3.txt', '@cmd.txt', 'evil\u001b]0;owned\u0007\u001b[2J.txt'];
    const files = names.map((name, index) => {
      const path = join(folder, name);
      writeFileSync(path, `${seed}\nGhi chú ${index}.\n`); // distinct bytes: each is a new document
      return path;
    });
    const ingest = await ntm(['ingest', ...files, '--db', db]);
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).not.toMatch(/[\u0007\u001b]/);
    expect(ingest.stdout).toContain('evil]0;owned[2J.txt: 10 statements');

    const csv = (await ntm(['export', '--format', 'csv', '--db', db])).stdout;
    const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
    const filenames = new Set(rows.map((row) => row['document.filename']));
    expect([...filenames].sort()).toEqual(["'+SUM(1).txt", "'-2+3.txt", "'=HYPERLINK(1).txt", "'@cmd.txt", 'evil\u001b]0;owned\u0007\u001b[2J.txt']);
    for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    // Numbers are not text: no apostrophe before a figure.
    expect(rows[0]).toMatchObject({ met: '13', total: '19' });

    const out = join(folder, 'export.xlsx');
    expect((await ntm(['export', '--format', 'xlsx', '--out', out, '--db', db])).code).toBe(0);
    const workbook = await readWorkbook(out);
    const cells: ExcelJS.CellValue[] = [];
    workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell.value))));
    expect(cells.filter((value) => typeof value === 'object' && value !== null && !(value instanceof Date))).toEqual([]); // no formula cells
    expect(cells).toContain("'=HYPERLINK(1).txt");
    expect(cells.filter((value) => typeof value === 'string' && /^[=+\-@\t\r]/.test(value))).toEqual([]);

    for (const args of [['report'], ['status', '--district', 'Hữu Lũng'], ['report', '--district', 'Hữu Lũng'], ['coverage', '--district', 'Hữu Lũng']]) {
      const { stdout, code } = await ntm([...args, '--db', db]);
      expect(code, args.join(' ')).toBe(0);
      expect(stdout, args.join(' ')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }
  });
});
