import { setTimeout as sleep } from 'node:timers/promises';
import { isInvalidJobError } from './invalid-job.error.js';
import type { AnyJob, JobHandler, JobHandlers, JobName } from './job-catalogue.js';
import { parsePayload } from './job-catalogue.js';
import type { JobQueue, QueuePolicy } from './job-queue.js';

/**
 * The embedded queue: runs a job and every job it leads to, here and now, with the same
 * handlers, retries and failure rules as the BullMQ queue. `enqueue` returns when the last
 * stage is done.
 */
export class InProcessQueue implements JobQueue {
  constructor(
    private readonly handlers: JobHandlers,
    private readonly policy: QueuePolicy,
    /** Where a job's progress goes (stage, OCR page n of m); nowhere by default. */
    private readonly onProgress: (progress: Record<string, unknown>) => void = () => {},
  ) {}

  async enqueue(job: AnyJob): Promise<void> {
    let next: AnyJob | null = job;
    while (next) next = await this.runWithRetries(next);
  }

  async close(): Promise<void> {}

  private async runWithRetries(job: AnyJob): Promise<AnyJob | null> {
    const handler = this.handlers[job.name] as JobHandler<JobName>;
    const payload = parsePayload(job.name, job.payload);
    for (let attempt = 1; ; attempt += 1) {
      const finalAttempt = attempt >= this.policy.attempts;
      try {
        return await handler.run(payload, { reportProgress: async (progress) => this.onProgress(progress), finalAttempt });
      } catch (error) {
        // A full disk is nobody's file: not retried, not recorded against the document; the batch stops.
        if (this.policy.failures.stopsBatch(error)) throw error;
        if (isInvalidJobError(error)) throw error;
        if (this.policy.failures.isUnrecoverable(error) || finalAttempt) {
          if (handler.failed) return handler.failed(payload, error);
          throw error;
        }
        await sleep(this.policy.backoffMs * 2 ** (attempt - 1));
      }
    }
  }
}
