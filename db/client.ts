import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { projectPath } from '../extractors/util/project-root.js';
import { loadGazetteer, loadGazetteer2025 } from './gazetteer.loader.js';
import { DatabaseSchemaError, migrateSchema, schemaState } from './migrate-schema.js';
import * as schema from './schema.js';

export { DatabaseSchemaError } from './migrate-schema.js';

export type Database = BetterSQLite3Database<typeof schema> & { $client: BetterSqlite3.Database };

const MIGRATIONS = () => projectPath('db', 'migrations');
/** How long a writer waits for another process's write lock (a migration, a document's transaction). */
const BUSY_TIMEOUT_MS = 15_000;

export interface OpenOptions {
  /**
   * For commands that only read (report, export, status): opened read-only, so a database on
   * a read-only file or mount can be read, and nothing is written. Only if its schema is older
   * than this version is it opened for writing, once, to migrate it.
   */
  readonly?: boolean;
}

/**
 * Opens (creating if needed) the SQLite file, checks it (quick_check: a damaged file is
 * refused rather than written to), brings its schema up to date with the committed drizzle-kit
 * migrations (refusing a schema newer than this version) and its gazetteer up to date with
 * db/reference/ (a no-op unless that file changed). WAL lets readers work while the single
 * writer writes.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Database {
  if (options.readonly && path !== ':memory:') {
    const reader = openReadOnly(path);
    if (reader) return reader;
  }
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const client = new BetterSqlite3(path);
  try {
    // Before anything that writes: switching a new file to WAL needs the lock too.
    client.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    client.pragma('journal_mode = WAL');
    client.pragma('synchronous = NORMAL'); // better-sqlite3 keeps FULL unless told; NORMAL is safe with WAL
    client.pragma('foreign_keys = ON');
    assertIntact(client, path);
    migrateSchema(client, MIGRATIONS(), path);
    const db = drizzle({ client, schema });
    loadGazetteer(db);
    loadGazetteer2025(db);
    return db;
  } catch (error) {
    client.close();
    throw explainOpenError(error, path);
  }
}

/** A read-only handle, or undefined when the schema needs migrating first (done by a writer). */
function openReadOnly(path: string): Database | undefined {
  if (!existsSync(path)) throw new DatabaseSchemaError(`There is no database at ${path}: run ntm ingest first`);
  let client: BetterSqlite3.Database;
  try {
    client = openReadOnlyClient(path);
  } catch (error) {
    throw explainOpenError(error, path);
  }
  try {
    client.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (schemaState(client, MIGRATIONS(), path).pending.length > 0) {
      client.close();
      return undefined;
    }
    return drizzle({ client, schema });
  } catch (error) {
    client.close();
    throw explainOpenError(error, path);
  }
}

/**
 * A WAL database is read through its -shm index, which SQLite creates beside the file; in a
 * read-only folder (a read-only mount, an archive) it cannot, and better-sqlite3 does not take
 * the `immutable` URI. No writer can be at work there (it would need the -wal), so the file
 * and any -wal left over are copied to a private temporary folder and read from there.
 */
function openReadOnlyClient(path: string): BetterSqlite3.Database {
  try {
    const client = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    try {
      client.prepare('select count(*) from sqlite_master').get(); // SQLite opens the -shm on the first read
      return client;
    } catch (error) {
      client.close();
      throw error;
    }
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_READONLY_DIRECTORY') throw error;
  }
  const folder = mkdtempSync(join(tmpdir(), 'ntm-readonly-'));
  process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
  const copy = join(folder, basename(path));
  copyFileSync(path, copy);
  if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
  return new BetterSqlite3(copy, { readonly: true, fileMustExist: true });
}

/** quick_check: the b-tree structure of every table and index (not index contents), in one pass. */
function assertIntact(client: BetterSqlite3.Database, path: string): void {
  let messages: string[];
  try {
    const problems = client.pragma('quick_check(5)', { simple: false }) as { quick_check: string }[];
    messages = problems.map((row) => row.quick_check).filter((message) => message !== 'ok');
  } catch (error) {
    // Damage bad enough stops the check itself ("database disk image is malformed").
    if ((error as { code?: string }).code !== 'SQLITE_CORRUPT') throw error;
    messages = [(error as Error).message];
  }
  if (messages.length > 0) {
    throw new DatabaseSchemaError(
      `The database ${path} is damaged (quick_check: ${messages.join('; ')}): not written to; restore a backup, or ingest into a new database`,
    );
  }
}

function explainOpenError(error: unknown, path: string): Error {
  if (error instanceof DatabaseSchemaError) return error;
  const code = (error as { code?: string }).code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB')
    return new DatabaseSchemaError(`The database ${path} is damaged or not a SQLite file (${message})`, { cause: error });
  if (code.startsWith('SQLITE_')) return new DatabaseSchemaError(`Cannot open the database ${path}: ${message}`, { cause: error });
  return error instanceof Error ? error : new Error(message);
}

export function closeDatabase(db: Database): void {
  db.$client.close();
}
