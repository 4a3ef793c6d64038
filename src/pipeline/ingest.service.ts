import type { DocumentRepository } from '../../db/index.js';
import { extractJob } from '../../queues/job-catalogue.js';
import type { JobQueue } from '../../queues/job-queue.js';
import { isInputReadError } from '../errors/input-read.error.js';
import type { BlobStore } from './blob-store.js';
import type { InputFile } from './list-input-files.js';
import type { PersistOrder } from './persist-order.js';
import { registerUpload, type Registration } from './register-upload.js';
import { rereadDocument } from './reread-document.js';

export type IngestStatus = 'new' | 'reprocessed' | 'unchanged' | 'queued' | 'failed' | 'skipped';

export interface IngestOutcome {
  path: string;
  status: IngestStatus;
  documentId: number | null;
  statements: number;
  flags: number;
  /** Why the file failed, naming the file and the problem. */
  error: string | null;
}

/**
 * Ingests one file at a time: registers it (hash, blob, `queued` row), then hands the extract
 * job to the queue. With the in-process queue the document is done (or failed) on return;
 * with BullMQ it is `queued` and workers take it from there.
 */
export class IngestService {
  private registering: Promise<void> = Promise.resolve();

  constructor(
    private readonly documents: DocumentRepository,
    private readonly blobs: BlobStore,
    private readonly queue: JobQueue,
    private readonly options: { maxFileBytes: number; persistOrder?: PersistOrder },
  ) {}

  /**
   * Throws only when storage fails (isStorageError: a full disk…), which the caller turns into
   * the end of the batch; a file that cannot be read is a failed outcome.
   */
  async ingestFile(input: string | InputFile): Promise<IngestOutcome> {
    const path = typeof input === 'string' ? input : input.path;
    let registration: Registration;
    try {
      // One registration at a time, in call order: files ingested concurrently keep the document
      // numbers a one-at-a-time run gives them (exports list documents by number).
      const registered = this.registering.then(() =>
        registerUpload(input, { documents: this.documents, blobs: this.blobs, maxFileBytes: this.options.maxFileBytes }),
      );
      this.registering = registered.then(
        () => undefined,
        () => undefined,
      );
      registration = await registered;
    } catch (error) {
      if (isInputReadError(error)) return { path, status: 'failed', documentId: null, statements: 0, flags: 0, error: error.message };
      throw error;
    }
    const { documentId } = registration;
    switch (registration.action) {
      case 'refused':
        return { path, status: 'failed', documentId, statements: 0, flags: 0, error: registration.error };
      case 'unchanged':
        // Registered by another process a moment ago: the same bytes, handled there.
        if (registration.concurrent) return { path, status: 'unchanged', documentId, statements: 0, flags: 0, error: null };
        return this.outcome(path, documentId, 'unchanged');
      case 'reread':
        rereadDocument(this.documents, documentId);
        return this.outcome(path, documentId, 'reprocessed');
      case 'extract':
        this.options.persistOrder?.expect(documentId);
        try {
          await this.queue.enqueue(extractJob({ documentId, sha256: registration.sha256, fileName: registration.fileName }));
        } finally {
          // Also when the job never reached its persist stage (a full disk): later documents must not wait for it.
          this.options.persistOrder?.release(documentId);
        }
        return this.outcome(path, documentId, 'new');
    }
  }

  /** The outcome as the database tells it now. */
  private outcome(path: string, documentId: number, whenDone: IngestStatus): IngestOutcome {
    const row = this.documents.findById(documentId);
    if (row?.status === 'failed') return { path, status: 'failed', documentId, statements: 0, flags: 0, error: row.error };
    if (row?.status !== 'done') return { path, status: 'queued', documentId, statements: 0, flags: 0, error: null };
    return { path, status: whenDone, documentId, ...this.documents.countStatements([documentId]), error: null };
  }
}
