import { openDatabase, type Database } from '../../db/index.js';
import { loadConfig, type Config } from '../config.js';

/** The database the command works on: --db, else NTM_DB, else ./data/ntm.sqlite. */
export function openCommandDatabase(options: { db?: string }): { db: Database; config: Config } {
  const config = loadConfig();
  return { db: openDatabase(options.db ?? config.databasePath), config };
}
