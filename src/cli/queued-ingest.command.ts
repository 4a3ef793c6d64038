import cliProgress from 'cli-progress';
import { closeDatabase, DocumentRepository } from '../../db/index.js';
import { extractJob } from '../../queues/job-catalogue.js';
import { blobStoreFor } from '../pipeline/embedded-ingestion.js';
import type { IngestOutcome } from '../pipeline/ingest.service.js';
import { walkInputs } from '../pipeline/list-input-files.js';
import { createPipelineHandlers } from '../pipeline/pipeline.handlers.js';
import { isInputReadError } from '../errors/input-read.error.js';
import { registerUpload, type Registration } from '../pipeline/register-upload.js';
import { rereadDocument } from '../pipeline/reread-document.js';
import { problemOutcome } from './ingest.command.js';
import { outcomeLine, summaryLine } from './ingest-output.js';
import { openCommandDatabase } from './open-database.js';
import { bullmqPipeline, closeOnSignals } from './queue-context.js';
import { terminalText } from './terminal-text.js';

const STAGES = ['queued', 'text', 'rules', 'persist', 'done'] as const;
const POLL_MS = 250;
const IDLE_HINT_MS = 10_000;

/** Files registered before their extraction jobs go to Redis together (one round trip), largest first. */
const ENQUEUE_CHUNK = 32;

/**
 * `ntm ingest --queue`: registers every file (bytes in the blob store, a `queued` row) before it
 * touches Redis with it, and enqueues the extraction jobs a chunk at a time while it goes on
 * registering, so workers start on the first files at once. Being the database host it runs
 * the persist stage itself (and `workers` extraction workers) while it shows progress, until
 * every document is done or failed.
 */
export async function runQueuedIngest(paths: string[], options: { db?: string; timeout?: number; workers: number }): Promise<number> {
  const { files, problems } = await walkInputs(paths);
  const { db, config, databasePath } = openCommandDatabase(options);
  const documents = new DocumentRepository(db);
  const blobs = blobStoreFor(config, databasePath);
  const pipeline = bullmqPipeline(config);
  try {
    let redisProblem: unknown = null;
    try {
      await pipeline.connect();
    } catch (error) {
      redisProblem = error;
    }
    if (!redisProblem) {
      const handlers = createPipelineHandlers({ blobs, maxFileBytes: config.maxFileBytes, limits: config.limits, documents });
      pipeline.startWorkers(handlers, ['persist'], 1);
      // Extraction here too unless told otherwise, so one command completes even before any worker starts.
      if (options.workers > 0) pipeline.startWorkers(handlers, ['extract'], options.workers);
      closeOnSignals(() => pipeline.close(), { activeJobs: () => pipeline.activeJobs(), graceMs: config.workerGraceMs });
    }

    const registered: Array<{ path: string; registration: Registration }> = [];
    const unread = problems.map(problemOutcome);
    let chunk: Array<Registration & { action: 'extract' }> = [];
    let notEnqueued = 0;
    const enqueueChunk = async () => {
      const jobs = chunk.sort((a, b) => b.sizeBytes - a.sizeBytes).map((registration) => extractJob(registration));
      chunk = [];
      if (redisProblem) {
        notEnqueued += jobs.length;
        return;
      }
      try {
        await pipeline.enqueueMany(jobs);
      } catch (error) {
        redisProblem = error;
        notEnqueued += jobs.length;
      }
    };
    for (const file of files) {
      try {
        const registration = await registerUpload(file, { documents, blobs, maxFileBytes: config.maxFileBytes });
        // This process holds the database: an older rules version's document is read again here, through the persist stage.
        if (registration.action === 'reread') rereadDocument(documents, registration.documentId);
        registered.push({ path: file.path, registration });
        // Largest first within a chunk: on several workers a batch ends sooner when its long documents start first.
        if (registration.action === 'extract') chunk.push(registration);
        if (chunk.length >= ENQUEUE_CHUNK) await enqueueChunk();
      } catch (error) {
        if (!isInputReadError(error)) throw error;
        unread.push({ path: file.path, status: 'failed', documentId: null, statements: 0, flags: 0, error: error.message });
      }
    }
    await enqueueChunk();
    for (const outcome of unread) process.stdout.write(`${outcomeLine(outcome)}\n`);
    if (redisProblem) {
      process.stderr.write(
        `${redisProblem instanceof Error ? redisProblem.message : String(redisProblem)}\n${notEnqueued} document(s) are stored and kept as queued; run "ntm requeue" when Redis is reachable.\n`,
      );
      return 2;
    }

    const outcomes = [...unread, ...(await waitForDocuments(pipeline, documents, registered, options.timeout ?? 0))];
    process.stdout.write(`${summaryLine(outcomes)}\n`);
    return outcomes.every((outcome) => outcome.status !== 'failed' && outcome.status !== 'queued') ? 0 : 1;
  } finally {
    await pipeline.close();
    closeDatabase(db);
  }
}

