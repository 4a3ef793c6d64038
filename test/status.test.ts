/**
 * Current status: the SQL views (db/migrations/0003_status_views.sql) and `ntm status`, on the
 * seeds ingested by the real command, with reviewer corrections deciding what stands.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../db/index.js';
import { ntm } from './support/run-cli.js';
import { useTempFolder } from './support/temp-folder.js';

const newTempFolder = useTempFolder();

/** The communes seed 001 names for huyện Văn Quan, by gazetteer name and code, with their group counts. */
const VAN_QUAN: Array<[string, string, string]> = [
  ['Tràng Phái', '06316', '19/19'],
  ['Tân Đoàn', '06307', '19/19'],
  ['Yên Phúc', '06319', '19/19'],
  ['Hữu Lễ', '06322', '16/19'],
  ['Điềm He', '06280', '10/19'],
  ['Liên Hội', '06268', '10/19'],
  ['Trấn Ninh', '06256', '10/19'],
  ['Tú Xuyên', '06277', '10/19'],
  ['Bình Phúc', '06298', '9/19'],
  ['Đồng Giáp', '06295', '9/19'],
  ['Hòa Bình', '06274', '9/19'],
  ['Tràng Các', '06301', '8/19'],
  ['Khánh Khê', '06286', '8/19'],
  ['Lương Năng', '06292', '7/19'],
  ['Tri Lễ', '06313', '7/19'],
  ['An Sơn', '06283', '6/19'],
];

