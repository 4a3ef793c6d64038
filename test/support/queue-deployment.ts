import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { BullmqPipeline } from '../../queues/bullmq.queue.js';
import { pipelineFailureRules } from '../../src/pipeline/failure-rules.js';
import { startTestRedis, type TestRedis } from './redis-server.js';
import { startNtm, type RunningCli } from './run-cli.js';

/** Something a test opened against Redis that must be closed after it (a raw BullMQ queue). */
interface Closable {
  close(): Promise<void>;
}

export interface QueueDeployment {
  readonly redisUrl: string;
  readonly prefix: string;
  /** The test's pipeline (on another Redis with `url`). */
  pipeline(url?: string): BullmqPipeline;
  /** What every process of one test deployment shares: Redis, a queue prefix, a blob store. */
  environment(folder: string, extra?: Record<string, string>): Record<string, string>;
  /** Starts `ntm` and kills it after the test if it is still running. */
  start(args: string[], env: Record<string, string>): RunningCli;
  track(process: RunningCli): RunningCli;
  closeAfter<T extends Closable>(queue: T): T;
}

/**
 * One test deployment on a real Redis, as the queue test files share it: a fresh queue prefix
 * per test, every `ntm` process it started killed and every queue it opened closed afterwards,
 * and the prefix's jobs obliterated.
 */
export function useQueueDeployment(): QueueDeployment {
  let redis: TestRedis | undefined;
  let prefix = '';
  const running: RunningCli[] = [];
  const opened: Closable[] = [];

  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  beforeEach(() => {
    prefix = `ntm-test-${randomUUID()}`;
  });
  afterEach(async () => {
    for (const process of running.splice(0)) {
      process.child.kill('SIGKILL');
      await process.exited;
    }
    for (const queue of opened.splice(0)) await queue.close();
    const pipeline = deployment.pipeline();
    await pipeline.obliterate();
    await pipeline.close();
  });

  const deployment: QueueDeployment = {
    get redisUrl(): string {
      if (!redis) throw new Error('Redis is started before the first test');
      return redis.url;
    },
    get prefix(): string {
      return prefix;
    },
    pipeline(url = deployment.redisUrl): BullmqPipeline {
      return new BullmqPipeline({ url, prefix, attempts: 3, backoffMs: 100, lockMs: 2000, failures: pipelineFailureRules });
    },
    environment(folder, extra = {}): Record<string, string> {
      return {
        REDIS_URL: deployment.redisUrl,
        NTM_QUEUE_PREFIX: prefix,
        NTM_BLOB_DIR: join(folder, 'blobs'),
        NTM_WORKER_LOCK_MS: '2000',
        NTM_JOB_BACKOFF_MS: '100',
        ...extra,
      };
    },
    start(args, env) {
      return deployment.track(startNtm(args, env));
    },
    track(process) {
      running.push(process);
      return process;
    },
    closeAfter(queue) {
      opened.push(queue);
      return queue;
    },
  };
  return deployment;
}
