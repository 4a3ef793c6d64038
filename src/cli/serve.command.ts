import { closeDatabase } from '../../db/index.js';
import { buildServer } from '../server/build-server.js';
import { openCommandDatabase } from './open-database.js';

/** `ntm serve`: the API and the review page until SIGINT/SIGTERM; then waits for uploads in progress. */
export async function runServe(options: { db?: string; port: number; host: string }): Promise<void> {
  const { db, config, databasePath } = openCommandDatabase(options);
  const server = await buildServer({ db, databasePath, config, logger: true });
  const stop = async () => {
    await server.close();
    closeDatabase(db);
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await server.listen({ port: options.port, host: options.host });
}
