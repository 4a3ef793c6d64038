import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BYTES, extractText } from '../src/text/extract-text.js';
import { blankPagesPdf, docx, docxBomb, jpegBomb, pngBomb, tiffBomb } from './support/hostile-files.js';
import { measuredNtm } from './support/measured-cli.js';
import { ntm } from './support/run-cli.js';
import { documentsIn } from './support/documents-in.js';
import { useTempFolder } from './support/temp-folder.js';

const newTempFolder = useTempFolder();

/** A small document the rules read: one statement. */
const goodText = (commune: string, met: number) => `Xã ${commune} đạt ${met}/19 tiêu chí nông thôn mới.\n`;

describe('folders that are not what they seem', () => {
  it('skips FIFOs and symlink loops, fails a missing path or a link to itself, reads non-UTF-8 names, and ingests the rest', async () => {
    const folder = newTempFolder();
    const inputs = join(folder, 'inputs');
    mkdirSync(join(inputs, 'nested'), { recursive: true });
    writeFileSync(join(inputs, 'a.txt'), goodText('Hòa Bình', 12));
    writeFileSync(join(inputs, 'nested', 'b.txt'), goodText('Tân Lập', 14));
    execFileSync('mkfifo', [join(inputs, 'pipe.txt')]); // opening it would block for ever
    symlinkSync('.', join(inputs, 'here-1'));
    symlinkSync('.', join(inputs, 'here-2'));
    symlinkSync('..', join(inputs, 'nested', 'up'));
    symlinkSync('self.txt', join(inputs, 'self.txt')); // ELOOP
    symlinkSync('gone.txt', join(inputs, 'dangling.txt'));
    // "c\xE0.txt": Latin-1 "cà", not valid UTF-8.
    writeFileSync(Buffer.concat([Buffer.from(`${inputs}/c`), Buffer.from([0xe0]), Buffer.from('.txt')]), goodText('Đồng Tâm', 15));
    const db = join(folder, 'ntm.sqlite');

    const result = await measuredNtm(['ingest', join(folder, 'missing.txt'), inputs, '--db', db], {}, { timeoutMs: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`failed      ${join(folder, 'missing.txt')}: Cannot read ${join(folder, 'missing.txt')}: no such file or folder`);
    expect(result.stdout).toContain(`skipped     ${join(inputs, 'pipe.txt')}: Skipped ${join(inputs, 'pipe.txt')}: a named pipe (FIFO), not a regular file`);
    expect(result.stdout).toMatch(/skipped +\S+here-1: Skipped \S+here-1: the folder \S+ is already being read/);
    expect(result.stdout).toMatch(/skipped +\S+here-2: /);
    expect(result.stdout).toMatch(/skipped +\S+nested\/up: /);
    expect(result.stdout).toContain(
      `failed      ${join(inputs, 'self.txt')}: Cannot read ${join(inputs, 'self.txt')}: a symbolic link that loops back on itself`,
    );
    expect(result.stdout).toContain(`failed      ${join(inputs, 'dangling.txt')}: Cannot read ${join(inputs, 'dangling.txt')}: a symbolic link to nothing`);
    expect(result.stdout).toMatch(/Documents: 3 new, 0 re-extracted, 0 unchanged, 3 failed, 4 skipped/);
    expect(documentsIn(db)).toEqual([
      { file_name: 'a.txt', status: 'done', error: null },
      { file_name: 'c\uFFFD.txt', status: 'done', error: null },
      { file_name: 'b.txt', status: 'done', error: null },
    ]);
    expect(result.peakMiB).toBeLessThan(400);
  });
});

describe('a full disk', () => {
  it('stops the batch at the file being stored, names it, exits 3, leaves a valid database that a re-run completes', async () => {
    const folder = newTempFolder();
    const db = join(folder, 'ntm.sqlite');
    const inputs = join(folder, 'inputs');
    mkdirSync(inputs);
    writeFileSync(join(inputs, '0-first.txt'), goodText('Hòa Bình', 12));
    expect((await ntm(['ingest', join(inputs, '0-first.txt'), '--db', db])).code).toBe(0);
    // RLIMIT_FSIZE stands in for a full disk: no file (database, its WAL, a blob) may grow past it.
    const limit = statSync(db).size + 256 * 1024;
    const filler = (n: number) => `Văn bản số ${n}.\n${'Nội dung không liên quan đến tiêu chí.\n'.repeat(Math.floor(limit / 2.4 / 40))}`;
    for (const n of [1, 2, 3, 4]) writeFileSync(join(inputs, `${n}-large.txt`), filler(n));

    const result = await measuredNtm(['ingest', inputs, '--db', db], {}, { timeoutMs: 60_000, prlimitFileSize: limit });
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^unchanged +\S+0-first\.txt/m);
    expect(result.stdout).toMatch(/^new +\S+1-large\.txt/m);
    const stoppedAt = /Storage failed while storing \S+\/(\d)-large\.txt: (.+)\. \S+\/\1-large\.txt and the (\d) file\(s\) after it were not ingested/.exec(
      result.stderr,
    );
    expect(stoppedAt, result.stderr).not.toBeNull();
    expect(stoppedAt![2]).toMatch(/disk is full|disk I\/O error|file too large/i);
    expect(Number(stoppedAt![1]) + Number(stoppedAt![3])).toBe(4);
    expect(Number(stoppedAt![1])).toBeGreaterThan(1); // the first large file fitted

    const client = new BetterSqlite3(db, { readonly: true });
    expect(client.pragma('integrity_check', { simple: true })).toBe('ok');
    client.close();
    const again = await ntm(['ingest', inputs, '--db', db]);
    expect(again.code).toBe(0);
    expect(documentsIn(db).map((row) => row.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
  });
});

function documentRows(db: string): Array<{ file_name: string; status: string; error_reason: string | null; error: string | null }> {
  const client = new BetterSqlite3(db, { readonly: true });
  try {
    return client.prepare('select file_name, status, error_reason, error from documents order by file_name').all() as Array<{
      file_name: string;
      status: string;
      error_reason: string | null;
      error: string | null;
    }>;
  } finally {
    client.close();
  }
}

describe('decompression bombs', () => {
  it('refuses a DOCX that inflates to a quarter of a gigabyte, or lies about its size, before mammoth reads it; the rest is ingested', async () => {
    const folder = newTempFolder();
    const inputs = join(folder, 'inputs');
    mkdirSync(inputs);
    const bomb = await docxBomb(256);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    writeFileSync(join(inputs, 'bomb.docx'), bomb);
    writeFileSync(join(inputs, 'liar.docx'), await docxBomb(96, { declaredSize: 4096 }));
    writeFileSync(join(inputs, 'small.docx'), docx(['Xã Tân Lập đạt 14/19 tiêu chí nông thôn mới.']));
    writeFileSync(join(inputs, 'note.txt'), goodText('Hòa Bình', 12));
    const db = join(folder, 'ntm.sqlite');

    const result = await measuredNtm(['ingest', inputs, '--db', db], {}, { timeoutMs: 90_000 });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Documents: 2 new, 0 re-extracted, 0 unchanged, 2 failed/);
    const rows = documentRows(db);
    expect(rows.map((row) => [row.file_name, row.status, row.error_reason])).toEqual([
      ['bomb.docx', 'failed', 'too_large'],
      ['liar.docx', 'failed', 'too_large'],
      ['note.txt', 'done', null],
      ['small.docx', 'done', null],
    ]);
    expect(rows[0]!.error).toBe(
      'Cannot read bomb.docx: the Word document inflates to more than 20 MB of XML (a decompression bomb?), reached in word/document.xml; the limit is NTM_MAX_INFLATED_MB',
    );
    expect(rows[1]!.error).toMatch(/^Cannot read liar\.docx: the Word document inflates to more than 20 MB/);
    // Inflation is counted as a stream, never held: far from the 4.5 GB mammoth reached.
    expect(result.peakMiB).toBeLessThan(500);

    // The limit is the environment's: a lower one refuses the small document too, by name.
    const strict = await ntm(['ingest', join(inputs, 'small.docx'), '--db', join(folder, 'strict.sqlite')], { NTM_MAX_INFLATED_MB: '0.0001' });
    expect(strict.stdout).toContain('Cannot read small.docx: the Word document inflates to more than 0 MB of XML');
  });

  it('refuses PNG, JPEG and TIFF headers declaring too many pixels (per page of a multi-page TIFF) before decoding a pixel', async () => {
    const folder = newTempFolder();
    const inputs = join(folder, 'inputs');
    mkdirSync(inputs);
    writeFileSync(join(inputs, 'a-60000.png'), pngBomb(60_000, 60_000));
    writeFileSync(join(inputs, 'b-30000.png'), pngBomb(30_000, 30_000));
    writeFileSync(join(inputs, 'c-60000.jpg'), jpegBomb(60_000, 60_000));
    writeFileSync(join(inputs, 'd-60000.tif'), tiffBomb([{ width: 60_000, height: 60_000 }]));
    writeFileSync(
      join(inputs, 'e-pages.tif'),
      tiffBomb([
        { width: 16, height: 16 },
        { width: 16, height: 16 },
        { width: 40_000, height: 40_000 },
      ]),
    );
    writeFileSync(join(inputs, 'f-note.txt'), goodText('Hòa Bình', 12));
    expect(pngBomb(60_000, 60_000).length).toBeLessThan(100);
    const db = join(folder, 'ntm.sqlite');

    const result = await measuredNtm(['ingest', inputs, '--db', db], {}, { timeoutMs: 60_000 });
    expect(result.code).toBe(1);
    const rows = documentRows(db);
    expect(rows.map((row) => [row.file_name, row.status, row.error_reason])).toEqual([
      ['a-60000.png', 'failed', 'too_large'],
      ['b-30000.png', 'failed', 'too_large'],
      ['c-60000.jpg', 'failed', 'too_large'],
      ['d-60000.tif', 'failed', 'too_large'],
      ['e-pages.tif', 'failed', 'too_large'],
      ['f-note.txt', 'done', null],
    ]);
    expect(rows[0]!.error).toBe(
      'Cannot read a-60000.png: the image declares 60000×60000 pixels (3600 megapixels), over the 150 megapixels limit (NTM_MAX_MEGAPIXELS): refused before decoding',
    );
    expect(rows[1]!.error).toContain('30000×30000 pixels (900 megapixels)');
    expect(rows[2]!.error).toContain('the image declares 60000×60000 pixels');
    expect(rows[3]!.error).toContain('the image declares 60000×60000 pixels');
    expect(rows[4]!.error).toBe(
      'Cannot read e-pages.tif: page 3 of the image declares 40000×40000 pixels (1600 megapixels), over the 150 megapixels limit (NTM_MAX_MEGAPIXELS): refused before decoding',
    );
    expect(result.peakMiB).toBeLessThan(400);
    expect(result.seconds).toBeLessThan(45);
  });
});

describe('page bombs', () => {
  it('counts blank pages as done in the page progress, without recognising them', async () => {
    const progress: Array<[number, number]> = [];
    const extracted = await extractText(await blankPagesPdf(3), 'blank.pdf', {
      maxBytes: DEFAULT_MAX_BYTES,
      onPageProgress: (done, total) => progress.push([done, total]),
    });
    expect(extracted.pages.map((page) => [page.page, page.text, page.source ?? null])).toEqual([
      [1, '', null],
      [2, '', null],
      [3, '', null],
    ]);
    expect(progress.at(-1)).toEqual([3, 3]);
  });

  it('refuses a PDF over NTM_MAX_PAGES, and never OCRs blank pages', async () => {
    const folder = newTempFolder();
    const inputs = join(folder, 'inputs');
    mkdirSync(inputs);
    const bomb = await blankPagesPdf(1500);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    writeFileSync(join(inputs, 'a-1500-blank.pdf'), bomb);
    writeFileSync(join(inputs, 'b-40-blank.pdf'), await blankPagesPdf(40, 'Xa Tan Lap dat 14/19 tieu chi nong thon moi.'));
    writeFileSync(join(inputs, 'c-note.txt'), goodText('Hòa Bình', 12));
    // Two pages of 200 × 200 inches: 40000² pixels each when rendered for OCR.
    writeFileSync(join(inputs, 'd-huge-pages.pdf'), await blankPagesPdf(2, undefined, [14_400, 14_400]));
    const db = join(folder, 'ntm.sqlite');

    const result = await measuredNtm(['ingest', inputs, '--db', db], {}, { timeoutMs: 120_000 });
    expect(result.code).toBe(1);
    const rows = documentRows(db);
    expect(rows.map((row) => [row.file_name, row.status, row.error_reason])).toEqual([
      ['a-1500-blank.pdf', 'failed', 'too_large'],
      ['b-40-blank.pdf', 'done', null],
      ['c-note.txt', 'done', null],
      ['d-huge-pages.pdf', 'failed', 'too_large'],
    ]);
    expect(rows[3]!.error).toBe(
      'Cannot read d-huge-pages.pdf: page 1 of the PDF would render at 40000×40000 pixels for OCR (1600 megapixels at 200 dpi), over the 150 megapixels limit (NTM_MAX_MEGAPIXELS)',
    );
    expect(rows[0]!.error).toBe('Cannot read a-1500-blank.pdf: the document has 1500 pages to recognise, over the 500-page limit (NTM_MAX_PAGES)');
    const client = new BetterSqlite3(db, { readonly: true });
    const pages = client
      .prepare(
        "select p.page_no as page, p.source, p.ocr_engine as engine, length(p.text) as length from pages p join documents d on d.id = p.document_id where d.file_name = 'b-40-blank.pdf' order by p.page_no",
      )
      .all() as Array<{ page: number; source: string | null; engine: string | null; length: number }>;
    const statements = client
      .prepare("select count(*) from statements s join documents d on d.id = s.document_id where d.file_name = 'b-40-blank.pdf'")
      .pluck()
      .get();
    client.close();
    expect(pages).toHaveLength(41);
    // Recognised as blank without OCR: no engine ran on any page.
    expect(pages.filter((page) => page.engine !== null || page.source === 'ocr')).toEqual([]);
    expect(pages.slice(0, 40).every((page) => page.length === 0)).toBe(true);
    expect(statements).toBeGreaterThan(0);
    expect(result.peakMiB).toBeLessThan(800);

    // NTM_MAX_PAGES is read from the environment.
    const strict = await ntm(['ingest', join(inputs, 'b-40-blank.pdf'), '--db', join(folder, 'strict.sqlite')], { NTM_MAX_PAGES: '20' });
    expect(strict.stdout).toContain(
      'Cannot read b-40-blank.pdf: the document has 40 pages without a text layer (of 41) to recognise, over the 20-page limit (NTM_MAX_PAGES)',
    );
  });
});
