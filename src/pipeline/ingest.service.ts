import type { DocumentRepository } from '../../db/index.js';
import { JobName } from '../../queues/job-catalogue.js';
import type { JobQueue } from '../../queues/job-queue.js';
import type { BlobStore } from './blob-store.js';
import { registerUpload } from './register-upload.js';

export type IngestStatus = 'new' | 'reprocessed' | 'unchanged' | 'queued' | 'failed';

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
  constructor(
    private readonly documents: DocumentRepository,
    private readonly blobs: BlobStore,
    private readonly queue: JobQueue,
    private readonly options: { maxFileBytes: number },
  ) {}

  async ingestFile(path: string): Promise<IngestOutcome> {
    const registration = await registerUpload(path, { documents: this.documents, blobs: this.blobs, maxFileBytes: this.options.maxFileBytes });
    const { documentId } = registration;
    switch (registration.action) {
      case 'refused':
        return { path, status: 'failed', documentId, statements: 0, flags: 0, error: registration.error };
      case 'unchanged':
      case 're-extracted':
        return this.outcome(path, documentId, registration.action === 'unchanged' ? 'unchanged' : 'reprocessed');
      case 'extract':
        await this.queue.enqueue({ name: JobName.ExtractDocument, payload: { documentId, sha256: registration.sha256, fileName: registration.fileName } });
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
