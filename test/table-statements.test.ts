import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFParse } from 'pdf-parse';
import { describe, expect, it } from 'vitest';
import { extractStatements } from '../extractors/extract-statements.js';
import type { Statement } from '../extractors/statement.js';
import { columnMeaning, headerCorpus } from '../extractors/table/table-header.rules.js';
import { foldPhrase } from '../extractors/text/match-view.js';
import { extractText } from '../src/text/extract-text.js';
import type { PageText } from '../extractors/text/page-text.js';
import { projectPath } from '../extractors/util/project-root.js';

interface Expected {
  document: string;
  statements: Array<Record<string, unknown>>;
  flags: Array<{ type: string; about: string }>;
  notStatus: string[];
}

const DOCUMENTS = ['van-quan-phu-luc', 'lang-son-tong-hop', 'cao-loc-bieu-03', 'cao-loc-kinh-phi'];
/** The documents that also have scans (the last two test borderless text PDFs alone). */
const SCANNED = ['van-quan-phu-luc', 'lang-son-tong-hop'];
const FORMATS = ['docx', 'pdf', 'borderless.pdf'];

function expected(name: string): Expected {
  return JSON.parse(readFileSync(projectPath('fixtures', 'tables', 'expected', `${name}.json`), 'utf8')) as Expected;
}

async function read(file: string): Promise<PageText[]> {
  return (await extractText(readFileSync(file), file, { maxBytes: 50 * 1024 * 1024, ocr: false })).pages;
}

/** The fields the expected files give, from an extracted statement. */
function compact(s: Statement): Record<string, unknown> {
  const who = { commune: s.place.commune, district: s.place.district, level: s.level };
  if (s.kind === 'commune_count') return { kind: s.kind, ...who, met: s.met, total: s.total };
  if (s.kind === 'criteria_list') return { kind: s.kind, ...who, status: s.status, criteria: [...s.criteria].sort((a, b) => a - b) };
  if (s.kind === 'district_aggregate') return { kind: s.kind, district: s.place.district, level: s.level, metric: s.metric, value: s.value };
  return { kind: s.kind, ...who };
}

const quoteOf = (pages: PageText[], s: Statement) => s.citations.map((c) => pages.find((p) => p.page === c.page)?.text.slice(c.start, c.end) ?? '').join('\n');

