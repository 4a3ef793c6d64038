import type { DocumentRepository } from '../../db/index.js';
import { JobName, type AnyJob, type JobHandlers } from '../../queues/job-catalogue.js';
import { InvalidJobError } from '../../queues/invalid-job.error.js';
import { isUnsupportedInputError } from '../errors/unsupported-input.error.js';
import type { InputLimits } from '../text/input-limits.js';
import type { BlobStore } from './blob-store.js';
import { extractDocument } from './extract-document.js';
import { readExtractionResult } from './extraction-result.schema.js';
import { persistDocument } from './persist-document.js';

export interface PipelineDependencies {
  blobs: BlobStore;
  maxFileBytes: number;
  /** Inflated size, pixels and pages per document (defaults when absent). */
  limits?: InputLimits;
  /** Only the process on the database host has one; it alone runs the persist stage. */
  documents: DocumentRepository | null;
}

/**
 * The pipeline, in order: (register, on the database host) → extract (any worker) → persist
 * (the single writer). Each handler names the job that comes next; the queue, in-process or
 * BullMQ, enqueues it. The same handlers run in both.
 */
export function createPipelineHandlers(dependencies: PipelineDependencies): JobHandlers {
  const { blobs, maxFileBytes, limits } = dependencies;
  return {
    [JobName.ExtractDocument]: {
      async run(payload, context) {
        const result = await extractDocument(payload, {
          blobs,
          maxFileBytes,
          limits,
          onProgress: (progress) => context.reportProgress({ documentId: payload.documentId, ...progress }),
        });
        const resultKey = `${payload.sha256}.rules-${result.rulesVersion}`;
        await blobs.putResult(resultKey, result);
        return { name: JobName.PersistDocument, payload: { outcome: 'extracted', documentId: payload.documentId, sha256: payload.sha256, resultKey } };
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
        const { documents } = dependencies;
        if (!documents)
          throw new Error('This process has no database: run the persist stage where the SQLite file is (ntm ingest --queue, or ntm worker --persist)');
        // A message about a document this database does not hold (deleted, another deployment's, forged) writes nothing.
        const document = documents.findById(payload.documentId);
        if (!document || document.sha256 !== payload.sha256) {
          throw new InvalidJobError(`document ${payload.documentId} with SHA-256 ${payload.sha256} is not in this database: nothing persisted`);
        }
        if (payload.outcome === 'failed') {
          persistDocument(documents, payload);
        } else {
          if (!payload.resultKey.startsWith(`${payload.sha256}.`))
            throw new InvalidJobError(`result key ${payload.resultKey} is not document ${payload.documentId}'s`);
          const result = await readExtractionResult(blobs, payload.resultKey, document.fileName);
          persistDocument(documents, { outcome: 'extracted', documentId: payload.documentId, result });
        }
        return null;
      },
    },
  };
}
