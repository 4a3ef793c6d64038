/**
 * Places: the gazetteer, resolving each statement's province, district and commune to a unit
 * code with the document's context, and the flags about places and aggregates
 * (ambiguous_unit, unknown_unit, jurisdiction_mismatch, aggregate_mismatch) and the
 * cross-document contradictory_counts. The positive examples of extractors/places/corpus.json
 * run in the generic corpus test; here its negatives must stay quiet in every form.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, StatementQueries, type Database } from '../db/index.js';
import { loadGazetteer } from '../db/gazetteer.loader.js';
import { extractStatements, type Extraction } from '../extractors/extract-statements.js';
import { gazetteer } from '../extractors/places/gazetteer.js';
import { toneKey } from '../extractors/places/place-names.js';
import type { Statement } from '../extractors/statement.js';
import { flagExport, statementExport } from '../src/report/export-records.js';
import { embeddedIngestion } from '../src/pipeline/embedded-ingestion.js';
import { listInputFiles } from '../src/pipeline/list-input-files.js';
import { DEFAULT_MAX_BYTES } from '../src/text/extract-text.js';
import { projectPath } from '../extractors/util/project-root.js';
import { useTempFolder } from './support/temp-folder.js';

const newTempFolder = useTempFolder();
const seedsFolder = projectPath('fixtures', 'seeds');

function extract(text: string): Extraction {
  return extractStatements([{ page: 1, text, hasTextLayer: true }]);
}

function seed(id: string): { text: string; extraction: Extraction } {
  const text = readFileSync(join(seedsFolder, `${id}.txt`), 'utf8');
  return { text, extraction: extract(text) };
}

/** The corpus's document header: a number, then "Lạng Sơn, ngày …". */
function header(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return `Số: 12/BC-UBND\n\nLạng Sơn, ngày ${day} tháng ${month} năm ${year}\n\n`;
}

function unaccent(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đð]/g, 'd').replace(/[ĐÐ]/g, 'D');
}

const VARIANTS: Array<[string, (text: string) => string]> = [
  ['nfc', (text) => text],
  ['nfd', (text) => text.normalize('NFD')],
  ['unaccented', unaccent],
  ['crlf', (text) => text.replace(/\n/g, '\r\n')],
];

const communeCount = (extraction: Extraction, commune: string) =>
  extraction.statements.filter((s): s is Extract<Statement, { kind: 'commune_count' }> => s.kind === 'commune_count' && s.place.commune === commune);

describe('the gazetteer', () => {
  it('holds the 01/05/2024 snapshot (63 / 705 / 10,595) and every version since 2012, codes as strings', () => {
    const places = gazetteer();
    const snapshot = places.versions.filter((version) => version.inSnapshot);
    const count = (level: number) => new Set(snapshot.filter((version) => version.level === level).map((version) => version.code)).size;
    expect([count(1), count(2), count(3)]).toEqual([63, 705, 10_595]);
    expect(places.unit('01')?.name).toBe('Hà Nội');
    expect(places.unit('06280')?.name).toBe('Điềm He');
    expect(places.lookup(3, 'Văn An', { range: { from: '2018-01-01', to: '2018-12-31' } })?.versions.map((v) => v.code)).toContain('06280');
  });

  it("folds tone placement, missing diacritics and OCR's Ð", () => {
    expect(toneKey('Hoà Bình')).toBe(toneKey('Hòa Bình'));
    expect(toneKey('Đàm Thuỷ')).toBe(toneKey('Đàm Thủy'));
    expect(toneKey('Ðội Cấn')).toBe(toneKey('Đội Cấn'));
    expect(toneKey('Chi Lăng')).not.toBe(toneKey('Chí Lăng'));
    const places = gazetteer();
    expect(places.lookup(3, 'Hoà Bình')?.match).toBe('exact');
    expect(places.lookup(3, 'Hoang Van Thu')?.match).toBe('folded');
    expect(places.lookup(3, 'Hoàng Văn Thu')?.versions.every((v) => v.name === 'Hoàng Văn Thụ')).toBe(true);
  });
});

