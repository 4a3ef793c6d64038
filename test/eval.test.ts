import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scoreExport, type ExportedRecord, type GoldDocument } from '../src/eval/gold-scoring.js';
import { ntm } from './support/run-cli.js';
import { useTempFolder } from './support/temp-folder.js';

const newTempFolder = useTempFolder();

describe('ntm eval', () => {
  it('ingests the documents, scores the export per kind and lists every miss and false positive', async () => {
    const { code, stdout } = await ntm(['eval', 'fixtures/eval/docs', 'fixtures/eval/gold']);
    expect(code).toBe(0);
    expect(stdout).toContain('commune_count        recall 8/9  precision 8/8');
    expect(stdout).toContain('criteria_list        recall 1/1  precision 1/2');
    // "Toàn tỉnh có 60/181 xã đạt chuẩn" is the province's figure: exported, not scored.
    expect(stdout).toContain('district_aggregate   recall 2/2  precision 2/2');
    expect(stdout).toContain('conflicts            recall 1/1');
    expect(stdout).toMatch(/^MISS e01 commune_count a statement the text does not make/m);
    expect(stdout).toMatch(/^FP {3}e02 criteria_list .*yen vuong.*«Xã Yên Vượng đạt 15\/19 tiêu chí/m);
    expect(stdout.trim().split('\n').at(-1)).toBe('recall=0.917 precision=0.917 conflict_recall=1.000 docs=2 exported_docs=2');
  });

  it('exits 1 below a threshold and 0 at it', async () => {
    expect((await ntm(['eval', 'fixtures/eval/docs', 'fixtures/eval/gold', '--min-recall', '0.95', '--quiet'])).code).toBe(1);
    expect((await ntm(['eval', 'fixtures/eval/docs', 'fixtures/eval/gold', '--min-precision', '0.95', '--quiet'])).code).toBe(1);
    const passing = await ntm(['eval', 'fixtures/eval/docs', 'fixtures/eval/gold', '--min-recall', '0.9', '--min-precision', '0.9', '--quiet']);
    expect(passing.code).toBe(0);
    expect(passing.stdout).not.toContain('MISS');
  });

  it('names the gold file that is not in the evaluation format', async () => {
    const gold = newTempFolder();
    await writeFile(join(gold, 'x01.json'), JSON.stringify({ doc: 'x01', statements: 'none' }));
    const { code, stderr } = await ntm(['eval', 'fixtures/eval/docs', gold]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${join(gold, 'x01.json')} is not a gold file: statements`);
  });
});

describe('scoring against gold', () => {
  const count = (commune: string, met: number, extra: Partial<ExportedRecord> = {}): ExportedRecord => ({
    kind: 'commune_count',
    document: { filename: 'a01-report.pdf' },
    commune: { name: commune, code: null },
    met,
    total: 19,
    citation: { quote: commune },
    ...extra,
  });
  const gold: GoldDocument[] = [
    {
      doc: 'a01',
      statements: [
        { kind: 'commune_count', commune: 'Tân Lập', met: 17, total: 19 },
        { kind: 'commune_count', commune: 'Hòa Bình', met: 12, total: 19, optional: true },
        { kind: 'district_aggregate', metric: 'average_criteria_per_commune', value: 13.2 },
      ],
    },
  ];

  it('counts a repeated fact as neither right nor wrong, and optional gold as neither required nor wrong', () => {
    const score = scoreExport(gold, [count('xã Tân Lập', 17), count('Tân Lap', 17), count('Hoà Bình', 12)]);
    expect(score.kinds.commune_count).toEqual({ found: 1, expected: 1, extracted: 1, repeated: 1 });
    expect(score.misses.map((miss) => miss.kind)).toEqual(['district_aggregate']);
    expect(score.recall).toBeCloseTo(0.5);
    expect(score.precision).toBe(1);
  });

  it('leaves province and national figures out, and counts a wrong figure as a false positive', () => {
    const average = (value: number, scope: string): ExportedRecord => ({
      kind: 'district_aggregate',
      document: { filename: 'a01.txt' },
      metric: 'average_criteria_per_commune',
      value,
      scope,
    });
    const score = scoreExport(gold, [average(13.2, 'district'), average(15.5, 'province'), average(9.8, 'national'), count('Tân Lập', 16)]);
    expect(score.kinds.district_aggregate).toEqual({ found: 1, expected: 1, extracted: 1, repeated: 0 });
    expect(score.kinds.commune_count).toEqual({ found: 0, expected: 1, extracted: 1, repeated: 0 });
    expect(score.falsePositives).toHaveLength(1);
  });
});
