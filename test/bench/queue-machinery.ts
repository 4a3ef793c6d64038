// The queue's own cost per document, without the documents' work. The end-to-end figure of
// queue-benchmark.ts is a difference between runs whose CPU each varies by several ms a document
// (the extraction is most of it); this one leaves the extraction out, so what remains is the queue.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { projectPath } from '../../extractors/util/project-root.js';
import { BullmqPipeline } from '../../queues/bullmq.queue.js';
import { InProcessQueue } from '../../queues/in-process.queue.js';
import { extractJob, JobName, type AnyJob, type JobHandlers } from '../../queues/job-catalogue.js';
import { BlobStore } from '../../src/pipeline/blob-store.js';
import { extractDocument, type ExtractionResult } from '../../src/pipeline/extract-document.js';
import { pipelineFailureRules } from '../../src/pipeline/failure-rules.js';
import { closeSharedExtractionPool } from '../../src/pipeline/pool/shared-pool.js';
import { DEFAULT_MAX_BYTES } from '../../src/text/extract-text.js';
import { redisCounters } from './redis-counters.js';

export interface MachineryRound {
  /** CPU ms per document: this process through BullMQ, Redis through BullMQ, this process through the in-process queue. */
  bullmq: number;
  redis: number;
  inProcess: number;
}

/** The seeds the queue bench reads as digital documents: TXT and PDF with a text layer. */
export const DIGITAL_SEEDS = /^\d{3}_[0-9a-f]+\.(txt|pdf)$/;

/** The seeds' real extraction results: what travels in the persist jobs. */
async function seedResults(): Promise<ExtractionResult[]> {
  const blobs = new BlobStore(mkdtempSync(join(tmpdir(), 'ntm-machinery-')));
  try {
    const folder = projectPath('fixtures', 'seeds');
    const results: ExtractionResult[] = [];
    for (const fileName of readdirSync(folder).filter((file) => DIGITAL_SEEDS.test(file))) {
      const sha256 = await blobs.putUpload(readFileSync(join(folder, fileName)));
      results.push(await extractDocument({ sha256, fileName }, { blobs, maxFileBytes: DEFAULT_MAX_BYTES }));
    }
    return results;
  } finally {
    await closeSharedExtractionPool();
    rmSync(blobs.root, { recursive: true, force: true });
  }
}

function cpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/**
 * Both stages with handlers that do nothing but hand on a real result: the extract handler
 * returns the persist job the pipeline's would (the result inline), the persist handler counts
 * it. Through the in-process queue, then through BullMQ (an extract and a persist worker, as in
 * `ingest --queue`, here in one process), `documents` each, in `rounds` turns after a warm-up
 * batch; CPU of this process (all its threads) and of Redis.
 */
export async function queueMachineryRounds(redis: { url: string; client: Redis }, documents: number, rounds: number): Promise<MachineryRound[]> {
  const results = await seedResults();
  let persisted = 0;
  let lost = 0;
  let onPersisted = () => {};
  const handlers: JobHandlers = {
    [JobName.ExtractDocument]: {
      async run({ documentId, sha256 }) {
        const result = results[documentId % results.length] as unknown as Record<string, unknown>;
        return { name: JobName.PersistDocument, payload: { outcome: 'extracted', documentId, sha256, result } };
      },
    },
    [JobName.PersistDocument]: {
      async run(payload) {
        // Counted either way, so a round never waits for ever; a round that lost a result throws.
        if (payload.outcome !== 'extracted' || typeof payload.result?.rulesVersion !== 'string') lost += 1;
        persisted += 1;
        onPersisted();
        return null;
      },
    },
  };
  let serial = 0;
  // Distinct hashes: job ids are made of them, and a job id seen before would be skipped.
  const batch = (count: number): AnyJob[] =>
    Array.from({ length: count }, (_, index) =>
      extractJob({ documentId: index + 1, sha256: (serial += 1).toString(16).padStart(64, '0'), fileName: `document-${index + 1}.txt` }),
    );
  const policy = { attempts: 1, backoffMs: 0, failures: pipelineFailureRules };
  const inProcess = new InProcessQueue(handlers, policy);
  const bullmq = new BullmqPipeline({ url: redis.url, prefix: `ntm-bench-machinery-${process.pid}-${Date.now()}`, lockMs: 30_000, ...policy });
  bullmq.startWorkers(handlers, ['persist'], 1);
  bullmq.startWorkers(handlers, ['extract'], 1);

  const runInProcess = async (count: number) => {
    const start = cpuSeconds();
    for (const job of batch(count)) await inProcess.enqueue(job);
    return (cpuSeconds() - start) / count;
  };
  const runBullmq = async (count: number) => {
    const jobs = batch(count);
    persisted = 0;
    const allPersisted = new Promise<void>((resolve) => {
      onPersisted = () => persisted === count && resolve();
    });
    const [start, redisStart] = [cpuSeconds(), (await redisCounters(redis.client)).cpu];
    // 32 at a time, as `ingest --queue` enqueues them.
    for (let index = 0; index < jobs.length; index += 32) await bullmq.enqueueMany(jobs.slice(index, index + 32));
    await allPersisted;
    if (lost > 0) throw new Error(`${lost} persist job(s) came without their result`);
    return { node: (cpuSeconds() - start) / count, redis: ((await redisCounters(redis.client)).cpu - redisStart) / count };
  };

  try {
    // Connections, scripts loaded into Redis, the first compilations: a worker pays them once. Two batches:
    // after one, the next still ran about a third dearer (optimising compilations still under way).
    for (let batchIndex = 0; batchIndex < 2; batchIndex++) {
      await runInProcess(documents);
      await runBullmq(documents);
    }
    const measured: MachineryRound[] = [];
    for (let round = 0; round < rounds; round++) {
      const inProcessCpu = await runInProcess(documents);
      const { node, redis: redisCpu } = await runBullmq(documents);
      measured.push({ bullmq: node * 1000, redis: redisCpu * 1000, inProcess: inProcessCpu * 1000 });
    }
    return measured;
  } finally {
    await bullmq.obliterate();
    await bullmq.close();
  }
}

/** A round's queue cost per document, in ms: BullMQ's CPU (here and in Redis) above the in-process queue's. */
export function machineryOverhead(round: MachineryRound): number {
  return round.bullmq + round.redis - round.inProcess;
}
