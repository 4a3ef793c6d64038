import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { assertRedisReachable } from '../../queues/redis-connection.js';

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

/**
 * Redis for the queue tests: REDIS_URL, else 127.0.0.1:6379, else a throwaway redis-server
 * started here on a free port. Without any of them the tests fail saying what to install.
 */
export async function startTestRedis(): Promise<TestRedis> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (await reachable(url)) return { url, stop: async () => {} };
  return startOwnRedis(`none answers at ${url}`);
}

/** A throwaway redis-server on a free port, for a test that stops it (Redis lost mid-run). */
export async function startOwnRedis(why = 'this test stops its own Redis'): Promise<TestRedis> {
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error(
      `The queue tests need Redis: ${why} and redis-server is not installed. Install it (Debian: apt-get install redis-server) or set REDIS_URL.`,
    );
  }
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const ownUrl = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (!(await reachable(ownUrl))) {
    if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: ownUrl,
    stop: async () => {
      if (server.exitCode !== null || server.signalCode !== null) return;
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    },
  };
}

async function reachable(url: string): Promise<boolean> {
  try {
    await assertRedisReachable(url);
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
