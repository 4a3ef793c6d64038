import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ntm } from './support/run-cli.js';
import { useTempFolder } from './support/temp-folder.js';

const newTempFolder = useTempFolder();

/** The lines of the report's section for one commune. */
function communeSection(report: string, path: string): string {
  const lines = report.split('\n');
  const start = lines.indexOf(path);
  expect(start, `report has a section "${path}"`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((line, index) => index > start && !line.startsWith(' '));
  return lines.slice(start, end).join('\n');
}

describe('the ntm command', () => {
  it('ingests the seeds in every format, then reports each commune with its sources', async () => {
    const db = join(newTempFolder(), 'ntm.sqlite');
    const ingest = await ntm(['ingest', 'fixtures/seeds', '--db', db]);
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toMatch(/^new +fixtures\/seeds\/000_528222cdabe6b09e\.pdf: \d+ statements/m);
    expect(ingest.stdout).toMatch(/Documents: 17 new, 0 re-extracted, 0 unchanged, 0 failed; statements: \d+; flags: \d+/);

    const { code, stdout: report } = await ntm(['report', '--db', db]);
    expect(code).toBe(0);
    const thuongCuong = communeSection(report, 'Lạng Sơn / Chi Lăng / Thượng Cường');
    expect(thuongCuong).toContain('13/19 met, as of 2022-07-20');
    expect(thuongCuong).toContain('met: 1, 3, 4, 7, 8, 9, 10, 11, 12, 13, 14, 16, 19');
    expect(thuongCuong).toContain('unmet: 2, 5, 6, 15, 17, 18');
    expect(thuongCuong).toMatch(/000_528222cdabe6b09e\.\w+ p\.\d/);
    expect(communeSection(report, 'Lạng Sơn / Văn Quan / Tú Xuyên')).toContain('unmet: 2, 4, 5, 6, 9, 11, 15, 16, 17');
    expect(communeSection(report, 'Lạng Sơn / Hữu Lũng / Cai Kinh')).toMatch(/NTM nâng cao \(ntm_nang_cao_2021_2025\)\n +10\/19 met/);
    expect(communeSection(report, 'Lạng Sơn / Tràng Định / Chí Minh')).toContain('14/19 met');
    expect(communeSection(report, 'Lạng Sơn / Tràng Định / Đội Cấn')).toMatch(/NTM nâng cao[^\n]*\n +11\/19 met/);
    expect(communeSection(report, 'Lạng Sơn / Tràng Định / Chi Lăng')).toMatch(/NTM kiểu mẫu[^\n]*\n +4\/4 met/);
    expect(report).toContain('10/21 communes meet the NTM standard');
    expect(report).toContain('average 13.43 criteria per commune');
    expect(report).toContain('3 communes reach 19 criteria: Tràng Phái, Tân Đoàn, Yên Phúc');
    // The plan names Hoàng Văn Thụ, Hoàng Việt and Tân Mỹ only as targets.
    expect(report.split('== Targets')[0]).not.toMatch(/Hoàng Việt|Tân Mỹ|Hoàng Văn Thụ/);
    expect(report).toMatch(/Hoàng Văn Thụ, Hoàng Việt, Tân Mỹ → NTM nâng cao by 2025/);
    expect(report).toMatch(/count_list_mismatch: xã Minh Tiến/);

    const again = await ntm(['ingest', 'fixtures/seeds', '--db', db]);
    expect(again.stdout).toMatch(/Documents: 0 new, 0 re-extracted, 17 unchanged, 0 failed/);
  });

  it('exits non-zero when a file fails, names the file and the problem, and still ingests the rest', async () => {
    const db = join(newTempFolder(), 'ntm.sqlite');
    const result = await ntm(['ingest', 'fixtures/bad/encrypted.pdf', 'fixtures/seeds/002_208071814d246b50.txt'], { NTM_DB: db });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('failed      fixtures/bad/encrypted.pdf: Cannot read encrypted.pdf: the PDF is password-protected');
    expect(result.stdout).toMatch(/new +fixtures\/seeds\/002_208071814d246b50\.txt: 10 statements, 1 flags/);
    const report = await ntm(['report', '--db', db]);
    expect(report.stdout).toContain('encrypted.pdf: Cannot read encrypted.pdf: the PDF is password-protected');
  });

  it('exports the contract as JSON lines and as CSV', async () => {
    const db = join(newTempFolder(), 'ntm.sqlite');
    await ntm(['ingest', 'fixtures/seeds/002_208071814d246b50.txt', '--db', db]);
    const jsonl = await ntm(['export', '--format', 'jsonl', '--db', db]);
    const records = jsonl.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toHaveLength(11);
    expect(records[0]).toMatchObject({
      kind: 'commune_count',
      met: 13,
      total: 19,
      level: 'ntm',
      criteriaSet: 'ntm_2021_2025',
      assessment: 'reported',
      asOf: '2024-09',
      commune: { name: 'Minh Tiến', code: '06415' },
      district: { name: 'Hữu Lũng', code: '186' },
      province: { name: 'Lạng Sơn', code: '20' },
      document: { filename: '002_208071814d246b50.txt', type: 'cong_van', number: '/UBND-NN', date: '2024-09' },
      citation: { page: 1, quote: 'Xã Minh Tiến đã đạt 13/19 tiêu chí' },
      rule: 'commune_count.met_of_total',
    });
    expect(records[1]).toMatchObject({ kind: 'criteria_list', flags: [{ type: 'count_list_mismatch' }] });
    expect(records.at(-1)).toMatchObject({
      kind: 'flag',
      type: 'count_list_mismatch',
      statements: [expect.any(Number)],
      evidence: [expect.objectContaining({ page: 1 })],
    });

    const csv = await ntm(['export', '--format', 'csv', '--db', db]);
    const [header, first] = csv.stdout.split('\n');
    expect(header).toMatch(/^id,kind,document\.id,document\.sha256,document\.filename/);
    expect(first).toContain('commune_count');
    expect(first).toContain('Minh Tiến');
  });

  it('rejects an unknown export format with a clear message', async () => {
    const result = await ntm(['export', '--format', 'xml', '--db', join(newTempFolder(), 'x.sqlite')]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/xml.*(invalid|Allowed choices)/i);
  });
});