describe('resolving the seeds', () => {
  it('puts the two xã Chi Lăng on different units: 06523 (huyện Chi Lăng, not its thị trấn 06466) and 06034 (Tràng Định)', () => {
    const inChiLang = communeCount(seed('000_528222cdabe6b09e').extraction, 'Chi Lăng');
    const inTrangDinh = communeCount(seed('003_208c7acc8bb6c444').extraction, 'Chi Lăng');
    expect(inChiLang.length).toBeGreaterThan(0);
    expect(inTrangDinh.length).toBeGreaterThan(0);
    for (const s of inChiLang) expect([s.units?.commune?.code, s.units?.district?.code, s.units?.province?.code]).toEqual(['06523', '187', '20']);
    for (const s of inTrangDinh) expect([s.units?.commune?.code, s.units?.district?.code, s.units?.province?.code]).toEqual(['06034', '180', '20']);
  });

  it('attaches the notice titled for huyện Trùng Khánh to Tràng Định (Lạng Sơn), with a flag citing the heading and the body', () => {
    const { extraction } = seed('003_208c7acc8bb6c444');
    for (const s of extraction.statements) {
      expect(s.place.district).toBe('Trùng Khánh'); // as written
      expect(s.units?.district).toMatchObject({ code: '180', name: 'Tràng Định', method: 'context' });
      expect(s.units?.province?.code).toBe('20');
    }
    expect(Object.fromEntries(extraction.statements.filter((s) => s.place.commune).map((s) => [s.place.commune, s.units?.commune?.code]))).toEqual({
      'Chí Minh': '06013',
      'Đội Cấn': '06025',
      'Chi Lăng': '06034',
    });
    const flags = extraction.flags.filter((flag) => flag.type === 'jurisdiction_mismatch');
    expect(flags).toHaveLength(1);
    const [flag] = flags;
    expect(flag?.statements).toEqual(extraction.statements.map((s) => s.index));
    expect(flag?.message).toMatch(/heading names huyện Trùng Khánh \(047, tỉnh Cao Bằng\).*supports huyện Tràng Định \(180, tỉnh Lạng Sơn\)/);
    expect(flag?.message).toMatch(/Chí Minh, Đội Cấn, Chi Lăng/);
    expect(flag?.message).toMatch(/attached to huyện Tràng Định/);
    const quotes = (flag?.evidence ?? []).map((span) => seed('003_208c7acc8bb6c444').text.slice(span.start, span.end));
    expect(quotes[0]).toMatch(/^Kết luận .*trên địa bàn huyện Trùng Khánh và xã Chí Minh, huyện Trùng Khánh$/s); // the heading (title)
    expect(quotes[1]).toMatch(/huyện Tràng Định/); // the body
  });

  it('raises place and aggregate flags only where the seeds warrant them', () => {
    const flagsOf = (id: string) => seed(id).extraction.flags.map((flag) => flag.type);
    expect(flagsOf('000_528222cdabe6b09e')).toEqual([]);
    expect(flagsOf('001_f3406501ba6aec7a')).toEqual(['contradictory_counts', 'aggregate_mismatch']);
    expect(flagsOf('002_208071814d246b50')).toEqual(['count_list_mismatch']);
    expect(flagsOf('003_208c7acc8bb6c444')).toEqual(['jurisdiction_mismatch']);
    expect(flagsOf('004_d6b659843d553b3d')).toEqual([]);
  });

  it('gives every commune of the seeds a code, Diềm He (folded) 06280 among them', () => {
    for (const id of ['000_528222cdabe6b09e', '001_f3406501ba6aec7a', '002_208071814d246b50', '003_208c7acc8bb6c444', '004_d6b659843d553b3d']) {
      for (const s of seed(id).extraction.statements) {
        if (s.place.commune) expect(s.units?.commune?.code, `${id}: ${s.place.commune}`).toMatch(/^\d{5}$/);
        expect(s.units?.province?.code, `${id}: province of statement ${s.index}`).toBe('20');
      }
    }
    const [diemHe] = communeCount(seed('001_f3406501ba6aec7a').extraction, 'Diềm He');
    expect(diemHe?.units?.commune).toMatchObject({ name: 'Diềm He', code: '06280', method: 'folded' });
  });

  it("flags Văn Quan's stated average 10.9 against its 16 xã's counts (176 criteria: 11.0 per xã)", () => {
    const [flag] = seed('001_f3406501ba6aec7a').extraction.flags.filter((f) => f.type === 'aggregate_mismatch');
    expect(flag?.message).toContain('10.9 criteria per xã');
    expect(flag?.message).toContain('all 16 xã');
    expect(flag?.message).toContain('176–179 criteria');
    expect(flag?.message).toContain('needs 174 to 175');
    expect(flag?.evidence.length).toBeGreaterThan(1);
  });

  it("infers Hữu Lũng's province, which the letter never names", () => {
    const [first] = seed('002_208071814d246b50').extraction.statements;
    expect(first?.place.province).toBeNull();
    expect(first?.units?.province).toMatchObject({ name: 'Lạng Sơn', code: '20', method: 'context' });
    expect(first?.units?.district).toMatchObject({ name: 'Hữu Lũng', code: '186', method: 'exact' });
  });
});

