import { join } from 'node:path';
import { DocumentRepository, openDatabase } from '../../db/index.js';
import { loadConfig } from '../config.js';
import { blobStoreFor } from '../pipeline/embedded-ingestion.js';
import { createPipelineHandlers } from '../pipeline/pipeline.handlers.js';
import { closeSharedExtractionPool } from '../pipeline/pool/shared-pool.js';
import { bullmqPipeline, closeOnSignals } from './queue-context.js';
import { printOut } from './terminal-text.js';

/**
 * `ntm worker`: runs extraction jobs (stateless: it needs Redis and the shared blob store, not the
 * database). `ntm worker --persist`: runs the persist stage, the single writer, where the SQLite
 * file is. Runs until SIGTERM or SIGINT.
 */
export async function runWorker(options: { db?: string; concurrency?: number | undefined; persist: boolean }): Promise<void> {
  const config = loadConfig();
  const databasePath = options.db ?? config.databasePath;
  const documents = options.persist ? new DocumentRepository(openDatabase(databasePath)) : null;
  const blobs = blobStoreFor(config, databasePath);
  const pipeline = bullmqPipeline(config);
  await pipeline.connect();
  // As many documents at once as the pool has threads: a batch of digital documents keeps every thread busy
  // (a scan's pages spread over the threads on their own). Not one more, as `ntm ingest` takes: a document held
  // here waits behind this process's threads while another worker may stand idle at the end of a batch (ten
  // scans on two workers: 1.87x one worker with as many, 1.68x with one more).
  const concurrency = options.concurrency ?? config.jobs;
  const handlers = createPipelineHandlers({ blobs, maxFileBytes: config.maxFileBytes, limits: config.limits, documents });
  const [worker] = pipeline.startWorkers(handlers, [options.persist ? 'persist' : 'extract'], concurrency);
  worker?.on('completed', (job) =>
    process.stdout.write(`${options.persist ? 'persisted' : 'extracted'} document ${String(job.data.documentId)} (${job.id})\n`),
  );
  worker?.on('failed', (job, error) => printOut(`failed document ${String(job?.data.documentId)} (${job?.id}): ${error.message}\n`));
  process.on('unhandledRejection', (reason) => process.stderr.write(`unhandled rejection: ${String(reason)}\n`));
  closeOnSignals(() => pipeline.close().then(closeSharedExtractionPool), { activeJobs: () => pipeline.activeJobs(), graceMs: config.workerGraceMs });
  process.stdout.write(
    `worker ready: ${options.persist ? `persist stage, database ${databasePath}` : `extract stage, concurrency ${concurrency}`}, blobs ${join(blobs.root)}, queue prefix ${config.queuePrefix}\n`,
  );
}
