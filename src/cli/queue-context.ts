import { BullmqPipeline } from '../../queues/bullmq.queue.js';
import type { Config } from '../config.js';

/** The BullMQ pipeline of this deployment; refuses to start without REDIS_URL. */
export function bullmqPipeline(config: Config): BullmqPipeline {
  if (!config.redisUrl) throw new Error('REDIS_URL is not set: queue commands need Redis (e.g. REDIS_URL=redis://127.0.0.1:6379)');
  return new BullmqPipeline({
    url: config.redisUrl,
    prefix: config.queuePrefix,
    attempts: config.jobAttempts,
    backoffMs: config.jobBackoffMs,
    lockMs: config.workerLockMs,
  });
}

/** Closes on SIGTERM or SIGINT: active jobs finish (or go back to the queue) before the process exits. */
export function closeOnSignals(close: () => Promise<void>): void {
  let closing = false;
  const stop = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    process.stderr.write(`${signal}: finishing active jobs, then exiting\n`);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`error while closing: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
