import { openDatabase, type Database } from '../../db/index.js';
import { loadConfig, type Config } from '../config.js';

/**
 * The database the command works on: --db, else NTM_DB, else ./data/ntm.sqlite. Commands that
 * only read (report, export, status) pass `readonly`, so that they work on a read-only file.
 */
export function openCommandDatabase(options: { db?: string }, mode: { readonly?: boolean } = {}): { db: Database; config: Config; databasePath: string } {
  const config = loadConfig();
  const databasePath = options.db ?? config.databasePath;
  return { db: openDatabase(databasePath, { readonly: mode.readonly ?? false }), config, databasePath };
}
