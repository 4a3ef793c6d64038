import { dirname, join } from 'node:path';
import { DocumentRepository, type Database } from '../../db/index.js';
import { InProcessQueue } from '../../queues/in-process.queue.js';
import type { Config } from '../config.js';
import { BlobStore } from './blob-store.js';
import { IngestService } from './ingest.service.js';
import { pipelineFailureRules } from './failure-rules.js';
import { createPipelineHandlers } from './pipeline.handlers.js';
import { PersistOrder } from './persist-order.js';

/** The blob store of a deployment: NTM_BLOB_DIR, else "blobs" beside the database file. */
export function blobStoreFor(config: Pick<Config, 'blobDirectory'>, databasePath: string): BlobStore {
  return new BlobStore(config.blobDirectory ?? join(dirname(databasePath), 'blobs'));
}

/** Ingestion with every stage run here, in this process: the default when REDIS_URL is not set. */
export function embeddedIngestion(
  db: Database,
  databasePath: string,
  config: Pick<Config, 'blobDirectory' | 'maxFileBytes' | 'jobAttempts' | 'jobBackoffMs'> & Partial<Pick<Config, 'limits'>>,
): IngestService {
  const documents = new DocumentRepository(db);
  const blobs = blobStoreFor(config, databasePath);
  const handlers = createPipelineHandlers({ blobs, maxFileBytes: config.maxFileBytes, ...(config.limits ? { limits: config.limits } : {}), documents });
  const order = new PersistOrder();
  const queue = new InProcessQueue(order.ordered(handlers), { attempts: config.jobAttempts, backoffMs: config.jobBackoffMs, failures: pipelineFailureRules });
  return new IngestService(documents, blobs, queue, { maxFileBytes: config.maxFileBytes, persistOrder: order });
}