describe('matching names', () => {
  const dated = (date: string, body: string) => extract(header(date) + body);

  it('records how each unit was found: exact, folded, fuzzy, context', () => {
    const exact = dated('2024-09-16', 'Qua rà soát, xã Hoà Bình, huyện Hữu Lũng đạt 12/19 tiêu chí.');
    expect(exact.statements[0]?.units?.commune).toMatchObject({ code: '06397', method: 'exact' });
    expect(exact.statements[0]?.units?.province).toMatchObject({ code: '20', method: 'context' });
    const folded = dated('2023-07-17', 'Tại huyện Văn Lãng, xã Hoàng Văn Thu đạt 15/19 tiêu chí nông thôn mới nâng cao.');
    expect(folded.statements[0]?.units?.commune).toMatchObject({ code: '06178', method: 'folded' });
    const ocr = dated('2024-09-24', 'Tại huyện Tràng Định, xã Ðội Cấn đạt 11/19 tiêu chí nông thôn mới nâng cao.');
    expect(ocr.statements[0]?.units?.commune).toMatchObject({ code: '06025', method: 'exact' });
    const fuzzy = dated('2020-05-20', 'Qua rà soát, xã Tú Xuên, huyện Văn Quan đạt 10/19 tiêu chí.');
    expect(fuzzy.statements[0]?.units?.commune).toMatchObject({ name: 'Tú Xuên', code: '06277', method: 'fuzzy' });
    expect(fuzzy.statements[0]?.units?.commune?.confidence).toBeLessThan(0.95);
    expect(fuzzy.flags).toEqual([]);
  });

  it("reads a former name at the document's date (Văn An, 2018) as the unit that bears another now (Điềm He)", () => {
    const old = dated('2018-11-05', 'Năm 2018, xã Văn An, huyện Văn Quan đạt 19/19 tiêu chí, được công nhận đạt chuẩn nông thôn mới.');
    expect(old.statements[0]?.units?.commune).toMatchObject({ name: 'Văn An', code: '06280' });
    expect(old.statements[0]?.units?.commune?.basis).toContain('Điềm He');
  });

  it('prefers the unit type the text names: "thị trấn Chi Lăng" is 06466, "xã Chi Lăng" 06523', () => {
    const town = dated('2022-07-20', 'Tại huyện Chi Lăng, thị trấn Chi Lăng đạt 12/19 tiêu chí.');
    expect(town.statements[0]?.units?.commune?.code).toBe('06466');
    const village = dated('2022-07-20', 'Tại huyện Chi Lăng, xã Chi Lăng đạt 12/19 tiêu chí.');
    expect(village.statements[0]?.units?.commune?.code).toBe('06523');
  });

  it('says which units an ambiguous name fits, and attaches it to none', () => {
    const { statements, flags } = dated('2024-09-16', '- Xã Hòa Bình có 02 tiêu chí chưa đạt gồm: Tiêu chí số 2 - Giao thông; Tiêu chí số 17 - Môi trường.');
    expect(statements[0]?.units?.commune).toMatchObject({ name: 'Hòa Bình', code: null, method: null });
    expect(flags.map((f) => f.type)).toEqual(['ambiguous_unit']);
    for (const code of ['06103', '06274', '06397', '06508']) expect(flags[0]?.message).toContain(code);
    expect(flags[0]?.message).toContain('huyện Văn Quan');
  });

  it("says where a name that fits no unit of the document's province exists", () => {
    const { flags } = dated('2024-09-16', 'Qua rà soát, xã Cẩm Giàng đạt 12/19 tiêu chí nông thôn mới.');
    expect(flags.map((f) => f.type)).toEqual(['unknown_unit']);
    expect(flags[0]?.message).toMatch(/no commune in tỉnh Lạng Sơn.*02008.*Bắc Kạn/);
  });

  it('checks criteria sets against the resolved set of the period: an NTM 2021-2025 name in 2020 is flagged, in 2024 not', () => {
    const text =
      '- Xã Hữu Lễ, huyện Văn Quan: hiện nay 16/19 tiêu chí đã đạt theo quy định. Tuy nhiên, còn 3 tiêu chí gần đạt (Tiêu chí 10 Thu nhập; Tiêu chí 11 Nghèo đa chiều; Tiêu chí 17 Môi trường và an toàn thực phẩm).';
    const in2020 = dated('2020-05-20', text);
    expect(in2020.statements.find((s) => s.kind === 'criteria_list')?.criteriaSet).toBe('ntm_2016_2020');
    expect(in2020.flags.map((f) => f.type)).toEqual(['criteria_set_mismatch']);
    expect(dated('2024-05-20', text).flags).toEqual([]);
  });
});

