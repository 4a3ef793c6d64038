import type { AnyJob } from './job-catalogue.js';

/** Where jobs go: run at once in this process, or onto Redis for workers anywhere. */
export interface JobQueue {
  enqueue(job: AnyJob): Promise<void>;
  close(): Promise<void>;
}

/** Retry policy shared by both queues. */
export interface RetryPolicy {
  /** Attempts per job, the first included. */
  attempts: number;
  /** First backoff; doubled after each failed attempt. */
  backoffMs: number;
}