/** The lines of one commune's section of `ntm status`. */
function section(output: string, code: string): string {
  const lines = output.split('\n');
  const start = lines.findIndex((line) => line.includes(`(${code}) — `));
  expect(start, `a section for ${code}`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((line, index) => index > start && line.trim() === '');
  return lines.slice(start, end === -1 ? undefined : end).join('\n');
}

describe('ntm status over the seeds', () => {
  // One database for this block: ingesting the seeds in every format takes a few seconds.
  const folder = mkdtempSync(join(tmpdir(), 'ntm-status-'));
  const db = join(folder, 'ntm.sqlite');
  beforeAll(async () => {
    const ingest = await ntm(['ingest', 'fixtures/seeds', '--db', db]);
    expect(ingest.code).toBe(0);
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('--district "Văn Quan" shows every commune the 2020 report names, with its count and its source', async () => {
    const { code, stdout } = await ntm(['status', '--district', 'Văn Quan', '--db', db]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^huyện Văn Quan \(184\), tỉnh Lạng Sơn: 16 commune\(s\) with claims/);
    for (const [name, unit, count] of VAN_QUAN) {
      const lines = section(stdout, unit);
      expect(lines).toContain(`xã ${name} (${unit}) — huyện Văn Quan, tỉnh Lạng Sơn`);
      expect(lines).toMatch(new RegExp(`NTM \\(ntm_2016_2020\\) — stands: ${count}, reported, as of 2020-05-20`));
      // Every figure with its file, page and quote.
      expect(lines).toMatch(
        new RegExp(
          `2020-05-20  ${count}  reported(  ← stands)? — [^\\n]*001_f3406501ba6aec7a\\.txt p\\.1[^\\n]*: "[^"]*${name === 'Điềm He' ? 'Diềm He' : name}`,
        ),
      );
    }
    expect(section(stdout, '06280')).toContain('written as: Diềm He');
    // Hữu Lễ: the inspection's 16/19 stands over the self-assessed 19/19, which stays as history.
    const huuLe = section(stdout, '06322');
    expect(huuLe).toMatch(/16\/19  reported  ← stands/);
    expect(huuLe).toMatch(/2020-05-20  19\/19  self — [^\n]*"xã Hữu Lễ tự đánh giá/);
    expect(huuLe).toMatch(/nearly met: 10 Thu nhập, 11 Hộ nghèo, 17 Môi trường và an toàn thực phẩm/);
    expect(huuLe).toMatch(/flags: contradictory_counts \[[\d, ]+\]; aggregate_mismatch/);
    expect(section(stdout, '06277')).toMatch(
      /unmet: 2 Giao thông, 4 Điện, 5 Trường học, 6 Cơ sở vật chất văn hóa, 9 Nhà ở dân cư, 11 Hộ nghèo, 15 Y tế, 16 Văn hóa, 17 Môi trường/,
    );
    expect(stdout).toMatch(/Flags on these claims:\n {2}\[\d+\] (?:contradictory_counts|aggregate_mismatch)/);
    // Names are matched without diacritics too.
    expect((await ntm(['status', '--district', 'van quan', '--db', db])).stdout).toBe(stdout);
  });

  it('--commune "Chi Lăng" shows the two communes of that name apart', async () => {
    const { code, stdout } = await ntm(['status', '--commune', 'Chi Lăng', '--db', db]);
    expect(code).toBe(0);
    expect(section(stdout, '06523')).toMatch(
      /xã Chi Lăng \(06523\) — huyện Chi Lăng, tỉnh Lạng Sơn\n {2}NTM \(ntm_2021_2025\) — stands: 10\/19, reported, as of 2022-07-20/,
    );
    expect(section(stdout, '06034')).toMatch(
      /xã Chi Lăng \(06034\) — huyện Tràng Định, tỉnh Lạng Sơn\n {2}NTM kiểu mẫu \(ntm_kieu_mau_2021_2025\) — stands: 4\/4, reported, as of 2024-09-24/,
    );
    expect(section(stdout, '06034')).toMatch(/flags: jurisdiction_mismatch/);
  });

  it('says so when a name matches no unit', async () => {
    const result = await ntm(['status', '--district', 'Nowhere', '--db', db]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No district named "Nowhere" in the gazetteer.');
  });

  it('exposes the standing status as SQL views, one row per commune, level and criteria set', () => {
    const handle = openDatabase(db);
    try {
      const rows = handle.$client
        .prepare(
          "select commune_code, level, criteria_set, met, total, source, file_name, page_no, quote from v_commune_count_status where district_code = '184' order by commune_code",
        )
        .all() as Array<Record<string, unknown>>;
      expect(rows.map((row) => row.commune_code)).toEqual(VAN_QUAN.map(([, unit]) => unit).sort());
      expect(rows.find((row) => row.commune_code === '06322')).toMatchObject({
        level: 'ntm',
        criteria_set: 'ntm_2016_2020',
        met: 16,
        total: 19,
        source: 'reported',
      });
      const duplicates = handle.$client
        .prepare('select count(*) from (select commune_code, level, criteria_set from v_commune_count_status group by 1, 2, 3 having count(*) > 1)')
        .pluck()
        .get();
      expect(duplicates).toBe(0);
      const criteria = handle.$client.prepare("select criterion, status from v_criterion_status where commune_code = '06277' order by criterion").all();
      expect(criteria).toEqual([2, 4, 5, 6, 9, 11, 15, 16, 17].map((criterion) => ({ criterion, status: 'unmet' })));
    } finally {
      closeDatabase(handle);
    }
  });
});

describe('what stands', () => {
  it('puts a correction over an appraisal over a report over a self-assessment, the newer appraisal over the older; every other claim stays as history', async () => {
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
      write('report.txt', 'Qua kiểm tra, xã Minh Tiến đạt 13/19 tiêu chí.'),
      write(
        'appraisal.txt',
        '- Ngày 23/8/2024, Đoàn thẩm định đánh giá xã Minh Tiến đạt 15/19 tiêu chí.\n- Ngày 06/9/2024, Đoàn thẩm định đánh giá xã Minh Tiến đạt 17/19 tiêu chí.',
      ),
    ];
    expect((await ntm(['ingest', ...files, '--db', db])).code).toBe(0);
    const standing = () => {
      const handle = openDatabase(db);
      try {
        return handle.$client.prepare("select met, source, as_of as asOf from v_commune_count_status where commune_code = '06415'").get();
      } finally {
        closeDatabase(handle);
      }
    };
    // The newer of the two appraisals stands over the report and the (later, weaker) self-assessment.
    expect(standing()).toEqual({ met: 17, source: 'appraised', asOf: '2024-09-06' });

    const correct = (action: string, fingerprintOf: string | null, payload: object) => {
      const handle = openDatabase(db);
      try {
        const target = fingerprintOf
          ? (handle.$client
              .prepare(
                `select d.sha256, s.fingerprint from statements s join documents d on d.id = s.document_id where d.file_name = ? and s.kind = 'commune_count'`,
              )
              .get(fingerprintOf) as { sha256: string; fingerprint: string })
          : { sha256: 'reviewer', fingerprint: null };
        handle.$client
          .prepare('insert into corrections (document_sha256, statement_fingerprint, action, payload, reviewer) values (?, ?, ?, ?, ?)')
          .run(target.sha256, target.fingerprint, action, JSON.stringify(payload), 'reviewer-1');
      } finally {
        closeDatabase(handle);
      }
    };
    correct('replace', 'report.txt', { met: 14 });
    expect(standing()).toEqual({ met: 14, source: 'correction', asOf: '2024-09-16' });
    correct('reject', 'report.txt', {});
    expect(standing()).toEqual({ met: 17, source: 'appraised', asOf: '2024-09-06' });

    const { stdout } = await ntm(['status', '--commune', 'Minh Tiến', '--db', db]);
    expect(stdout).toMatch(/NTM \(ntm_2021_2025\) — stands: 17\/19, appraised, as of 2024-09-06/);
    expect(stdout).toMatch(/2024-08-23 {2}15\/19 {2}appraised — appraisal\.txt p\.1: "[^"]*15\/19/);
    expect(stdout).toMatch(/2024-09-06 {2}17\/19 {2}appraised {2}← stands — appraisal\.txt p\.1/);
    expect(stdout).toMatch(/2024-09-16 {2}13\/19 {2}reported \(rejected by a reviewer\) — report\.txt p\.1/);
    expect(stdout).toMatch(/2024-09-16 {2}18\/19 {2}self — self\.txt p\.1/);

    // A claim a reviewer adds stands over every machine claim; the others stay as history.
    correct('add', null, {
      kind: 'commune_count',
      commune: { name: 'Minh Tiến', code: '06415' },
      level: 'ntm',
      criteriaSet: 'ntm_2021_2025',
      asOf: '2024-10-01',
      met: 19,
      total: 19,
    });
    expect(standing()).toEqual({ met: 19, source: 'correction', asOf: '2024-10-01' });
    const after = (await ntm(['status', '--commune', 'Minh Tiến', '--db', db])).stdout;
    expect(after).toMatch(/2024-10-01 {2}19\/19 {2}correction {2}← stands — reviewer/);
    expect(after).toMatch(/2024-09-06 {2}17\/19 {2}appraised — appraisal\.txt p\.1/);
  });
});
