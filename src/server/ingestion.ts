import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentRepository, type Database } from '../../db/index.js';
import { extractStatements, RULES_VERSION } from '../../extractors/extract-statements.js';
import { InProcessQueue } from '../../queues/in-process.queue.js';
import type { Config } from '../config.js';
import { blobStoreFor } from '../pipeline/embedded-ingestion.js';
import { IngestService, type IngestOutcome } from '../pipeline/ingest.service.js';
import { createPipelineHandlers } from '../pipeline/pipeline.handlers.js';
import { BackgroundQueue } from './upload-queue.js';

/**
 * The server's way into the pipeline: the same stages as `ntm ingest` (register, extract,
 * persist), run in the background in this process so an upload is answered at once.
 */
export class ServerIngestion {
  readonly queue: BackgroundQueue;
  private readonly service: IngestService;
  private readonly documents: DocumentRepository;

  constructor(db: Database, databasePath: string, config: Config, log: (error: unknown) => void) {
    this.documents = new DocumentRepository(db);
    const blobs = blobStoreFor(config, databasePath);
    const handlers = createPipelineHandlers({ blobs, maxFileBytes: config.maxFileBytes, limits: config.limits, documents: this.documents });
    this.queue = new BackgroundQueue(new InProcessQueue(handlers, { attempts: config.jobAttempts, backoffMs: config.jobBackoffMs }), log);
    this.service = new IngestService(this.documents, blobs, this.queue, { maxFileBytes: config.maxFileBytes });
  }

  /**
   * Registers an uploaded file. The client's name is kept as the document's name only: the
   * bytes go to a temporary file of our own naming, then to the content-addressed blob store.
   */
  async upload(clientName: string, bytes: Buffer): Promise<IngestOutcome> {
    const folder = await mkdtemp(join(tmpdir(), 'ntm-upload-'));
    try {
      const fsPath = join(folder, 'upload');
      await writeFile(fsPath, bytes);
      return await this.service.ingestFile({ path: clientName, fsPath });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }

  /**
   * Reads a stored document's pages again with the current rules (what a new rules version
   * does on re-upload): statements get new row ids, reviewers' actions follow their fingerprints.
   */
  reprocess(documentId: number): boolean {
    const row = this.documents.findById(documentId);
    if (!row || row.status !== 'done') return false;
    const pages = this.documents.loadPages(documentId);
    this.documents.saveExtraction(documentId, { fileKind: row.fileKind ?? 'txt', mime: row.mime ?? '', extraction: extractStatements(pages), rulesVersion: RULES_VERSION });
    return true;
  }
}
