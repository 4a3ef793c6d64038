import { BullmqPipeline } from '../../queues/bullmq.queue.js';
import type { Config } from '../config.js';
import { pipelineFailureRules } from '../pipeline/failure-rules.js';

/** The BullMQ pipeline of this deployment; refuses to start without REDIS_URL. */
export function bullmqPipeline(config: Config): BullmqPipeline {
  if (!config.redisUrl) throw new Error('REDIS_URL is not set: queue commands need Redis (e.g. REDIS_URL=redis://127.0.0.1:6379)');
  return new BullmqPipeline({
    url: config.redisUrl,
    prefix: config.queuePrefix,
    attempts: config.jobAttempts,
    backoffMs: config.jobBackoffMs,
    lockMs: config.workerLockMs,
    failures: pipelineFailureRules,
    onWorkerError: (stage) => throttledErrorLog(`worker ${stage}`),
  });
}

export interface CloseOptions {
  /** Jobs running in this process now. */
  activeJobs?: () => number;
  /** How long active jobs get to finish after the signal before the process exits anyway. */
  graceMs?: number;
}

/** How long closing may take with no job running: a close that waits on an unreachable Redis never ends. */
const IDLE_CLOSE_MS = 2000;

/**
 * Closes on SIGTERM or SIGINT: active jobs finish before the process exits, within a grace
 * period; with none, it exits at once. Closing talks to Redis, and when Redis is gone it
 * would wait for ever: the deadline ends the process regardless. A job cut off by the
 * deadline is picked up again by another worker (stalled-job recovery). A second signal exits
 * at once.
 */
export function closeOnSignals(close: () => Promise<void>, options: CloseOptions = {}): void {
  let closing = false;
  const stop = (signal: NodeJS.Signals) => {
    if (closing) {
      process.stderr.write(`${signal} again: exiting now\n`);
      process.exit(1);
    }
    closing = true;
    const active = options.activeJobs?.() ?? 0;
    const deadlineMs = active > 0 ? (options.graceMs ?? 30_000) : IDLE_CLOSE_MS;
    process.stderr.write(
      active > 0
        ? `${signal}: finishing ${active} active job(s) for up to ${Math.round(deadlineMs / 1000)} s, then exiting\n`
        : `${signal}: no active job, exiting\n`,
    );
    const deadline = setTimeout(() => {
      const left = options.activeJobs?.() ?? 0;
      process.stderr.write(
        left > 0
          ? `${signal}: grace period over with ${left} job(s) unfinished; another worker will take them up\n`
          : `${signal}: could not close the connection to Redis in time; exiting\n`,
      );
      process.exit(left > 0 ? 1 : 0);
    }, deadlineMs);
    close().then(
      () => {
        clearTimeout(deadline);
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`error while closing: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/**
 * Logs a worker's connection errors without flooding: the first of a kind at once, the same
 * again at most once a minute (an unreachable Redis otherwise prints ECONNREFUSED many times a second).
 */
export function throttledErrorLog(prefix: string, write: (line: string) => void = (line) => process.stderr.write(line)): (error: Error) => void {
  let last = '';
  let lastAt = 0;
  let repeated = 0;
  return (error) => {
    const now = Date.now();
    if (error.message === last && now - lastAt < 60_000) {
      repeated += 1;
      return;
    }
    write(`${prefix}: ${error.message}${repeated > 0 ? ` (${repeated} more like it)` : ''}\n`);
    last = error.message;
    lastAt = now;
    repeated = 0;
  };
}
