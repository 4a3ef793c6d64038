/**
 * An extract job hands its persist job on only while it holds its lock. A job that just started
 * holds it for certain, so no round trip is spent asking; one whose worker held its event loop
 * past the lock asks Redis, and on a lapsed lock drops its result: the run that took the job over
 * enqueues the persist job, so the document is persisted once.
 */
import { describe, expect, it } from 'vitest';
import { BullmqPipeline, surelyLocked } from '../queues/bullmq.queue.js';
import { JobName, type JobHandlers } from '../queues/job-catalogue.js';
import { pipelineFailureRules } from '../src/pipeline/failure-rules.js';
import { useQueueDeployment } from './support/queue-deployment.js';
import { waitFor } from './support/run-cli.js';

const deployment = useQueueDeployment();
const sha256 = 'a'.repeat(64);

/** Holds this thread, as a long synchronous extraction would: no timer runs, so BullMQ cannot renew the lock. */
function holdEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy on purpose
  }
}

describe('the lock check before the next stage', () => {
  it('trusts a lock taken less than half a lock duration ago, and asks Redis after that', () => {
    expect(surelyLocked({ processedOn: 10_000 }, 2000, 10_999)).toBe(true);
    expect(surelyLocked({ processedOn: 10_000 }, 2000, 11_000)).toBe(false);
    expect(surelyLocked({}, 2000, 10_000)).toBe(false);
  });

  it('drops the result of a run whose lock lapsed; the run that took the job over persists it, once', async () => {
    const pipeline = new BullmqPipeline({
      url: deployment.redisUrl,
      prefix: deployment.prefix,
      attempts: 3,
      backoffMs: 100,
      lockMs: 1000,
      failures: pipelineFailureRules,
      onWorkerError: () => () => {},
    });
    let extractRuns = 0;
    const persisted: number[] = [];
    const handlers: JobHandlers = {
      [JobName.ExtractDocument]: {
        async run(payload) {
          extractRuns += 1;
          if (extractRuns === 1) holdEventLoop(2500);
          return { name: JobName.PersistDocument, payload: { outcome: 'failed', documentId: payload.documentId, sha256, reason: 'internal', message: 'x' } };
        },
      },
      [JobName.PersistDocument]: {
        async run(payload) {
          persisted.push(payload.documentId);
          return null;
        },
      },
    };
    try {
      pipeline.startWorkers(handlers, ['extract', 'persist'], 1);
      await pipeline.enqueue({ name: JobName.ExtractDocument, payload: { documentId: 7, sha256, fileName: 'x.txt' } });
      await waitFor('the document to be persisted', async () => persisted.length > 0);
      // Time for a second persist job, had the lapsed run enqueued one too.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(extractRuns).toBe(2);
      expect(persisted).toEqual([7]);
    } finally {
      await pipeline.obliterate();
      await pipeline.close();
    }
  }, 60_000);
});