describe("the places corpus's quiet documents", () => {
  const corpus = JSON.parse(readFileSync(projectPath('extractors', 'places', 'corpus.json'), 'utf8')) as {
    negative: Array<{ text: string; date: string; why: string }>;
  };
  const cases = corpus.negative.flatMap((example, index) =>
    VARIANTS.map(([variant, apply]) => [`-${index + 1} [${variant}] ${example.why}`, apply(header(example.date) + example.text)] as const),
  );

  it.each(cases)('%s: no flag', (_title, text) => {
    const extraction = extract(text);
    expect(extraction.flags.map((flag) => `${flag.type}: ${flag.message}`)).toEqual([]);
    expect(extraction.statements.length).toBeGreaterThan(0);
    for (const s of extraction.statements) if (s.place.commune) expect(s.units?.commune?.code, s.place.commune).toMatch(/^\d{5}$/);
  });
});

// ---------------------------------------------------------------------------------------------
// In the database

async function ingest(db: Database, files: string[]): Promise<void> {
  const service = embeddedIngestion(db, db.$client.name, { blobDirectory: undefined, maxFileBytes: DEFAULT_MAX_BYTES, jobAttempts: 1, jobBackoffMs: 0 });
  for (const file of await listInputFiles(files)) await service.ingestFile(file);
}

function withDatabase(run: (db: Database, folder: string) => Promise<void>): Promise<void> {
  const folder = newTempFolder();
  const db = openDatabase(join(folder, 'ntm.sqlite'));
  return run(db, folder).finally(() => closeDatabase(db));
}

const crossFlags = (db: Database) => new StatementQueries(db).flags().filter((flag) => flag.scope === 'cross_document');