async function waitForDocuments(
  pipeline: ReturnType<typeof bullmqPipeline>,
  documents: DocumentRepository,
  registered: Array<{ path: string; registration: Registration }>,
  timeoutSeconds: number,
): Promise<IngestOutcome[]> {
  const outcomes = new Map<number, IngestOutcome>();
  const stageOf = new Map<number, (typeof STAGES)[number]>();
  const bars = process.stderr.isTTY
    ? new cliProgress.MultiBar(
        { format: '{file} [{bar}] {stage}', stream: process.stderr, clearOnComplete: false, hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const barOf = new Map(
    registered.map(({ path, registration }) => [
      registration.documentId,
      bars?.create(STAGES.length - 1, 0, { file: terminalText(path).padEnd(40).slice(0, 40), stage: 'queued' }),
    ]),
  );
  const setStage = (documentId: number, stage: (typeof STAGES)[number]) => {
    stageOf.set(documentId, stage);
    barOf.get(documentId)?.update(STAGES.indexOf(stage), { stage });
  };
  // Stage and page events only feed the progress bars: without a terminal nobody reads them, and reading them costs Redis round trips.
  const events = bars ? pipeline.events('extract') : null;
  events?.on('progress', ({ data }) => {
    const progress = data as { documentId?: number; stage?: (typeof STAGES)[number]; page?: number; pages?: number };
    if (progress.documentId && progress.stage) setStage(progress.documentId, progress.stage);
    if (progress.documentId && progress.pages) barOf.get(progress.documentId)?.update({ stage: `${progress.stage} ${progress.page}/${progress.pages}` });
  });
  const documentOfHash = new Map(registered.map(({ registration }) => [registration.sha256, registration.documentId]));
  events?.on('completed', ({ jobId }) => {
    const documentId = documentOfHash.get(jobId.slice(0, 64));
    if (documentId) setStage(documentId, 'persist');
  });

  const lastRegistered = registered.reduce((last, { registration }) => Math.max(last, registration.documentId), 0);
  const started = Date.now();
  let lastChange = Date.now();
  let hinted = false;
  try {
    while (outcomes.size < registered.length) {
      // One query for every document still pending, not one per document: those finished from the first pending
      // one on (documents are numbered as they were registered, and finish roughly in that order).
      let firstPending = Number.POSITIVE_INFINITY;
      for (const { registration } of registered) if (!outcomes.has(registration.documentId)) firstPending = Math.min(firstPending, registration.documentId);
      const rowOf = new Map(documents.finishedBetween(firstPending, lastRegistered).map((row) => [row.id, row]));
      for (const { path, registration } of registered) {
        if (outcomes.has(registration.documentId)) continue;
        const row = rowOf.get(registration.documentId);
        if (registration.action === 'refused' || row?.status === 'failed') {
          outcomes.set(registration.documentId, {
            path,
            status: 'failed',
            documentId: registration.documentId,
            statements: 0,
            flags: 0,
            error: row?.error ?? null,
          });
        } else if (row?.status === 'done') {
          const status = registration.action === 'extract' ? 'new' : registration.action === 'reread' ? 'reprocessed' : 'unchanged';
          outcomes.set(registration.documentId, {
            path,
            status,
            documentId: registration.documentId,
            ...documents.countStatements([registration.documentId]),
            error: null,
          });
        } else {
          continue;
        }
        lastChange = Date.now();
        setStage(registration.documentId, 'done');
        const outcome = outcomes.get(registration.documentId);
        if (outcome && !bars) process.stdout.write(`${outcomeLine(outcome)}\n`);
        if (outcome && bars && outcome.status === 'failed') bars.log(`${outcomeLine(outcome)}\n`);
      }
      if (outcomes.size === registered.length) break;
      if (!hinted && Date.now() - lastChange > IDLE_HINT_MS) {
        hinted = true;
        process.stderr.write('waiting for workers: start "ntm worker" with the same REDIS_URL, NTM_QUEUE_PREFIX and blob store\n');
      }
      if (timeoutSeconds > 0 && Date.now() - started > timeoutSeconds * 1000) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    bars?.stop();
    await events?.close();
  }
  return registered.map(
    ({ path, registration }) =>
      outcomes.get(registration.documentId) ?? { path, status: 'queued', documentId: registration.documentId, statements: 0, flags: 0, error: null },
  );
}
