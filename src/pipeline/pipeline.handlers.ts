import type { DocumentRepository } from '../../db/index.js';
import { JobName, type AnyJob, type JobHandlers } from '../../queues/job-catalogue.js';
import { InvalidJobError } from '../../queues/invalid-job.error.js';
import { isUnsupportedInputError } from '../errors/unsupported-input.error.js';
import type { InputLimits } from '../text/input-limits.js';
import type { BlobStore } from './blob-store.js';
import { extractDocument, type ExtractionResult } from './extract-document.js';
import { checkExtractionResult, readExtractionResult } from './extraction-result.schema.js';
import { PersistBatcher } from './persist-batcher.js';

export interface PipelineDependencies {
  blobs: BlobStore;
  maxFileBytes: number;
  /** Inflated size, pixels and pages per document (defaults when absent). */
  limits?: InputLimits;
  /** Only the process on the database host has one; it alone runs the persist stage. */
  documents: DocumentRepository | null;
}

/**
 * Results whose page text is at most this many characters travel inside the persist job
 * (about 1.3 times that as JSON): a blob write and read saved per document. Longer ones (a
 * long scanned report) go through the blob store, so Redis holds no large values.
 */
export const INLINE_RESULT_MAX_CHARS = 256 * 1024;

/** The pipeline's handlers, and the persist stage's batcher (its figures are read by the benchmark). */
export type PipelineHandlers = JobHandlers & { persistBatcher: PersistBatcher | null };

/**
 * The pipeline, in order: (register, on the database host) → extract (any worker) → persist
 * (the single writer). Each handler names the job that comes next; the queue, in-process or
 * BullMQ, enqueues it. The same handlers run in both.
 */
export function createPipelineHandlers(dependencies: PipelineDependencies): PipelineHandlers {
  const { blobs, maxFileBytes, limits, documents } = dependencies;
  const persistBatcher = documents ? new PersistBatcher(documents) : null;
  return {
    persistBatcher,
    [JobName.ExtractDocument]: {
      async run(payload, context) {
        const result = await extractDocument(payload, {
          blobs,
          maxFileBytes,
          limits,
          onProgress: (progress) => context.reportProgress({ documentId: payload.documentId, ...progress }),
        });
        const { documentId, sha256 } = payload;
        if (pageCharacters(result) <= INLINE_RESULT_MAX_CHARS) {
          return { name: JobName.PersistDocument, payload: { outcome: 'extracted', documentId, sha256, result: result as unknown as Record<string, unknown> } };
        }
        const resultKey = `${sha256}.rules-${result.rulesVersion}`;
        await blobs.putResult(resultKey, result);
        return { name: JobName.PersistDocument, payload: { outcome: 'extracted', documentId, sha256, resultKey } };
      },
      failed(payload, error): AnyJob {
        const reason = isUnsupportedInputError(error) ? error.reason : 'internal';
        const message = isUnsupportedInputError(error)
          ? error.message
          : `Cannot process ${payload.fileName}: ${error instanceof Error ? error.message : String(error)}`;
        return { name: JobName.PersistDocument, payload: { outcome: 'failed', documentId: payload.documentId, sha256: payload.sha256, reason, message } };
      },
    },
    [JobName.PersistDocument]: {
      async run(payload) {
        if (!documents || !persistBatcher)
          throw new Error('This process has no database: run the persist stage where the SQLite file is (ntm ingest --queue, or ntm worker --persist)');
        // A message about a document this database does not hold (deleted, another deployment's, forged) writes nothing.
        const document = documents.findById(payload.documentId);
        if (!document || document.sha256 !== payload.sha256) {
          throw new InvalidJobError(`document ${payload.documentId} with SHA-256 ${payload.sha256} is not in this database: nothing persisted`);
        }
        const { fileName } = document;
        let result: ExtractionResult | undefined;
        if (payload.outcome === 'extracted' && payload.result) {
          result = checkExtractionResult(payload.result, `the result of ${fileName} in its persist job`);
        } else if (payload.outcome === 'extracted' && payload.resultKey) {
          if (!payload.resultKey.startsWith(`${payload.sha256}.`))
            throw new InvalidJobError(`result key ${payload.resultKey} is not document ${payload.documentId}'s`);
          result = await readExtractionResult(blobs, payload.resultKey, fileName);
        }
        const outcome = await persistBatcher.persist(
          payload.outcome === 'failed'
            ? { ...payload, fileName }
            : { outcome: 'extracted', documentId: payload.documentId, fileName, result: result as ExtractionResult },
        );
        // Already recorded as failed, with this reason; the queue only has to stop retrying.
        if (!outcome.stored) throw outcome.error;
        return null;
      },
      failed(payload, error): AnyJob | null {
        // A result that could not be stored after its attempts: the document is failed, not left queued for ever.
        if (payload.outcome !== 'extracted' || !documents) return null;
        const document = documents.findById(payload.documentId);
        if (!document || document.sha256 !== payload.sha256 || document.status === 'failed') return null;
        const message = `Cannot store ${document.fileName} in the database: ${error instanceof Error ? error.message : String(error)}`;
        return {
          name: JobName.PersistDocument,
          payload: { outcome: 'failed', documentId: payload.documentId, sha256: payload.sha256, reason: 'internal', message },
        };
      },
    },
  };
}

function pageCharacters(result: ExtractionResult): number {
  let characters = 0;
  for (const page of result.pages) characters += page.text.length;
  return characters;
}