describe('places in the database', () => {
  it('loads the gazetteer once per database, and again only when the file changes', () =>
    withDatabase(async (db) => {
      const count = (sql: string) => db.$client.prepare(sql).pluck().get();
      expect(count('select count(*) from admin_units')).toBe(11_952);
      expect(count('select count(*) from admin_unit_versions')).toBe(13_514);
      expect(count('select count(*) from admin_units where in_snapshot = 1')).toBe(11_363);
      expect(db.$client.prepare("select name, type, parent_code, province_code, district_code from admin_units where code = '06034'").get()).toEqual({
        name: 'Chi Lăng',
        type: 'xã',
        parent_code: '180',
        province_code: '20',
        district_code: '180',
      });
      expect(loadGazetteer(db).loaded).toBe(false);
      db.$client.prepare("update reference_data set sha256 = 'old'").run();
      expect(loadGazetteer(db)).toMatchObject({ loaded: true, units: 11_952 });
      expect(count('select count(*) from admin_units')).toBe(11_952);
    }));

  it('stores the codes and exports province, district and commune as {name, code}', () =>
    withDatabase(async (db) => {
      await ingest(db, [join(seedsFolder, '003_208c7acc8bb6c444.txt')]);
      const queries = new StatementQueries(db);
      const records = queries.statements().map(statementExport);
      const count = records.find((record) => record.kind === 'commune_count' && (record.commune as { name: string }).name === 'Chi Lăng');
      expect(count).toMatchObject({
        province: { name: 'Lạng Sơn', code: '20' },
        district: { name: 'Tràng Định', code: '180' },
        commune: { name: 'Chi Lăng', code: '06034' },
      });
      expect(db.$client.prepare("select count(*) from statements where district_code = '180'").pluck().get()).toBe(11);
      const [flag] = queries.flags().map(flagExport);
      expect(flag).toMatchObject({ kind: 'flag', type: 'jurisdiction_mismatch' });
      expect((flag?.evidence as Array<{ quote: string }>).map((e) => e.quote).join('\n')).toMatch(/huyện Trùng Khánh[\s\S]*huyện Tràng Định/);
    }));

  it('flags two documents of the same date that give one commune different counts, and keeps that flag right as documents come and go', () =>
    withDatabase(async (db, folder) => {
      const write = (name: string, date: string, body: string) => {
        const path = join(folder, name);
        writeFileSync(path, `${header(date)}BÁO CÁO\n\nKết quả xây dựng nông thôn mới huyện Hữu Lũng\n\n${body}\n`);
        return path;
      };
      const report = write('report.txt', '2024-09-16', 'Qua kiểm tra, xã Minh Tiến đạt 13/19 tiêu chí.');
      const appraisal = write('appraisal.txt', '2024-09-16', 'Qua kiểm tra, xã Minh Tiến đạt 15/19 tiêu chí.');
      const copy = write('report-copy.txt', '2024-09-16', 'Qua kiểm tra, xã Minh Tiến đạt 13/19 tiêu chí.\n\nNơi nhận: như trên.');
      const later = write('later.txt', '2024-10-20', 'Qua kiểm tra, xã Minh Tiến đạt 16/19 tiêu chí.');

      await ingest(db, [report, copy]);
      expect(crossFlags(db)).toEqual([]); // the same count twice is no conflict

      await ingest(db, [appraisal]);
      const [flag, ...more] = crossFlags(db);
      expect(more).toEqual([]);
      expect(flag?.type).toBe('contradictory_counts');
      expect(flag?.message).toMatch(
        /xã Minh Tiến \(06415\), ntm, as of 2024-09-16: .*13\/19 \(reported\) in report\.txt, report-copy\.txt; 15\/19 \(reported\) in appraisal\.txt/,
      );
      expect(flag?.statements).toHaveLength(3);
      const quotes = flag?.evidence.map((e) => e.quote) ?? [];
      expect(quotes).toEqual(['xã Minh Tiến đạt 13/19 tiêu chí', 'xã Minh Tiến đạt 15/19 tiêu chí']);
      const pages = new StatementQueries(db).pageTexts(new StatementQueries(db).documents().map((d) => d.id));
      for (const evidence of flag?.evidence ?? []) {
        const documentId = evidence.documentId ?? flag?.document.id;
        expect(pages.get(`${documentId}:${evidence.page}`)?.slice(evidence.start, evidence.end)).toBe(evidence.quote);
      }

      await ingest(db, [later]);
      expect(crossFlags(db)).toHaveLength(1); // another date is a timeline, not a conflict

      // Re-extracting every document (a new rules version) leaves exactly the one flag.
      db.$client.prepare("update documents set rules_version = 'older'").run();
      await ingest(db, [report, copy, appraisal, later]);
      expect(crossFlags(db).map((f) => f.message)).toEqual([flag?.message]);
    }));

  it('finds no cross-document conflict among the seeds in their five formats', () =>
    withDatabase(async (db) => {
      await ingest(db, [seedsFolder]);
      expect(crossFlags(db)).toEqual([]);
      const types = new StatementQueries(db).flags().map((f) => f.type);
      expect(new Set(types)).toEqual(new Set(['contradictory_counts', 'aggregate_mismatch', 'count_list_mismatch', 'jurisdiction_mismatch']));
    }));
});
