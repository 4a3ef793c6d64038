import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { projectPath } from '../src/util/project-root.js';
import { loadGazetteer, loadGazetteer2025 } from './gazetteer.loader.js';
import * as schema from './schema.js';

export type Database = BetterSQLite3Database<typeof schema> & { $client: BetterSqlite3.Database };

/**
 * Opens (creating if needed) the SQLite file, brings its schema up to date with the committed
 * drizzle-kit migrations and its gazetteer up to date with db/reference/ (a no-op unless that
 * file changed). WAL lets readers work while the single writer writes.
 */
export function openDatabase(path: string): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const client = new BetterSqlite3(path);
  client.pragma('journal_mode = WAL');
  client.pragma('synchronous = NORMAL'); // better-sqlite3 keeps FULL unless told; NORMAL is safe with WAL
  client.pragma('foreign_keys = ON');
  client.pragma('busy_timeout = 5000');
  const db = drizzle({ client, schema });
  migrate(db, { migrationsFolder: projectPath('db', 'migrations') });
  loadGazetteer(db);
  loadGazetteer2025(db);
  return db;
}

export function closeDatabase(db: Database): void {
  db.$client.close();
}
