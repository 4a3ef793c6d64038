/**
 * The extraction pool (src/pipeline/pool/): the CLI run as a child, compiled, with its worker
 * threads. Results must not depend on the number of threads; a file that breaks a thread fails
 * alone, naming itself; NTM_JOBS and --jobs are checked; long documents stay within memory.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../extractors/util/project-root.js';
import { pageGroups } from '../src/pipeline/pool/extraction-pool.js';
import { DEFAULT_MAX_BYTES, extractText } from '../src/text/extract-text.js';
import { scannedPagesPdf, textPagesPdf } from './bench/long-documents.js';
import { measuredNtm } from './support/measured-cli.js';
import { ntm } from './support/run-cli.js';
import { documentsIn } from './support/documents-in.js';
import { useTempFolder } from './support/temp-folder.js';

const newTempFolder = useTempFolder();
const OCR_TIMEOUT = 900_000;

/** Ingests `inputs` with `--jobs N` into a fresh database and returns its JSONL and CSV exports. */
async function ingestAndExport(inputs: string, jobs: number): Promise<{ jsonl: string; csv: string }> {
  const db = join(newTempFolder(), 'ntm.sqlite');
  const ingest = await ntm(['ingest', inputs, '--db', db, '--jobs', String(jobs)]);
  expect(ingest.code, ingest.stdout + ingest.stderr).toBe(0);
  const jsonl = await ntm(['export', '--db', db]);
  const csv = await ntm(['export', '--db', db, '--format', 'csv']);
  expect(jsonl.code).toBe(0);
  return { jsonl: jsonl.stdout, csv: csv.stdout };
}

describe('the recognise tasks of a scan', () => {
  const sizes = (pages: number, threads: number) =>
    pageGroups(
      Array.from({ length: pages }, (_, index) => index + 1),
      threads,
    ).map((group) => group.length);

  it('shrink towards single pages, so no thread is left alone with several pages at the end', () => {
    expect(sizes(10, 2)).toEqual([3, 2, 2, 1, 1, 1]);
    expect(sizes(3, 2)).toEqual([1, 1, 1]);
    expect(sizes(1, 4)).toEqual([1]);
    expect(sizes(0, 2)).toEqual([]);
    const long = sizes(300, 2);
    expect(Math.max(...long)).toBe(4); // a long scan's tasks stay a few pages each
    expect(long.slice(-2)).toEqual([1, 1]);
  });

  it('hold every page once, in order', () => {
    const pages = [2, 3, 5, 7, 11, 13, 17];
    const groups = pageGroups(pages, 3);
    expect(groups.flat()).toEqual(pages);
    for (let index = 1; index < groups.length; index++) expect(groups[index]!.length).toBeLessThanOrEqual(groups[index - 1]!.length);
  });
});

