import type { ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';

/** ioredis options from a redis:// or rediss:// URL. */
export function redisOptionsFromUrl(url: string): RedisOptions {
  const parsed = new URL(url);
  const database = parsed.pathname.replace('/', '');
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(database ? { db: Number(database) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** Workers wait out Redis restarts: every command retries until the server is back. */
export function workerConnection(url: string): ConnectionOptions {
  return { ...redisOptionsFromUrl(url), maxRetriesPerRequest: null } as ConnectionOptions;
}

/** Producers fail fast, so an upload reports an outage instead of hanging. */
export function producerConnection(url: string): ConnectionOptions {
  return { ...redisOptionsFromUrl(url), maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 3000 } as ConnectionOptions;
}

export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';

  constructor(url: string, options?: { cause?: unknown }) {
    const detail = options?.cause instanceof Error ? options.cause.message : String(options?.cause ?? 'no answer');
    super(`Cannot reach Redis at ${redactPassword(url)}: ${detail}`, options);
  }
}

/** Checks that Redis answers, once, quickly; throws RedisUnavailableError otherwise. */
export async function assertRedisReachable(url: string): Promise<void> {
  const client = new Redis({ ...redisOptionsFromUrl(url), lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {}); // reported through the rejected promise below
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new RedisUnavailableError(url, { cause: error });
  } finally {
    client.disconnect();
  }
}

function redactPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
