import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentRepository, type Database } from '../../db/index.js';
import { InProcessQueue } from '../../queues/in-process.queue.js';
import type { JobQueue } from '../../queues/job-queue.js';
import { bullmqPipeline } from '../cli/queue-context.js';
import type { Config } from '../config.js';
import { blobStoreFor } from '../pipeline/embedded-ingestion.js';
import { pipelineFailureRules } from '../pipeline/failure-rules.js';
import { IngestService, type IngestOutcome } from '../pipeline/ingest.service.js';
import { createPipelineHandlers } from '../pipeline/pipeline.handlers.js';
import { rereadDocument } from '../pipeline/reread-document.js';
import { BackgroundQueue } from './upload-queue.js';

/**
 * The server's way into the pipeline: the same stages as `ntm ingest` (register, extract,
 * persist), so an upload is answered as soon as its files are registered. Without REDIS_URL
 * the jobs run in the background in this process; with it they go to BullMQ, and the server,
 * being the database host, runs the persist stage and one extraction worker (`ntm worker`
 * adds more, anywhere).
 */
/** Where a document is in the pipeline, as its jobs last reported it. */
export interface DocumentProgress {
  stage: string;
  page?: number;
  pages?: number;
}

export class ServerIngestion {
  private readonly service: IngestService;

  private readonly documents: DocumentRepository;

  private constructor(
    db: Database,
    blobs: ReturnType<typeof blobStoreFor>,
    config: Config,
    private readonly queue: JobQueue,
    /** Latest progress per document id, as its jobs report it (stage, OCR page n of m). */
    private readonly progressOf: Map<number, DocumentProgress>,
    readonly mode: 'bullmq' | 'in-process',
    private readonly listeners: Set<(documentId: number, progress: DocumentProgress) => void>,
  ) {
    this.documents = new DocumentRepository(db);
    this.service = new IngestService(this.documents, blobs, queue, { maxFileBytes: config.maxFileBytes });
  }

  static async start(db: Database, databasePath: string, config: Config, log: (error: unknown) => void): Promise<ServerIngestion> {
    const documents = new DocumentRepository(db);
    const blobs = blobStoreFor(config, databasePath);
    const handlers = createPipelineHandlers({ blobs, maxFileBytes: config.maxFileBytes, limits: config.limits, documents });
    const progress = new Map<number, DocumentProgress>();
    const listeners = new Set<(documentId: number, progress: DocumentProgress) => void>();
    const report = (data: unknown) => {
      const { documentId, stage, page, pages } = (data ?? {}) as { documentId?: number; stage?: string; page?: number; pages?: number };
      if (typeof documentId !== 'number' || typeof stage !== 'string') return;
      const entry = { stage, ...(page ? { page } : {}), ...(pages ? { pages } : {}) };
      progress.set(documentId, entry);
      for (const listener of listeners) listener(documentId, entry);
    };
    if (config.redisUrl) {
      const pipeline = bullmqPipeline(config);
      await pipeline.connect();
      pipeline.startWorkers(handlers, ['persist'], 1);
      pipeline.startWorkers(handlers, ['extract'], 1);
      const events = pipeline.events('extract');
      events.on('progress', ({ data }) => report(data));
      const queue: JobQueue = {
        enqueue: (job) => pipeline.enqueue(job),
        close: async () => {
          await events.close();
          await pipeline.close();
        },
      };
      return new ServerIngestion(db, blobs, config, queue, progress, 'bullmq', listeners);
    }
    const queue = new BackgroundQueue(
      new InProcessQueue(handlers, { attempts: config.jobAttempts, backoffMs: config.jobBackoffMs, failures: pipelineFailureRules }, report),
      log,
    );
    return new ServerIngestion(db, blobs, config, queue, progress, 'in-process', listeners);
  }

  /** Calls `listener` with every progress report; returns the way to stop. */
  onProgress(listener: (documentId: number, progress: DocumentProgress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Where a document being read is now; undefined once it is done or failed (its status says so). */
  progress(documentId: number, status: string): DocumentProgress | undefined {
    if (status === 'done' || status === 'failed') {
      this.progressOf.delete(documentId);
      return undefined;
    }
    return this.progressOf.get(documentId);
  }

  /** Lets the jobs in hand finish (in-process), or the workers finish theirs (BullMQ), then stops. */
  async close(): Promise<void> {
    await this.queue.close();
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
    return rereadDocument(this.documents, documentId);
  }
}
