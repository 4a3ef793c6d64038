import type BetterSqlite3 from 'better-sqlite3';
import { readMigrationFiles, type MigrationMeta } from 'drizzle-orm/migrator';

/** drizzle's own bookkeeping table: the same name and columns, so drizzle-kit tooling still reads it. */
const TABLE = '__drizzle_migrations';

/** The database's schema cannot be used by this version (newer, or damaged). */
export class DatabaseSchemaError extends Error {
  override readonly name = 'DatabaseSchemaError';
}

export type SchemaState = { pending: MigrationMeta[] };

/**
 * What the database holds against the committed migrations. A migration recorded in the
 * database that is newer than every migration this version knows means a newer version wrote
 * it: refused, since this version would misread (or, writing, damage) tables it does not know.
 */
export function schemaState(client: BetterSqlite3.Database, migrationsFolder: string, path: string): SchemaState {
  const migrations = readMigrationFiles({ migrationsFolder });
  const hasTable = client.prepare("select 1 from sqlite_master where type = 'table' and name = ?").pluck().get(TABLE) !== undefined;
  const applied = hasTable
    ? (client.prepare(`select hash, created_at as createdAt from "${TABLE}" order by created_at`).all() as { hash: string; createdAt: number | string }[])
    : [];
  const lastKnown = Math.max(...migrations.map((migration) => migration.folderMillis));
  const unknown = applied.filter((row) => Number(row.createdAt) > lastKnown);
  if (unknown.length > 0) {
    throw new DatabaseSchemaError(
      `The database ${path} has ${unknown.length} migration(s) newer than this version of ntm knows (its last is from ${new Date(lastKnown).toISOString()}): it was written by a newer ntm; use that version or a copy of the database`,
    );
  }
  const last = applied.length > 0 ? Math.max(...applied.map((row) => Number(row.createdAt))) : undefined;
  return { pending: migrations.filter((migration) => last === undefined || migration.folderMillis > last) };
}

/**
 * Brings the schema up to date, as drizzle's migrator does, but inside one IMMEDIATE
 * transaction that also re-reads what is applied: two processes opening a new database
 * take turns (SQLite's write lock, waited for through busy_timeout) and the second finds
 * nothing left to do, where drizzle's migrator read outside its transaction and ran them twice.
 */
export function migrateSchema(client: BetterSqlite3.Database, migrationsFolder: string, path: string): void {
  if (schemaState(client, migrationsFolder, path).pending.length === 0) return;
  const apply = client.transaction(() => {
    client.exec(`create table if not exists "${TABLE}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`);
    const record = client.prepare(`insert into "${TABLE}" ("hash", "created_at") values (?, ?)`);
    for (const migration of schemaState(client, migrationsFolder, path).pending) {
      for (const statement of migration.sql) if (statement.trim()) client.exec(statement);
      record.run(migration.hash, migration.folderMillis);
    }
  });
  apply.immediate();
}
