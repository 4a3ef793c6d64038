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

/**
 * How a queue reads the pipeline's errors. The queues know no error type but their own
 * (InvalidJobError); the pipeline hands its taxonomy in, so queues/ never imports src/.
 */
export interface FailureRules {
  /** Retrying cannot help (unusable input): the job fails at once and its handler's `failed` records it. */
  isUnrecoverable(error: unknown): boolean;
  /** Nobody's file (a full disk): the in-process queue stops the batch instead of recording the document. */
  stopsBatch(error: unknown): boolean;
}

/** Policy shared by both queues: how often to retry, and which errors are final. */
export interface QueuePolicy extends RetryPolicy {
  failures: FailureRules;
}