describe.each(DOCUMENTS)('appendix tables of %s', (name) => {
  describe.each(FORMATS)('as %s', (format) => {
    const file = projectPath('fixtures', 'tables', `${name}.${format}`);
    const load = async () => {
      const pages = await read(file);
      return { pages, extraction: extractStatements(pages) };
    };

    it('reads every row exactly: each count and each list, with its level and district', async () => {
      const { extraction } = await load();
      const tableStatements = extraction.statements.filter((s) => s.rule.startsWith('table.'));
      expect(tableStatements.map(compact)).toEqual(expected(name).statements);
      // The prose rules add nothing on table rows.
      expect(extraction.statements.filter((s) => !s.rule.startsWith('table.')).map(compact)).toEqual([]);
    });

    it('cites each statement by its whole row, whose quote names the xã and gives the figures', async () => {
      const { pages, extraction } = await load();
      for (const s of extraction.statements) {
        expect(s.citations).toHaveLength(1);
        const quote = quoteOf(pages, s);
        const page = pages.find((p) => p.page === s.citations[0]!.page)!;
        // The quote is one whole line of the stored text: the row (empty cells at either end aside).
        const lineStart = page.text.lastIndexOf('\n', s.citations[0]!.start - 1) + 1;
        const lineEnd = page.text.indexOf('\n', s.citations[0]!.end);
        expect(page.text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd).replace(/^[\s|]+|[\s|]+$/gu, '')).toBe(quote);
        if (s.place.commune) expect(foldPhrase(quote)).toContain(foldPhrase(s.place.commune));
        if (s.kind === 'commune_count') expect(quote).toMatch(new RegExp(`\\b0?${s.met}\\b`));
        if (s.kind === 'criteria_list' && s.status === 'unmet' && !s.rule.includes('matrix')) {
          for (const item of s.items) expect(foldPhrase(quote)).toContain(foldPhrase(item.name ?? String(item.number)));
        }
        expect(s.confidence).toBeGreaterThan(0.5);
        expect(s.rule).toMatch(/^table\./);
      }
    });

    it('cites each table statement by its row: its number in the table on that page, header rows included', async () => {
      const { pages, extraction } = await load();
      for (const s of extraction.statements.filter((statement) => statement.rule.startsWith('table.'))) {
        const [citation] = s.citations;
        const page = pages.find((p) => p.page === citation!.page)!;
        const above = page.text.slice(0, citation!.start).split('\n').slice(0, -1).reverse();
        const tableLinesAbove = above.findIndex((line) => !line.includes(' | '));
        expect(citation!.row).toBe((tableLinesAbove === -1 ? above.length : tableLinesAbove) + 1);
      }
      const first = extraction.statements.find((s) => s.kind === 'commune_count');
      if (name === 'van-quan-phu-luc') expect(first).toMatchObject({ place: { commune: 'Tri Lễ' }, citations: [{ page: 1, row: 2 }] });
      // Header, column numbers, "I | Huyện Văn Quan", then the first xã.
      if (name === 'lang-son-tong-hop') expect(first).toMatchObject({ place: { commune: 'Trấn Ninh' }, citations: [{ row: 4 }] });
    });

    it('flags what the rows contradict, and nothing else', async () => {
      const { extraction } = await load();
      const found = extraction.flags
        .filter((f) => ['count_list_mismatch', 'aggregate_mismatch', 'contradictory_counts', 'sum_mismatch'].includes(f.type))
        .map((f) => ({ type: f.type, about: f.message }));
      expect(found).toHaveLength(expected(name).flags.length);
      for (const flag of expected(name).flags) {
        expect(found.some((f) => f.type === flag.type && f.about.includes(flag.about))).toBe(true);
      }
    });

    it('reads nothing from plan, budget and village tables', async () => {
      const { pages, extraction } = await load();
      const text = pages.map((p) => p.text).join('\n');
      for (const title of expected(name).notStatus) {
        const start = text.indexOf(title);
        expect(start).toBeGreaterThanOrEqual(0);
        const end = text.indexOf('\n\n\n', start + title.length + 2);
        const cited = extraction.statements.filter((s) => {
          const position = text.indexOf(quoteOf(pages, s));
          return position > start && position < end;
        });
        expect(cited).toEqual([]);
      }
    });
  });
});

const SCANS = SCANNED.flatMap((name) => [
  [name, 'scan.pdf'],
  [name, 'borderless.scan.pdf'],
]);

describe.each(SCANS)('scanned appendix tables of %s (%s)', (name, format) => {
  it("reads at least 90% of the rows' statements exactly from the scan; every other one is flagged or marked unsure", { timeout: 600_000 }, async () => {
    const file = projectPath('fixtures', 'tables', `${name}.${format}`);
    const extracted = await extractText(readFileSync(file), file, { maxBytes: 50 * 1024 * 1024 });
    expect(extracted.pages.every((page) => page.source === 'ocr')).toBe(true);
    const { statements, flags } = extractStatements(extracted.pages);
    const flagged = new Set(flags.flatMap((flag) => flag.statements));
    // Names compared as the rules compare them (without diacritics): "Trị Lễ" read for "Tri Lễ" is the same xã.
    const folded = (statement: Record<string, unknown>) =>
      JSON.stringify(
        Object.fromEntries(
          Object.entries(statement).map(([key, value]) => [
            key,
            typeof value === 'string' && ['commune', 'district'].includes(key) ? foldPhrase(value) : value,
          ]),
        ),
      );
    const unmatched = expected(name).statements.map(folded);
    let exact = 0;
    for (const statement of statements) {
      const at = unmatched.indexOf(folded(compact(statement)));
      if (at >= 0) {
        unmatched.splice(at, 1);
        exact += 1;
      } else {
        const unsure = flagged.has(statement.index) || statement.confidence < 0.85;
        expect(unsure, `unflagged and sure, but not what the row says: ${JSON.stringify(compact(statement))}`).toBe(true);
      }
    }
    const total = expected(name).statements.length;
    console.log(`${name}.${format}: ${exact} of ${total} statements exact`);
    expect(exact / total, `${exact} of ${total} exact`).toBeGreaterThanOrEqual(0.9);
  });
});

