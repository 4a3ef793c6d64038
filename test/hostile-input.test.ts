import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { measuredNtm } from './support/measured-cli.js';
import { ntm } from './support/run-cli.js';
import { useTempFolder } from './support/temp-folder.js';

const newTempFolder = useTempFolder();

/** A small document the rules read: one statement. */
const goodText = (commune: string, met: number) => `Xã ${commune} đạt ${met}/19 tiêu chí nông thôn mới.\n`;

function documentsIn(db: string): Array<{ file_name: string; status: string; error: string | null }> {
  const client = new BetterSqlite3(db, { readonly: true });
  try {
    return client.prepare('select file_name, status, error from documents order by id').all() as Array<{ file_name: string; status: string; error: string | null }>;
  } finally {
    client.close();
  }
}

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
    expect(result.stdout).toContain(`failed      ${join(inputs, 'self.txt')}: Cannot read ${join(inputs, 'self.txt')}: a symbolic link that loops back on itself`);
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
    const stoppedAt = /Storage failed while storing \S+\/(\d)-large\.txt: (.+)\. \S+\/\1-large\.txt and the (\d) file\(s\) after it were not ingested/.exec(result.stderr);
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
