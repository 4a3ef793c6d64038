import type { AnyJob } from '../../queues/job-catalogue.js';
import type { JobQueue } from '../../queues/job-queue.js';

/**
 * Runs the pipeline's jobs one after another in the background, so an upload is answered as
 * soon as its files are registered (`queued`) rather than when they are read. Failures are
 * recorded on the document by the handlers; nothing is thrown back to the request.
 */
export class BackgroundQueue implements JobQueue {
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(
    private readonly inner: JobQueue,
    private readonly onError: (error: unknown) => void,
  ) {}

  async enqueue(job: AnyJob): Promise<void> {
    this.pending += 1;
    this.chain = this.chain
      .then(() => this.inner.enqueue(job))
      .catch(this.onError)
      .finally(() => {
        this.pending -= 1;
      });
  }

  get busy(): boolean {
    return this.pending > 0;
  }

  /** Resolves when every job enqueued so far is done. */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.chain;
  }

  async close(): Promise<void> {
    await this.idle();
    await this.inner.close();
  }
}
