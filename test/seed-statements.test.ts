import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../extractors/util/project-root.js';
import { extractFixture, type CompactExtraction } from './support/compact-statements.js';

const seedsFolder = projectPath('fixtures', 'seeds');
const seedIds = readdirSync(seedsFolder)
  .filter((file) => /^\d{3}_[0-9a-f]+\.txt$/.test(file))
  .map((file) => file.replace(/\.txt$/, ''));

function expectedFor(seed: string): CompactExtraction {
  return JSON.parse(readFileSync(projectPath('fixtures', 'expected', `${seed}.json`), 'utf8')) as CompactExtraction;
}

/** Every other format of a seed that the fixtures hold (PDF, DOCX, and where made, DOC and UTF-16). */
function formatsOf(seed: string): string[] {
  return readdirSync(seedsFolder).filter((file) => file.startsWith(`${seed}.`) && file !== `${seed}.txt`);
}

describe.each(seedIds)('seed %s', (seed) => {
  it('gives the reviewed expected statements and flags from its text', async () => {
    expect(await extractFixture(join(seedsFolder, `${seed}.txt`))).toEqual(expectedFor(seed));
  });

  it.each(formatsOf(seed))('gives the same statements from %s', async (file) => {
    expect(await extractFixture(join(seedsFolder, file))).toEqual(expectedFor(seed));
  });
});

describe('the seeds as a whole', () => {
  const all = Object.fromEntries(seedIds.map((seed) => [seed, expectedFor(seed).statements]));
  const find = (seed: string, fields: Record<string, unknown>) =>
    all[seed]?.filter((s) => Object.entries(fields).every(([key, value]) => JSON.stringify(s[key]) === JSON.stringify(value)));

  it('read Thượng Cường 13/19 with its 13 met and 6 unmet criteria', () => {
    expect(find('000_528222cdabe6b09e', { kind: 'commune_count', commune: 'Thượng Cường', met: 13, total: 19 })).toHaveLength(1);
    expect(
      find('000_528222cdabe6b09e', { kind: 'criteria_list', commune: 'Thượng Cường', status: 'met', criteria: [1, 3, 4, 7, 8, 9, 10, 11, 12, 13, 14, 16, 19] }),
    ).toHaveLength(1);
    expect(find('000_528222cdabe6b09e', { kind: 'criteria_list', commune: 'Thượng Cường', status: 'unmet', criteria: [2, 5, 6, 15, 17, 18] })).toHaveLength(1);
  });

  it('read Tú Xuyên 10/19 with its 9 unmet criteria', () => {
    expect(find('001_f3406501ba6aec7a', { kind: 'commune_count', commune: 'Tú Xuyên', met: 10, total: 19 })?.length).toBeGreaterThan(0);
    expect(
      find('001_f3406501ba6aec7a', { kind: 'criteria_list', commune: 'Tú Xuyên', status: 'unmet', criteria: [2, 4, 5, 6, 9, 11, 15, 16, 17], statedCount: 9 }),
    ).toHaveLength(1);
  });

  it('read the levels: Cai Kinh nâng cao, Đội Cấn nâng cao, Chi Lăng kiểu mẫu 4/4, Chí Minh NTM', () => {
    expect(
      find('002_208071814d246b50', {
        kind: 'commune_count',
        commune: 'Cai Kinh',
        met: 10,
        total: 19,
        level: 'nang_cao',
        criteriaSet: 'ntm_nang_cao_2021_2025',
      }),
    ).toHaveLength(1);
    expect(find('003_208c7acc8bb6c444', { kind: 'commune_count', commune: 'Đội Cấn', met: 11, total: 19, level: 'nang_cao' })).toHaveLength(1);
    expect(find('003_208c7acc8bb6c444', { kind: 'commune_count', commune: 'Chi Lăng', met: 4, total: 4, level: 'kieu_mau' })).toHaveLength(1);
    expect(find('003_208c7acc8bb6c444', { kind: 'commune_count', commune: 'Chí Minh', met: 14, total: 19, level: 'ntm' })).toHaveLength(1);
  });

  it('read the district aggregates', () => {
    expect(find('003_208c7acc8bb6c444', { kind: 'district_aggregate', metric: 'communes_meeting_standard', value: 10, of: 21 })).toHaveLength(1);
    expect(find('003_208c7acc8bb6c444', { kind: 'district_aggregate', metric: 'average_criteria_per_commune', value: 13.43 })).toHaveLength(1);
    expect(find('001_f3406501ba6aec7a', { kind: 'district_aggregate', metric: 'average_criteria_per_commune', value: 10.9 })).toHaveLength(1);
    expect(
      find('001_f3406501ba6aec7a', {
        kind: 'district_aggregate',
        metric: 'communes_with_n_criteria',
        nCriteria: 19,
        value: 3,
        communes: ['Tràng Phái', 'Tân Đoàn', 'Yên Phúc'],
      }),
    ).toHaveLength(1);
  });

  it('read only targets from the plan (Kế hoạch 245/KH-UBND), never a status', () => {
    const plan = all['004_d6b659843d553b3d'] ?? [];
    expect(plan.length).toBeGreaterThan(0);
    expect(plan.every((statement) => statement.kind === 'target')).toBe(true);
  });

  it("flag the count that disagrees with its list (Minh Tiến: 13 stated, 14 listed), Hữu Lễ's two counts, Văn Quan's average and the notice titled for Trùng Khánh", () => {
    expect(expectedFor('002_208071814d246b50').flags.map((flag) => flag.type)).toEqual(['count_list_mismatch']);
    expect(expectedFor('001_f3406501ba6aec7a').flags.map((flag) => flag.type)).toEqual(['contradictory_counts', 'aggregate_mismatch']);
    expect(expectedFor('003_208c7acc8bb6c444').flags.map((flag) => flag.type)).toEqual(['jurisdiction_mismatch']);
    for (const quiet of ['000_528222cdabe6b09e', '004_d6b659843d553b3d']) expect(expectedFor(quiet).flags).toEqual([]);
  });
});