describe('borderless tables in text PDFs', () => {
  const textLayer = async (file: string) => {
    const parser = new PDFParse({ data: new Uint8Array(readFileSync(file)) });
    try {
      return (await parser.getText()).pages.map((page) => page.text);
    } finally {
      await parser.destroy();
    }
  };

  it('leave a page of aligned columns that is no status table (budget, households, contacts) as pdf-parse wrote it', async () => {
    const file = projectPath('fixtures', 'tables', 'cao-loc-kinh-phi.borderless.pdf');
    const pages = await read(file);
    expect(pages.map((page) => page.text)).toEqual(await textLayer(file));
    expect(pages.some((page) => page.text.includes('|'))).toBe(false);
    expect(extractStatements(pages).statements.filter((s) => s.rule.startsWith('table.'))).toEqual([]);
  });

  it('read the same rows from a borderless table as from the ruled one', async () => {
    for (const name of ['van-quan-phu-luc', 'cao-loc-bieu-03']) {
      const ruled = await read(projectPath('fixtures', 'tables', `${name}.pdf`));
      const borderless = await read(projectPath('fixtures', 'tables', `${name}.borderless.pdf`));
      expect(borderless.map((page) => page.text)).toEqual(ruled.map((page) => page.text));
    }
  });

  it('leave the seed PDFs as pdf-parse wrote them', async () => {
    const seeds = projectPath('fixtures', 'seeds');
    for (const file of readdirSync(seeds).filter((f) => f.endsWith('.pdf'))) {
      const pages = await read(join(seeds, file));
      const plain = await textLayer(join(seeds, file));
      expect(
        pages.map((page) => page.text),
        file,
      ).toEqual(plain.map((text) => (/\S/u.test(text) ? text : '')));
    }
  });
});

describe('the header interpreter', () => {
  it.each(headerCorpus())('reads "$header" as $role', ({ header, role, criterion }) => {
    const meaning = columnMeaning(foldPhrase(header));
    expect(meaning.role).toBe(role);
    if (criterion !== undefined && criterion !== null) expect(meaning.criterion).toBe(criterion);
  });
});

