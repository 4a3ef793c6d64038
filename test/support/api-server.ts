import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiTokenRepository, type TokenRole } from '../../db/api-token.repository.js';
import { closeDatabase, openDatabase, type Database } from '../../db/index.js';
import { loadConfig } from '../../src/config.js';
import { buildServer, type Server } from '../../src/server/build-server.js';

export interface RunningServer {
  server: Server;
  db: Database;
  databasePath: string;
  folder: string;
  base: string;
  tokens: Record<TokenRole, string>;
  stop(): Promise<void>;
}

/** A real server on 127.0.0.1 with an ephemeral port, over a fresh SQLite file, with one token per role. */
export async function startApiServer(environment: Record<string, string> = {}): Promise<RunningServer> {
  const folder = mkdtempSync(join(tmpdir(), 'ntm-server-'));
  const databasePath = join(folder, 'ntm.sqlite');
  const db = openDatabase(databasePath);
  const repository = new ApiTokenRepository(db);
  const tokens = {
    admin: repository.create('ana-admin', 'admin'),
    reviewer: repository.create('rita-reviewer', 'reviewer'),
    uploader: repository.create('ulla-uploader', 'uploader'),
    reader: repository.create('rob-reader', 'reader'),
  };
  const config = loadConfig({ NTM_DB: databasePath, ...environment });
  const server = await buildServer({ db, databasePath, config });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('the server has no TCP address');
  return {
    server,
    db,
    databasePath,
    folder,
    tokens,
    base: `http://127.0.0.1:${address.port}`,
    async stop() {
      await server.close();
      closeDatabase(db);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
