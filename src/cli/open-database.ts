import { openDatabase, type Database } from '../../db/index.js';
import { loadConfig, type Config } from '../config.js';

/** The database the command works on: --db, else NTM_DB, else ./data/ntm.sqlite. */
export function openCommandDatabase(options: { db?: string }): { db: Database; config: Config; databasePath: string } {
  const config = loadConfig();
  const databasePath = options.db ?? config.databasePath;
  return { db: openDatabase(databasePath), config, databasePath };
}
