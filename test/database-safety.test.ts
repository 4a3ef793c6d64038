import { execFile } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../db/index.js';
import { projectPath } from '../extractors/util/project-root.js';
import { cliEnvironment, ntm, type CliResult } from './support/run-cli.js';
import { useTempFolder } from './support/temp-folder.js';

const newTempFolder = useTempFolder();
const seed = projectPath('fixtures', 'seeds', '002_208071814d246b50.txt');
const run = promisify(execFile);

const fileHash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A database holding one ingested seed, closed (WAL checkpointed into the file). */
async function ingestedDatabase(): Promise<string> {
  const db = join(newTempFolder(), 'ntm.sqlite');
  expect((await ntm(['ingest', seed, '--db', db])).code).toBe(0);
  return db;
}

/** Runs ntm as an unprivileged user when the tests run as root, so that file permissions apply. */
async function ntmAsUser(args: string[]): Promise<CliResult> {
  const asRoot = process.getuid?.() === 0;
  try {
    const { stdout, stderr } = await run(process.execPath, [projectPath('dist', 'src', 'cli.js'), ...args], {
      cwd: projectPath(),
      env: cliEnvironment(),
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe('opening the database file', () => {
  it('refuses a database written by a newer version (a migration this version does not know), changing nothing', async () => {
    const db = await ingestedDatabase();
    const client = new BetterSqlite3(db);
    client.prepare('insert into __drizzle_migrations (hash, created_at) values (?, ?)').run('f'.repeat(64), Date.UTC(2100, 0, 1));
    client.close();
    const before = fileHash(db);

    for (const args of [['ingest', projectPath('fixtures', 'seeds', '001_f3406501ba6aec7a.txt')], ['report'], ['export']]) {
      const result = await ntm([...args, '--db', db]);
      expect(result.code, args[0]).toBe(2);
      expect(result.stderr).toContain(`The database ${db} has 1 migration(s) newer than this version of ntm knows`);
      expect(result.stdout).toBe('');
    }
    expect(fileHash(db)).toBe(before);
  });

  it('reads a read-only database (report, export, status) without writing to it', async () => {
    const db = await ingestedDatabase();
    const folder = join(db, '..');
    chmodSync(db, 0o444);
    chmodSync(folder, 0o555); // no -wal or -shm can be created beside it either
    const before = fileHash(db);
    try {
      const report = await ntmAsUser(['report', '--db', db]);
      expect(report.stderr).toBe('');
      expect(report.code).toBe(0);
      expect(report.stdout).toContain('1 documents: 1 done');
      const exported = await ntmAsUser(['export', '--format', 'jsonl', '--db', db]);
      expect(exported.code).toBe(0);
      expect(exported.stdout.trim().split('\n')).toHaveLength(11);
      const status = await ntmAsUser(['status', '--commune', 'Minh Tiến', '--db', db]);
      expect(status.code).toBe(0);
      expect(status.stdout).toContain('13/19');
      // A writer is refused with a clear message naming the file.
      const ingest = await ntmAsUser(['ingest', projectPath('fixtures', 'seeds', '001_f3406501ba6aec7a.txt'), '--db', db]);
      expect(ingest.code).toBe(2);
      expect(ingest.stderr).toContain(db);
    } finally {
      chmodSync(folder, 0o755);
      chmodSync(db, 0o644);
    }
    expect(fileHash(db)).toBe(before);
  });

  it('refuses to write to a database that fails quick_check, and says so', async () => {
    const db = await ingestedDatabase();
    const client = new BetterSqlite3(db);
    const pageSize = client.pragma('page_size', { simple: true }) as number;
    // A leaf page in the middle of the gazetteer's largest table: opening never reads it, quick_check does.
    const page = client
      .prepare("select pageno from dbstat where name = 'admin_unit_versions' and pagetype = 'leaf' order by pageno limit 1 offset 20")
      .pluck()
      .get() as number;
    client.close();
    const handle = openSync(db, 'r+');
    writeSync(handle, Buffer.alloc(16, 0xff), 0, 16, (page - 1) * pageSize); // an invalid page type and cell count
    closeSync(handle);
    const before = fileHash(db);

    const result = await ntm(['ingest', projectPath('fixtures', 'seeds', '001_f3406501ba6aec7a.txt'), '--db', db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`The database ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged \\(quick_check: .+\\): not written to`));
    expect(fileHash(db)).toBe(before);
  });

  it('keeps corrections append-only against REPLACE, INSERT OR REPLACE, upserts, UPDATE and DELETE', () => {
    const db = openDatabase(join(newTempFolder(), 'ntm.sqlite'));
    try {
      const client = db.$client;
      client
        .prepare(
          "insert into corrections (document_sha256, statement_fingerprint, action, payload, reviewer) values ('abc', 'fp', 'replace', '{\"met\":14}', 'reviewer-1')",
        )
        .run();
      const rows = () => client.prepare('select id, document_sha256, action, payload, reviewer from corrections').all();
      const original = rows();
      const attempts = [
        "replace into corrections (id, document_sha256, action, reviewer) values (1, 'abc', 'reject', 'mallory')",
        "insert or replace into corrections (id, document_sha256, action, reviewer) values (1, 'abc', 'reject', 'mallory')",
        "insert into corrections (id, document_sha256, action, reviewer) values (1, 'abc', 'reject', 'mallory') on conflict(id) do update set reviewer = 'mallory'",
        "insert into corrections (id, document_sha256, action, reviewer) values (1, 'abc', 'reject', 'mallory') on conflict do nothing",
        "update corrections set reviewer = 'mallory'",
        'delete from corrections',
      ];
      for (const statement of attempts.slice(0, 3).concat(attempts.slice(4))) {
        expect(() => client.prepare(statement).run(), statement).toThrow(/append-only/);
      }
      // DO NOTHING on a taken id is refused too (the trigger runs before the conflict check).
      expect(() => client.prepare(attempts[3]!).run()).toThrow(/append-only/);
      client.pragma('recursive_triggers = ON');
      expect(() => client.prepare(attempts[0]!).run()).toThrow(/append-only/);
      expect(rows()).toEqual(original);
      // Appending still works, with or without an explicit new id.
      client.prepare("insert into corrections (document_sha256, action, reviewer) values ('abc', 'add', 'reviewer-2')").run();
      client.prepare("insert into corrections (id, document_sha256, action, reviewer) values (10, 'abc', 'add', 'reviewer-3')").run();
      expect(rows()).toHaveLength(3);
    } finally {
      closeDatabase(db);
    }
  });

  it('lets two first runs on a new database take turns: migrations once, each file once, both exit 0', async () => {
    const folder = newTempFolder();
    const inputs = join(folder, 'inputs');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(inputs);
    for (const name of ['001_f3406501ba6aec7a.txt', '002_208071814d246b50.txt', '003_208c7acc8bb6c444.txt']) {
      copyFileSync(projectPath('fixtures', 'seeds', name), join(inputs, name));
    }
    writeFileSync(join(inputs, 'note.txt'), 'Xã Hòa Bình đạt 12/19 tiêu chí.\n');
    for (const round of [1, 2]) {
      const db = join(folder, `race-${round}.sqlite`);
      const [first, second] = await Promise.all([ntm(['ingest', inputs, '--db', db]), ntm(['ingest', inputs, '--db', db])]);
      expect(first.stderr + second.stderr).toBe('');
      expect([first.code, second.code]).toEqual([0, 0]);
      const client = new BetterSqlite3(db, { readonly: true });
      try {
        const journal = JSON.parse(readFileSync(projectPath('db', 'migrations', 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
        expect(client.prepare('select count(*) from __drizzle_migrations').pluck().get()).toBe(journal.entries.length);
        expect(client.prepare("select count(*) from documents where status = 'done'").pluck().get()).toBe(4);
        expect(client.prepare('select count(*) from documents').pluck().get()).toBe(4);
        expect(client.pragma('quick_check', { simple: true })).toBe('ok');
      } finally {
        client.close();
      }
    }
  });
});
