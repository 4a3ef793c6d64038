import { z } from 'zod';
import { InvalidJobError } from './invalid-job.error.js';

/** Every job the pipeline runs, in stage order. Payloads carry ids and hashes, never document bytes. */
export const JobName = {
  /** Upload bytes → pages → statements; CPU work for stateless workers anywhere. */
  ExtractDocument: 'extract-document',
  /** Results → SQLite; the single writer, on the database host. */
  PersistDocument: 'persist-document',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a hex SHA-256');
/** `<sha256>.rules-<version>`: a file name in the blob store's results, never a path. */
export const RESULT_KEY = /^[0-9a-f]{64}\.rules-[0-9A-Za-z][0-9A-Za-z._-]{0,31}$/;
const resultKey = z.string().regex(RESULT_KEY, 'a result key "<sha256>.rules-<version>"');

export const extractDocumentPayload = z.object({
  documentId: z.number().int().positive(),
  sha256,
  fileName: z.string().min(1),
});

/**
 * An extracted document's result travels in the persist job itself when it is small (most
 * documents: tens of kilobytes), which saves a blob write and read per document; a large one
 * (long scanned reports) goes through the blob store and the job names its key. Exactly one of
 * the two; the pipeline checks the result's content either way.
 */
export const persistDocumentPayload = z.discriminatedUnion('outcome', [
  z
    .object({
      outcome: z.literal('extracted'),
      documentId: z.number().int().positive(),
      sha256,
      resultKey: resultKey.optional(),
      result: z.record(z.string(), z.unknown()).optional(),
    })
    .refine((payload) => (payload.resultKey === undefined) !== (payload.result === undefined), {
      message: 'either a resultKey or an inline result, not both',
      path: ['resultKey'],
    }),
  z.object({ outcome: z.literal('failed'), documentId: z.number().int().positive(), sha256, reason: z.string(), message: z.string() }),
]);

export const jobPayloadSchemas = {
  [JobName.ExtractDocument]: extractDocumentPayload,
  [JobName.PersistDocument]: persistDocumentPayload,
} as const;

export type JobPayload<N extends JobName> = z.infer<(typeof jobPayloadSchemas)[N]>;
export type AnyJob = { [N in JobName]: { name: N; payload: JobPayload<N> } }[JobName];

/** The queue each stage runs on: extraction scales out, persistence stays with the database. */
export const QueueOfJob: Record<JobName, 'extract' | 'persist'> = {
  [JobName.ExtractDocument]: 'extract',
  [JobName.PersistDocument]: 'persist',
};

/** The one way a document's extraction is asked for: by ingest (embedded or queued) and by requeue alike. */
export function extractJob(document: { documentId: number; sha256: string; fileName: string }): AnyJob {
  return { name: JobName.ExtractDocument, payload: { documentId: document.documentId, sha256: document.sha256, fileName: document.fileName } };
}

/** Deterministic ids (BullMQ ids may not contain ':'): enqueueing the same stage twice is a no-op. */
export function jobIdFor(job: AnyJob): string {
  return `${job.payload.sha256}-${job.name}`;
}

export function isJobName(name: unknown): name is JobName {
  return typeof name === 'string' && Object.hasOwn(jobPayloadSchemas, name);
}

/** The payload checked against its job's schema; InvalidJobError (one line) for an unknown name or a payload it refuses. */
export function parsePayload<N extends JobName>(name: N, payload: unknown): JobPayload<N> {
  if (!isJobName(name)) throw new InvalidJobError(`unknown job name ${JSON.stringify(String(name)).slice(0, 80)}`);
  const parsed = jobPayloadSchemas[name].safeParse(payload);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || 'payload'}: ${issue.message}`)
      .join('; ');
    throw new InvalidJobError(`invalid ${name} payload (${problems})`);
  }
  return parsed.data as JobPayload<N>;
}

/** What a handler may tell the queue: progress so far, and whether a retry remains. */
export interface JobContext {
  reportProgress(progress: Record<string, unknown>): Promise<void>;
  /** True when this attempt is the last one the job gets. */
  finalAttempt: boolean;
}

/**
 * A stage's logic. It returns the next job (the queue enqueues it: the order of stages reads in
 * the handlers, one place). On a failure it gets a chance to name the job that records it.
 */
export interface JobHandler<N extends JobName> {
  run(payload: JobPayload<N>, context: JobContext): Promise<AnyJob | null>;
  /** Called when the job failed for good (unrecoverable, or out of attempts). */
  failed?(payload: JobPayload<N>, error: unknown): AnyJob | null;
}

export type JobHandlers = { [N in JobName]: JobHandler<N> };
