/**
 * After 2025: the 2026-2030 criteria set (QĐ 51/2025/QĐ-TTg, 10 criteria, 47 indicators, three
 * commune groups) and the two-level administration of 1 July 2025. Resolution on both sides of
 * the reform, the gazetteer in SQLite, the status views and `ntm status` across it, the export.
 * Fixtures: fixtures/after-2025/ (written for the project) and the seeds.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../db/index.js';
import { loadGazetteer2025 } from '../db/gazetteer.loader.js';
import { criteriaSetByCode, criteriaSetFor, criteriaSetsInForce } from '../extractors/criteria-sets/criteria-sets.js';
import { criteriaSetOf } from '../extractors/criteria-sets/set-words.js';
import { extractStatements } from '../extractors/extract-statements.js';
import { gazetteer } from '../extractors/places/gazetteer.js';
import { afterReform, gazetteer2025, parseSuccessions, parseUnits2025 } from '../extractors/places/gazetteer-2025.js';
import type { CommuneCount, Statement } from '../extractors/statement.js';
import { projectPath } from '../extractors/util/project-root.js';
import { extractFixture } from './support/compact-statements.js';
import { ntm } from './support/run-cli.js';
import { useTempFolder } from './support/temp-folder.js';

const newTempFolder = useTempFolder();
const fixture = (name: string) => projectPath('fixtures', 'after-2025', name);
const REPORT_2026 = fixture('2026-04_bao-cao-lang-son.txt');
const NOTICE_2025 = fixture('2025-10_thong-bao-van-quan.txt');
const REPORT_2019 = fixture('2019-11_bao-cao-dinh-lap.txt');

function extract(text: string): { statements: Statement[]; flags: ReturnType<typeof extractStatements>['flags'] } {
  return extractStatements([{ page: 1, text, hasTextLayer: true }]);
}

function extractFile(path: string) {
  return extract(readFileSync(path, 'utf8'));
}

function header(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return `UỶ BAN NHÂN DÂN TỈNH LẠNG SƠN\n\nSố: 9/BC-UBND\n\nLạng Sơn, ngày ${day} tháng ${month} năm ${year}\n\nBÁO CÁO\n\nTình hình xây dựng nông thôn mới\n\n`;
}

function counts(statements: Statement[]): CommuneCount[] {
  return statements.filter((statement): statement is CommuneCount => statement.kind === 'commune_count');
}

describe('the 2026-2030 criteria set', () => {
  it('has 10 criteria, 47 indicators and three commune groups, with its sources', () => {
    const set = criteriaSetByCode('ntm_2026_2030');
    expect(set?.criteria.map((criterion) => criterion.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(set).toMatchObject({ total_indicators: 47, commune_groups: ['xã nhóm 1', 'xã nhóm 2', 'xã nhóm 3'], effective_from: '2026-02-15' });
    expect(readFileSync(projectPath('extractors', 'criteria-sets', 'SOURCES.md'), 'utf8')).toContain('QĐ 51/2025/QĐ-TTg');
  });

  it('is the NTM set by date from 15 February 2026, and totals looked up by level and date give 10', () => {
    expect(criteriaSetFor('ntm', '2026-02-14')?.code).toBe('ntm_2021_2025');
    expect(criteriaSetFor('ntm', '2026-02-15')?.code).toBe('ntm_2026_2030');
    expect(criteriaSetFor('ntm', '2026-04')?.criteria).toHaveLength(10);
    expect(criteriaSetFor('ntm', '2027')?.criteria).toHaveLength(10);
    // An undated text counts against the 19 criteria unless its words name the new set.
    expect(criteriaSetFor('ntm', null)?.code).toBe('ntm_2021_2025');
    // Nothing of the 19-criterion sets applies after it: nâng cao and kiểu mẫu have no known 2026-2030 set.
    expect(criteriaSetFor('nang_cao', '2026-03-01')).toBeNull();
    expect(criteriaSetFor('nang_cao', '2025-12-31')?.code).toBe('ntm_nang_cao_2021_2025');
    expect(criteriaSetsInForce('2026-03-01').map((set) => set.code)).toEqual(['ntm_2026_2030']);
  });

  it('is chosen by the words of the sentence or title before the date, except a set named to compare with', () => {
    const words = (sentence: string, title: string | null = null) => ({ sentence, title });
    expect(criteriaSetOf('ntm', '2026-01-20', words('dat 5/10 tieu chi theo bo tieu chi giai doan 2026-2030'))?.code).toBe('ntm_2026_2030');
    expect(criteriaSetOf('ntm', '2026-01-20', words('dat 5/10 tieu chi', 'thuc hien quyet dinh 51/2025/qd-ttg'))?.code).toBe('ntm_2026_2030');
    expect(criteriaSetOf('ntm', '2026-03-10', words('dat 17/19 tieu chi theo bo tieu chi giai doan 2021-2025'))?.code).toBe('ntm_2021_2025');
    expect(criteriaSetOf('ntm', '2022-07-20', words('giam 4,45 tieu chi so voi bo tieu chi giai doan 2016-2020'))?.code).toBe('ntm_2021_2025');
    expect(criteriaSetOf('nang_cao', '2026-03-10', words('dat 17/19 tieu chi nang cao giai doan 2021-2025'))?.code).toBe('ntm_nang_cao_2021_2025');
    expect(criteriaSetOf('ntm', '2026-03-10', words('dat 7/10 tieu chi'))?.code).toBe('ntm_2026_2030');
  });
});

describe('a 2026 report on new communes (fixtures/after-2025/2026-04_bao-cao-lang-son.txt)', () => {
  const { statements, flags } = extractFile(REPORT_2026);
  const about = (commune: string, kind: Statement['kind'] = 'commune_count') => statements.filter((s) => s.place.commune === commune && s.kind === kind);

  it('reads each count with its indicator count and commune group, against the 2026-2030 set', () => {
    expect(
      counts(statements)
        .filter((s) => s.criteriaSet === 'ntm_2026_2030')
        .map((s) => [s.place.commune, s.met, s.total, s.indicators, s.communeGroup ?? null]),
    ).toEqual([
      ['Bằng Mạc', 7, 10, { met: 38, total: 47 }, 2],
      ['Văn Quan', 6, 10, { met: 33, total: 47 }, 3],
      ['Kiên Mộc', 8, 10, { met: 41, total: 47 }, null],
    ]);
    // One statement per count: the indicator count is no second commune count.
    expect(counts(statements).some((s) => s.total === 47)).toBe(false);
  });

  it('maps the criteria named with the set\'s own names, and flags "tiêu chí số 15" as out of set', () => {
    const [list] = about('Bằng Mạc', 'criteria_list');
    expect(list).toMatchObject({ criteria: [3, 7, 8], criteriaSet: 'ntm_2026_2030', status: 'unmet' });
    expect(flags.filter((flag) => flag.type === 'criteria_set_mismatch')).toEqual([]);
    const outOfSet = flags.filter((flag) => flag.type === 'criterion_out_of_set');
    expect(outOfSet).toHaveLength(1);
    expect(outOfSet[0]?.message).toMatch(/xã Văn Quan: criterion 15 does not exist in ntm_2026_2030 \(10 criteria\)/);
  });

  it('resolves new communes against the units of 1 July 2025: new code, the province, no district', () => {
    const [bangMac] = about('Bằng Mạc');
    expect(bangMac?.units).toMatchObject({ system: 'two_level_2025', commune: { code: '06475', method: 'exact' }, province: { code: '20' }, district: null });
    // Old 06253 was thị trấn Văn Quan; new 06253 is the larger xã Văn Quan.
    expect(about('Văn Quan')[0]?.units).toMatchObject({ system: 'two_level_2025', commune: { code: '06253' } });
    expect(about('Kiên Mộc')[0]?.units?.commune?.code).toBe('06625');
  });

  it('reads a clause that names a former district with the old units, the district kept as written and marked former', () => {
    const [thuongCuong] = about('Thượng Cường');
    expect(thuongCuong).toMatchObject({ met: 15, total: 19, criteriaSet: 'ntm_2021_2025', asOf: '2025-06-30' });
    expect(thuongCuong?.units?.system).toBeUndefined();
    expect(thuongCuong?.units?.commune?.code).toBe('06490');
    expect(thuongCuong?.units?.district).toMatchObject({ name: 'Chi Lăng', code: '187', former: true });
    expect(thuongCuong?.units?.district?.basis).toMatch(/former district/);
  });

  it('reads the provincial summary against the 2026-2030 set, with the new province', () => {
    const [summary] = statements.filter((s) => s.kind === 'district_aggregate');
    expect(summary).toMatchObject({ value: 12, criteriaSet: 'ntm_2026_2030', units: { system: 'two_level_2025', province: { code: '20' }, district: null } });
  });
});

describe('resolution on both sides of 1 July 2025', () => {
  it('a notice of October 2025 names the new communes; the 2021-2025 set still applies by date', () => {
    const { statements, flags } = extractFile(NOTICE_2025);
    expect(
      counts(statements).map((s) => [s.place.commune, s.met, s.total, s.criteriaSet, s.units?.commune?.code, s.units?.system, s.units?.district ?? null]),
    ).toEqual([
      ['Văn Quan', 16, 19, 'ntm_2021_2025', '06253', 'two_level_2025', null],
      ['Khánh Khê', 14, 19, 'ntm_2021_2025', '06286', 'two_level_2025', null],
    ]);
    expect(flags).toEqual([]);
  });

  it('the same commune names before the reform resolve to the old units, with their districts', () => {
    const { statements } = extractFile(REPORT_2019);
    expect(
      counts(statements).map((s) => [s.place.commune, s.units?.commune?.code, s.units?.district?.code, s.units?.system, s.units?.district?.former]),
    ).toEqual([
      ['Bính Xá', '06622', '189', undefined, undefined],
      ['Kiên Mộc', '06625', '189', undefined, undefined],
    ]);
    // Before the reform 06253 was thị trấn Văn Quan (no xã of that name): a 2024 document reads the old unit, not the new xã.
    const before = extract(`${header('2024-09-16')}Qua rà soát, xã Văn Quan đạt 16/19 tiêu chí.`);
    expect(before.statements[0]?.units?.system).toBeUndefined();
    expect(before.statements[0]?.units?.district?.code).toBe('184');
    expect(gazetteer().unit('06253')?.type).toBe('thị trấn');
  });

  it('a name that only a pre-reform commune has is read as that commune in a 2026 document', () => {
    const { statements } = extract(`${header('2026-03-10')}Trước khi sắp xếp, xã Tú Xuyên đạt 17/19 tiêu chí theo Bộ tiêu chí giai đoạn 2021-2025.`);
    expect(statements[0]).toMatchObject({ criteriaSet: 'ntm_2021_2025', units: { commune: { code: '06277' } } });
    expect(statements[0]?.units?.system).toBeUndefined();
    expect(statements[0]?.units?.commune?.basis).toMatch(/before 1\/7\/2025/);
  });

  it('a former district written with a count against the new set still gives the new commune, the district noted', () => {
    const { statements } = extract(`${header('2026-04-01')}Xã Khánh Khê, huyện Văn Quan (cũ) đạt 6/10 tiêu chí, 35/47 chỉ tiêu.`);
    expect(statements[0]?.units).toMatchObject({
      system: 'two_level_2025',
      commune: { code: '06286' },
      district: { name: 'Văn Quan', code: '184', former: true },
    });
  });

  it('a name written without diacritics that two new communes of the province fit is flagged ambiguous, not guessed', () => {
    // After the reform no province has two xã of one exact name, but folded names collide (Văn Lang, Văn Lăng).
    const gazetteer = gazetteer2025();
    const xa = gazetteer.units.filter((unit) => unit.level === 3 && unit.type === 'xã');
    const key = (unit: (typeof xa)[number]) => `${unit.parentCode}|${unit.folded}`;
    const twins = xa.filter((unit) => xa.some((other) => other !== unit && key(other) === key(unit) && other.toneKey !== unit.toneKey));
    const [first] = twins;
    expect(first, 'some province has two xã whose names differ only in diacritics').toBeDefined();
    const second = twins.find((unit) => unit !== first && key(unit) === key(first!));
    const province = gazetteer.unit(first?.parentCode ?? '');
    const report = (name: string) =>
      extract(`Số: 5/BC-UBND\n\n${province?.name}, ngày 2 tháng 3 năm 2026\n\nBáo cáo của ${province?.type} ${province?.name}: xã ${name} đạt 8/10 tiêu chí.`);
    expect(report(first?.name ?? '').statements[0]?.units?.commune?.code).toBe(first?.code);
    expect(report(second?.name ?? '').statements[0]?.units?.commune?.code).toBe(second?.code);
    const unaccented = report(first?.folded.replace(/\b\w/g, (letter) => letter.toUpperCase()) ?? '');
    expect(unaccented.statements[0]?.units?.commune?.code).toBeNull();
    expect(unaccented.flags.find((flag) => flag.type === 'ambiguous_unit')?.message).toMatch(
      new RegExp(`${first?.code}.*${second?.code}|${second?.code}.*${first?.code}`),
    );
  });

  it('a bare year 2025 is not taken as after the reform', () => {
    expect(afterReform('2025')).toBe(false);
    expect(afterReform('2025-06')).toBe(false);
    expect(afterReform('2025-07')).toBe(true);
    expect(afterReform('2025-07-01')).toBe(true);
    expect(afterReform('2026')).toBe(true);
  });
});

describe('the post-reform gazetteer files', () => {
  it('parse with the counts SOURCE.md gives, and bad lines are named', () => {
    const gazetteer = gazetteer2025();
    expect(gazetteer.units.filter((unit) => unit.level === 1)).toHaveLength(34);
    expect(gazetteer.units.filter((unit) => unit.level === 3)).toHaveLength(3321);
    expect(gazetteer.successions).toHaveLength(10_604);
    expect(gazetteer.successions.filter((row) => row.mergeType === 'partial')).toHaveLength(1012);
    expect(gazetteer.predecessorsOf('06475').map((row) => row.oldFullName)).toEqual(['Xã Gia Lộc', 'Xã Bằng Hữu', 'Xã Thượng Cường', 'Xã Bằng Mạc']);
    expect(() => parseUnits2025('code,name\n', 'x.csv')).toThrow(/x\.csv: unexpected header/);
    expect(() => parseUnits2025('code,name,type,full_name,parent_code,level\n01,Hà Nội,thành phố,Thành phố Hà Nội,,2\n', 'y.csv')).toThrow(
      /y\.csv line 2: level 2/,
    );
    expect(() =>
      parseSuccessions(
        'old_code,old_full_name,old_level,old_parent_code,new_code,new_full_name,new_province_code,new_province_full_name,merge_type\n1,2,3\n',
        'z.csv',
      ),
    ).toThrow(/z\.csv line 2 has 3 fields/);
  });
});

describe('a database across the reform', () => {
  // One database: seed 000 (2022, huyện Chi Lăng) and seed 001 (2020, huyện Văn Quan), and the fixtures written for the reform.
  const folder = mkdtempSync(join(tmpdir(), 'ntm-reform-'));
  const db = join(folder, 'ntm.sqlite');
  beforeAll(async () => {
    const ingest = await ntm([
      'ingest',
      'fixtures/seeds/000_528222cdabe6b09e.txt',
      'fixtures/seeds/001_f3406501ba6aec7a.txt',
      'fixtures/after-2025',
      '--db',
      db,
    ]);
    expect(ingest.code, ingest.stderr).toBe(0);
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('loads the units of 1 July 2025 and the mapping beside the history, once', () => {
    const handle = openDatabase(db);
    try {
      const count = (sql: string) => handle.$client.prepare(sql).pluck().get();
      expect(count('select count(*) from admin_units_2025')).toBe(3355);
      expect(count('select count(*) from admin_unit_successions')).toBe(10_604);
      expect(count('select count(*) from admin_units')).toBe(11_952);
      expect(loadGazetteer2025(handle).loaded).toBe(false);
      expect(handle.$client.prepare("select name, type, parent_code from admin_units_2025 where code = '06475'").get()).toEqual({
        name: 'Bằng Mạc',
        type: 'xã',
        parent_code: '20',
      });
      expect(handle.$client.prepare("select name from admin_units where code = '06475'").pluck().get()).toBe('Gia Lộc');
    } finally {
      closeDatabase(handle);
    }
  });

  it('keeps a reused code apart: the old and the new xã Kiên Mộc (06625) each have their own standing count', () => {
    const handle = openDatabase(db);
    try {
      const rows = handle.$client
        .prepare(
          "select unit_system, criteria_set, met, total, district_code, province_code from v_commune_count_status where commune_code = '06625' order by unit_system",
        )
        .all();
      expect(rows).toEqual([
        { unit_system: 'three_level', criteria_set: 'ntm_2016_2020', met: 15, total: 19, district_code: '189', province_code: '20' },
        { unit_system: 'two_level_2025', criteria_set: 'ntm_2026_2030', met: 8, total: 10, district_code: null, province_code: '20' },
      ]);
      const duplicates = handle.$client
        .prepare(
          'select count(*) from (select unit_system, commune_code, level, criteria_set from v_commune_count_status group by 1, 2, 3, 4 having count(*) > 1)',
        )
        .pluck()
        .get();
      expect(duplicates).toBe(0);
      const lineage = handle.$client
        .prepare("select predecessor_name, merge_type, met, total, as_of from v_predecessor_count_history where new_commune_code = '06475' order by as_of")
        .all();
      expect(lineage).toEqual([
        { predecessor_name: 'Xã Thượng Cường', merge_type: 'full', met: 13, total: 19, as_of: '2022-07-20' },
        { predecessor_name: 'Xã Thượng Cường', merge_type: 'full', met: 15, total: 19, as_of: '2025-06-30' },
      ]);
      const own = handle.$client
        .prepare(
          "select indicators_met, indicators_total, commune_group from v_commune_count_status where commune_code = '06475' and unit_system = 'two_level_2025'",
        )
        .get();
      expect(own).toEqual({ indicators_met: 38, indicators_total: 47, commune_group: 2 });
    } finally {
      closeDatabase(handle);
    }
  });

  it('ntm status --commune "Bằng Mạc": its own 2026 status, then its predecessors\' timeline set apart', async () => {
    const { code, stdout } = await ntm(['status', '--commune', 'Bằng Mạc', '--db', db]);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    const start = lines.indexOf('xã Bằng Mạc (06475) — tỉnh Lạng Sơn, a commune of the units of 1/7/2025 (no district)');
    expect(start).toBeGreaterThanOrEqual(0);
    const section = lines.slice(start).join('\n');
    expect(section).toMatch(/^ {2}NTM \(ntm_2026_2030\) — stands: 7\/10, 38\/47 chỉ tiêu, xã nhóm 2, reported, as of 2026-04-14$/m);
    expect(section).toMatch(/unmet: 3 Phát triển kinh tế nông thôn, 7 Khoa học công nghệ và chuyển đổi số, 8 Môi trường và cảnh quan nông thôn/);
    expect(section).toMatch(
      /formed on 1\/7\/2025 from: xã Gia Lộc \(06475, huyện Chi Lăng\); xã Bằng Hữu \(06487, huyện Chi Lăng\); xã Thượng Cường \(06490, huyện Chi Lăng\); xã Bằng Mạc \(06493, huyện Chi Lăng\)/,
    );
    const history = section.slice(section.indexOf("predecessors' history"));
    expect(history).toMatch(/not this commune's status/);
    expect(history).toMatch(/ {4}xã Thượng Cường \(06490\) — huyện Chi Lăng, tỉnh Lạng Sơn, before 1\/7\/2025\n {6}NTM \(ntm_2021_2025\) — stands: 15\/19/);
    expect(history).toMatch(/2022-07-20 {2}13\/19 {2}reported — 000_528222cdabe6b09e\.txt p\.1: "xã Thượng Cường đạt 13\/19 tiêu chí"/);
    // The new commune's standing line is its own; no 19-criterion figure stands for it.
    expect(section.slice(0, section.indexOf('formed on'))).not.toMatch(/\/19/);
  });

  it('ntm status --commune "Thượng Cường" finds the old commune, says where it went, and shows the new commune', async () => {
    const { code, stdout } = await ntm(['status', '--commune', 'Thượng Cường', '--db', db]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^xã Thượng Cường \(06490\) — huyện Chi Lăng, tỉnh Lạng Sơn$/m);
    expect(stdout).toMatch(/from 1\/7\/2025 in xã Bằng Mạc \(06475\): its claims stay its own/);
    expect(stdout).toMatch(/^xã Bằng Mạc \(06475\) — tỉnh Lạng Sơn, a commune of the units of 1\/7\/2025/m);
    expect((await ntm(['status', '--commune', 'thuong cuong', '--db', db])).stdout).toBe(stdout);
  });

  it('ntm status --commune "Kiên Mộc": the partial merges are said, and Bính Xá\'s 19/19 stays Bính Xá\'s', async () => {
    const { stdout } = await ntm(['status', '--commune', 'Kiên Mộc', '--db', db]);
    const start = stdout.indexOf('xã Kiên Mộc (06625) — tỉnh Lạng Sơn, a commune of the units of 1/7/2025');
    expect(start).toBeGreaterThanOrEqual(0);
    const section = stdout.slice(start);
    expect(section).toMatch(/stands: 8\/10, 41\/47 chỉ tiêu, reported/);
    expect(section).toMatch(/xã Bính Xá \(06622, huyện Đình Lập\) in part; xã Kiên Mộc \(06625, huyện Đình Lập\) in part/);
    expect(section).toMatch(
      /xã Bính Xá \(06622\) — huyện Đình Lập, tỉnh Lạng Sơn, before 1\/7\/2025 — partial merge: only part of it became xã Kiên Mộc, the rest went to xã Đình Lập \(06613\)/,
    );
    expect(section).toMatch(/ {6}NTM \(ntm_2016_2020\) — stands: 19\/19/);
    // The old xã Kiên Mộc, same code, its own section.
    expect(stdout).toMatch(/^xã Kiên Mộc \(06625\) — huyện Đình Lập, tỉnh Lạng Sơn\n {2}NTM \(ntm_2016_2020\) — stands: 15\/19/m);
  });

  it('ntm status with no filter lists the new communes after the old ones; a name nowhere is refused', async () => {
    const all = (await ntm(['status', '--db', db])).stdout;
    expect(all.indexOf('xã Văn Quan (06253) — tỉnh Lạng Sơn, a commune of the units of 1/7/2025')).toBeGreaterThan(
      all.indexOf('xã Tú Xuyên (06277) — huyện Văn Quan'),
    );
    expect(all).toMatch(
      /xã Văn Quan \(06253\)[^\n]*\n {2}NTM \(ntm_2021_2025\) — stands: 16\/19, reported, as of 2025-10-15\n[^\n]*\n {2}NTM \(ntm_2026_2030\) — stands: 6\/10, 33\/47 chỉ tiêu, xã nhóm 3/,
    );
    const missing = await ntm(['status', '--commune', 'Nơi Không Có', '--db', db]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No commune named "Nơi Không Có" in the gazetteer (before or after 1/7/2025).');
  });

  it('exports the new fields: unit system, indicators, commune group, a former district', async () => {
    const records = (await ntm(['export', '--format', 'jsonl', '--db', db])).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.find((r) => r.kind === 'commune_count' && (r.commune as { name: string } | null)?.name === 'Bằng Mạc')).toMatchObject({
      unitSystem: 'two_level_2025',
      commune: { code: '06475' },
      province: { code: '20' },
      district: null,
      criteriaSet: 'ntm_2026_2030',
      met: 7,
      total: 10,
      indicatorsMet: 38,
      indicatorsTotal: 47,
      communeGroup: 2,
    });
    expect(records.find((r) => r.kind === 'commune_count' && r.asOf === '2025-06-30')).toMatchObject({
      unitSystem: 'three_level',
      commune: { code: '06490' },
      district: { code: '187', former: true },
    });
    expect(records.find((r) => r.kind === 'commune_count' && r.asOf === '2022-07-20')).toMatchObject({
      unitSystem: 'three_level',
      indicatorsMet: null,
      communeGroup: null,
    });
    const csv = (await ntm(['export', '--format', 'csv', '--db', db])).stdout.split('\n')[0];
    expect(csv).toContain('district.former,commune.name,commune.code,unitSystem');
    expect(csv).toContain('met,total,indicatorsMet,indicatorsTotal,communeGroup');
  });
});

describe('never compared across sets or across the reform', () => {
  it('in one document: the old and the new xã Kiên Mộc, or two sets, are no contradictory counts', () => {
    const { statements, flags } = extract(
      `${header('2026-04-14')}Xã Kiên Mộc, huyện Đình Lập (cũ) đạt 15/19 tiêu chí theo Bộ tiêu chí giai đoạn 2021-2025. Xã Kiên Mộc đạt 8/10 tiêu chí, 41/47 chỉ tiêu.`,
    );
    expect(counts(statements).map((s) => [s.met, s.total, s.criteriaSet, s.units?.system ?? 'three_level', s.units?.commune?.code])).toEqual([
      [15, 19, 'ntm_2021_2025', 'three_level', '06625'],
      [8, 10, 'ntm_2026_2030', 'two_level_2025', '06625'],
    ]);
    expect(flags.filter((flag) => flag.type === 'contradictory_counts')).toEqual([]);
    // The same commune, set and date twice with two counts is still a contradiction.
    const twice = extract(`${header('2026-04-14')}Xã Kiên Mộc đạt 8/10 tiêu chí. Qua kiểm tra, xã Kiên Mộc đạt 7/10 tiêu chí.`);
    expect(twice.flags.map((flag) => flag.type)).toContain('contradictory_counts');
  });

  it('across documents of one date: counts against different sets stand side by side; the same set still conflicts', async () => {
    const folder = newTempFolder();
    const write = (name: string, body: string) => writeFileSync(join(folder, name), `${header('2026-01-20')}${body}`);
    write('a.txt', 'Xã Khánh Khê tự đánh giá đạt 5/10 tiêu chí theo Bộ tiêu chí quốc gia về nông thôn mới giai đoạn 2026-2030.');
    write('b.txt', 'Qua rà soát, xã Khánh Khê đạt 17/19 tiêu chí.');
    const db = join(folder, 'ntm.sqlite');
    expect((await ntm(['ingest', join(folder, 'a.txt'), join(folder, 'b.txt'), '--db', db])).code).toBe(0);
    const crossFlags = () => {
      const handle = openDatabase(db);
      try {
        return handle.$client.prepare("select message from flags where scope = 'cross_document'").pluck().all() as string[];
      } finally {
        closeDatabase(handle);
      }
    };
    expect(crossFlags()).toEqual([]);
    write('c.txt', 'Qua kiểm tra, xã Khánh Khê đạt 16/19 tiêu chí.');
    expect((await ntm(['ingest', join(folder, 'c.txt'), '--db', db])).code).toBe(0);
    const [conflict, ...more] = crossFlags();
    expect(more).toEqual([]);
    expect(conflict).toMatch(/17\/19.*16\/19|16\/19.*17\/19/);
    expect(conflict).not.toMatch(/5\/10/);
  });
});

describe('earlier fixtures give what they gave', () => {
  it('a seed in every format still reads against the old units only', async () => {
    const extraction = await extractFixture(projectPath('fixtures', 'seeds', '003_208c7acc8bb6c444.txt'));
    expect(extraction.statements.every((statement) => (statement.units as { system?: string } | null)?.system === undefined)).toBe(true);
    expect(extraction).toEqual(JSON.parse(readFileSync(projectPath('fixtures', 'expected', '003_208c7acc8bb6c444.json'), 'utf8')));
  });

  it('a 2026 document written on the fly is re-extracted the same from a file', async () => {
    const path = join(newTempFolder(), 'bao-cao.txt');
    writeFileSync(path, `${header('2026-05-01')}Xã Nhân Lý (xã nhóm 3) đạt 5/10 tiêu chí, 30/47 chỉ tiêu.`);
    const extraction = await extractFixture(path);
    expect(extraction.statements).toHaveLength(1);
    expect(extraction.statements[0]).toMatchObject({
      commune: 'Nhân Lý',
      met: 5,
      total: 10,
      indicators: { met: 30, total: 47 },
      communeGroup: 3,
      criteriaSet: 'ntm_2026_2030',
      units: { system: 'two_level_2025', commune: { code: '06496' } },
    });
  });
});