describe('tables written in plain text', () => {
  const page = (text: string): PageText[] => [{ page: 1, text, hasTextLayer: true }];

  it('reads tab-separated rows and a header repeated on the next page', () => {
    const header = 'STT\tTên xã\tSố tiêu chí đạt\tTiêu chí chưa đạt';
    const pages: PageText[] = [
      { page: 1, text: `Biểu 01: Kết quả thực hiện tiêu chí xã nông thôn mới năm 2023\n${header}\n1\tXã Tri Lễ\t15\t2, 5, 13, 17\n`, hasTextLayer: true },
      { page: 2, text: `${header}\n2\tXã Hữu Lễ\t16\t2, 13, 17\n`, hasTextLayer: true },
    ];
    const statements = extractStatements(pages).statements;
    expect(statements.map(compact)).toEqual([
      { kind: 'commune_count', commune: 'Tri Lễ', district: null, level: 'ntm', met: 15, total: 19 },
      { kind: 'criteria_list', commune: 'Tri Lễ', district: null, level: 'ntm', status: 'unmet', criteria: [2, 5, 13, 17] },
      { kind: 'commune_count', commune: 'Hữu Lễ', district: null, level: 'ntm', met: 16, total: 19 },
      { kind: 'criteria_list', commune: 'Hữu Lễ', district: null, level: 'ntm', status: 'unmet', criteria: [2, 13, 17] },
    ]);
    expect(statements[2]!.citations).toEqual([{ page: 2, start: header.length + 1, end: header.length + 1 + '2\tXã Hữu Lễ\t16\t2, 13, 17'.length, row: 2 }]);
  });

  it('lowers the confidence of a matrix row with a mark it cannot read, and keeps its total', () => {
    const numbers = Array.from({ length: 19 }, (_, i) => String(i + 1)).join(' | ');
    const marks = ['x', 'x', '?', ...Array.from({ length: 16 }, () => 'x')].join(' | ');
    const text = `Bảng tổng hợp kết quả thực hiện tiêu chí nông thôn mới\n\nSTT | Tên xã | ${numbers} | Tổng số\n1 | Chi Lăng | ${marks} | 18\n\n`;
    const statements = extractStatements(page(text)).statements;
    const count = statements.find((s) => s.kind === 'commune_count');
    expect(count).toMatchObject({ met: 18, total: 19, place: { commune: 'Chi Lăng' } });
    const lists = statements.filter((s) => s.kind === 'criteria_list');
    expect(lists.length).toBeGreaterThan(0);
    for (const list of lists) expect(list.confidence).toBeLessThan(count!.confidence);
  });

  it('reads a district column, a total column and a count out of it; leaves an average written in words to the prose rule', () => {
    const text = [
      'Biểu 02: Tổng hợp kết quả thực hiện Bộ tiêu chí quốc gia về xã nông thôn mới',
      'TT | Huyện | Xã | Tổng số tiêu chí | Số tiêu chí đạt | Số tiêu chí chưa đạt | Tiêu chí chưa đạt',
      '1 | Văn Quan | Tân Đoàn | 19 | 16 | 3 | 3, 13, 17',
      '2 | Tràng Định | Chí Minh | 19 | 14 | 4 | 2; 5; 13; 17',
      '3 | Tràng Định | Chí Minh | 19 | 15 | 3 | 2; 5; 13; 17',
      ' | Cộng huyện Tràng Định: 2 xã, bình quân 14,5 tiêu chí/xã |  |  |  |  | ',
      '',
    ].join('\n');
    const { statements, flags } = extractStatements(page(text));
    const table = statements.filter((s) => s.rule.startsWith('table.')).map(compact);
    expect(table).toEqual([
      { kind: 'commune_count', commune: 'Tân Đoàn', district: 'Văn Quan', level: 'ntm', met: 16, total: 19 },
      { kind: 'criteria_list', commune: 'Tân Đoàn', district: 'Văn Quan', level: 'ntm', status: 'unmet', criteria: [3, 13, 17] },
      { kind: 'commune_count', commune: 'Chí Minh', district: 'Tràng Định', level: 'ntm', met: 14, total: 19 },
      { kind: 'criteria_list', commune: 'Chí Minh', district: 'Tràng Định', level: 'ntm', status: 'unmet', criteria: [2, 5, 13, 17] },
      { kind: 'commune_count', commune: 'Chí Minh', district: 'Tràng Định', level: 'ntm', met: 15, total: 19 },
      { kind: 'criteria_list', commune: 'Chí Minh', district: 'Tràng Định', level: 'ntm', status: 'unmet', criteria: [2, 5, 13, 17] },
    ]);
    // The average row is read once, by the district-aggregate rule, and cited inside that row.
    const averages = statements.filter((s) => s.kind === 'district_aggregate');
    expect(averages.map((s) => [s.kind === 'district_aggregate' && s.value, s.rule.startsWith('table.')])).toEqual([[14.5, false]]);
    // Chí Minh in two rows of one level: two counts, a flag; its second row counts 3 unmet and lists 4.
    expect(flags.filter((f) => f.type === 'contradictory_counts').map((f) => f.message)).toEqual([expect.stringContaining('Chí Minh')]);
    expect(flags.filter((f) => f.type === 'count_list_mismatch').map((f) => f.message)).toEqual([expect.stringContaining('Chí Minh')]);
  });

  it('ends the header at a row numbering the columns, so that a group row whose numeral OCR lost is not read as a header', () => {
    const text = [
      'Biểu 01: Số tiêu chí đạt của các xã',
      'STT | Đơn vị | Số tiêu chí đạt | Tiêu chí chưa đạt | Ghi chú',
      ' | (2) | (3) | (4) | (5)',
      ' | Huyện Văn Quan |  |  | ',
      '1 | Xã Trấn Ninh | 13 | 2, 3, 5, 10, 13, 17 | ',
      '',
    ].join('\n');
    expect(extractStatements(page(text)).statements.map(compact)).toEqual([
      { kind: 'commune_count', commune: 'Trấn Ninh', district: 'Văn Quan', level: 'ntm', met: 13, total: 19 },
      { kind: 'criteria_list', commune: 'Trấn Ninh', district: 'Văn Quan', level: 'ntm', status: 'unmet', criteria: [2, 3, 5, 10, 13, 17] },
    ]);
  });

  it('reads no status from a table without a commune column or without criteria', () => {
    const text = [
      'Biểu 03: Kết quả xây dựng thôn kiểu mẫu',
      'STT | Tên thôn | Số tiêu chí đạt | Ghi chú',
      '1 | Nà Súng | 5 | ',
      '',
      'Biểu 04: Dân số các xã',
      'STT | Tên xã | Dân số | Số hộ',
      '1 | Tri Lễ | 5.210 | 1.204',
      '',
    ].join('\n');
    expect(extractStatements(page(text)).statements).toEqual([]);
  });
});