describe('the extraction pool', () => {
  it('gives byte-identical exports with --jobs 2 and --jobs 1 on the seeds and a scanned fixture', { timeout: OCR_TIMEOUT }, async () => {
    const inputs = join(newTempFolder(), 'inputs');
    mkdirSync(inputs);
    for (const name of [
      '000_528222cdabe6b09e.pdf',
      '001_f3406501ba6aec7a.docx',
      '002_208071814d246b50.txt',
      '003_208c7acc8bb6c444.pdf',
      '004_d6b659843d553b3d.txt',
    ]) {
      copyFileSync(projectPath('fixtures', 'seeds', name), join(inputs, name));
    }
    // A three-page scan made here (its pages spread over both threads) and the two-page TIFF fixture.
    writeFileSync(join(inputs, 'scan.pdf'), await scannedPagesPdf(3));
    copyFileSync(projectPath('fixtures', 'scanned', 'two-pages.tif'), join(inputs, 'two-pages.tif'));
    const [two, one] = [await ingestAndExport(inputs, 2), await ingestAndExport(inputs, 1)];
    expect(two.jsonl.split('\n').length).toBeGreaterThan(20);
    expect(two.jsonl).toContain('"filename":"scan.pdf"');
    // The scan was recognised: its typed counts are statements.
    expect(two.jsonl.split('\n').filter((line) => line.includes('"filename":"scan.pdf"') && line.includes('"kind":"commune_count"')).length).toBeGreaterThan(0);
    expect(two.jsonl).toBe(one.jsonl);
    expect(two.csv).toBe(one.csv);
  });

  it('fails a file that breaks its thread (out of memory) or cannot be read, naming it, and ingests the rest', { timeout: 300_000 }, async () => {
    const folder = newTempFolder();
    const inputs = join(folder, 'inputs');
    mkdirSync(inputs);
    const line = 'Xã Tân Lập đạt 14/19 tiêu chí nông thôn mới, huyện Văn Quan.\n';
    writeFileSync(join(inputs, 'a-good.txt'), line);
    // About 8 MB of text: its string, pages and statements need far more than a 32 MB heap.
    writeFileSync(join(inputs, 'b-huge.txt'), line.repeat(Math.ceil(8e6 / Buffer.byteLength(line))));
    // A PNG cut off after its header: the decoder throws inside the thread.
    writeFileSync(
      join(inputs, 'c-broken.png'),
      Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452000000400000004008000000', 'hex'), Buffer.alloc(16, 0x41)]),
    );
    writeFileSync(join(inputs, 'd-good.txt'), 'Xã Hòa Bình đạt 12/19 tiêu chí nông thôn mới.\n');
    const db = join(folder, 'ntm.sqlite');
    const result = await ntm(['ingest', inputs, '--db', db, '--jobs', '2'], { NTM_WORKER_HEAP_MB: '32', NTM_JOB_ATTEMPTS: '1' });
    expect(result.code).toBe(1);
    const rows = documentsIn(db);
    expect(rows.map((row) => [row.file_name, row.status])).toEqual([
      ['a-good.txt', 'done'],
      ['b-huge.txt', 'failed'],
      ['c-broken.png', 'failed'],
      ['d-good.txt', 'done'],
    ]);
    expect(rows[1]!.error).toBe('Cannot read b-huge.txt: reading it needed more memory than the 32 MB an extraction thread may use (NTM_WORKER_HEAP_MB)');
    expect(rows[2]!.error).toMatch(/^Cannot read c-broken\.png: /);
    expect(rows[2]!.error).not.toContain('memory');
    expect(result.stdout).toContain('b-huge.txt: Cannot read b-huge.txt: reading it needed more memory');
    expect(result.stdout).toContain('Documents: 2 new, 0 re-extracted, 0 unchanged, 2 failed');
  });

  it('refuses a bad NTM_JOBS or --jobs with a clear message', { timeout: 300_000 }, async () => {
    const db = join(newTempFolder(), 'ntm.sqlite');
    const text = join(newTempFolder(), 'a.txt');
    writeFileSync(text, 'Xã Tân Lập đạt 14/19 tiêu chí nông thôn mới.\n');
    for (const [value, problem] of [
      ['many', 'must be a number of threads, such as 4'],
      ['0', 'must be at least 1'],
      ['1.5', 'must be a whole number of threads'],
    ] as const) {
      const result = await ntm(['ingest', text, '--db', db], { NTM_JOBS: value });
      expect(result.code, value).not.toBe(0);
      expect(result.stderr).toContain(`NTM_JOBS: ${problem}`);
    }
    const flag = await ntm(['ingest', text, '--db', db, '--jobs', '0']);
    expect(flag.code).not.toBe(0);
    expect(flag.stderr).toContain("option '--jobs <n>' argument '0' is invalid. a whole number of threads from 1 to 256 is needed");
    const good = await ntm(['ingest', text, '--db', db], { NTM_JOBS: '3' });
    expect(good.code, good.stderr).toBe(0);
  });
});

describe('long documents stay within memory', () => {
  it('ingests a 2,000-page text PDF (over NTM_MAX_PAGES, which counts pages to recognise) under 1 GB, with progress all the way', {
    timeout: 300_000,
  }, async () => {
    const folder = newTempFolder();
    const pdf = join(folder, 'report-2000.pdf');
    const bytes = await textPagesPdf(2000);
    writeFileSync(pdf, bytes);

    const db = join(folder, 'ntm.sqlite');
    const result = await measuredNtm(['ingest', pdf, '--db', db], {}, { timeoutMs: 240_000 });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('report-2000.pdf: 200 statements');
    expect(result.peakMiB).toBeLessThan(1024);

    // Progress comes page window by page window while the text layer is read, not once at the end.
    const progress: number[] = [];
    const text = await extractText(bytes, 'report-2000.pdf', {
      maxBytes: DEFAULT_MAX_BYTES,
      onPageProgress: (done, total) => progress.push(total === 2000 ? done : -1),
    });
    expect(text.pages).toHaveLength(2000);
    expect(progress.length).toBeGreaterThanOrEqual(40);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(2000);
  });
});
