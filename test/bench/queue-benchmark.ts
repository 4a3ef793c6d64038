// End to end through the queue: documents per second embedded, then on BullMQ with one and with
// two worker processes, on the same documents in one run, for digital (TXT and PDF seeds) and
// scanned (OCR) documents; the queue's overhead per document as CPU time. Needs redis-server (a
// private instance is started, so its CPU and commands are this run's only) or REDIS_URL.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { projectPath } from '../../extractors/util/project-root.js';
import { BullmqPipeline } from '../../queues/bullmq.queue.js';
import { redisOptionsFromUrl } from '../../queues/redis-connection.js';
import { BlobStore } from '../../src/pipeline/blob-store.js';
import { extractDocument } from '../../src/pipeline/extract-document.js';
import { pipelineFailureRules } from '../../src/pipeline/failure-rules.js';
import { DEFAULT_MAX_BYTES } from '../../src/text/extract-text.js';
import { middleBy } from './middle.js';
import { DIGITAL_SEEDS, machineryOverhead, queueMachineryRounds } from './queue-machinery.js';
import { redisCounters } from './redis-counters.js';
import { startOwnRedis, startTestRedis, type TestRedis } from '../support/redis-server.js';

const cli = projectPath('dist', 'src', 'cli.js');
/** Clock ticks per second of /proc's CPU times (Linux: 100). */
const TICKS = 100;

interface DocumentSet {
  label: string;
  folder: string;
  count: number;
  /** A smaller batch of the same documents: the difference between the two leaves out every one-time cost. */
  smaller?: { folder: string; count: number };
}

/** Distinct bytes per copy (a trailing comment), so every copy is a new document. */
function copyDocuments(folder: string, source: string, pattern: RegExp, copies: number): number {
  const files = readdirSync(source).filter((file) => pattern.test(file));
  mkdirSync(folder, { recursive: true });
  for (let copy = 0; copy < copies; copy += 1) {
    for (const file of files) {
      const bytes = readFileSync(join(source, file));
      const marker = file.endsWith('.pdf') ? `\n%copy ${copy}\n` : `\n\n<!-- copy ${copy} -->\n`;
      writeFileSync(join(folder, `${copy}-${file}`), Buffer.concat([bytes, Buffer.from(marker)]));
    }
  }
  return copies * files.length;
}

/**
 * CPU seconds (user + system) of a live process, from /proc, with those of its children that
 * ended (a worker's tesseract and pdftoppm processes), as the embedded run's CPU counts them.
 */
function processCpu(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS;
}

/** CPU seconds of this process's children that have ended (and been waited for). */
function endedChildrenCpu(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[13]) + Number(fields[14])) / TICKS;
}

interface Run {
  seconds: number;
  /** CPU seconds: the command (database host), worker processes after start-up, Redis. */
  hostCpu: number;
  workerCpu: number;
  redisCpu: number;
  redisCommands: number;
}

function runCommand(args: string[], env: NodeJS.ProcessEnv): { seconds: number; cpu: number } {
  const cpuBefore = endedChildrenCpu();
  const start = performance.now();
  execFileSync(process.execPath, [cli, ...args], { env, stdio: 'ignore' });
  return { seconds: (performance.now() - start) / 1000, cpu: endedChildrenCpu() - cpuBefore };
}

async function startWorkers(count: number, env: NodeJS.ProcessEnv): Promise<ChildProcess[]> {
  const workers = Array.from({ length: count }, () => spawn(process.execPath, [cli, 'worker'], { env, stdio: ['ignore', 'pipe', 'ignore'] }));
  await Promise.all(
    workers.map(
      (worker) => new Promise<void>((resolve) => worker.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('worker ready') && resolve())),
    ),
  );
  return workers;
}

async function queuedRun(folder: string, workerCount: number, redis: { url: string; client: Redis }, scratch: string): Promise<Run> {
  const prefix = `ntm-bench-${randomUUID()}`;
  const env = {
    ...process.env,
    REDIS_URL: redis.url,
    NTM_QUEUE_PREFIX: prefix,
    NTM_BLOB_DIR: join(scratch, `blobs-${prefix}`),
    // One core's worth of CPU work per worker process (the extraction pool, where there is one, gets one thread).
    NTM_JOBS: '1',
  };
  const workers = await startWorkers(workerCount, env);
  const startUpCpu = workers.map((worker) => processCpu(worker.pid));
  const redisBefore = await redisCounters(redis.client);
  try {
    const command = runCommand(['ingest', '--queue', '--workers', '0', folder, '--db', join(scratch, `${prefix}.sqlite`)], env);
    const redisAfter = await redisCounters(redis.client);
    const workerCpu = workers.reduce((sum, worker, index) => sum + processCpu(worker.pid) - (startUpCpu[index] ?? 0), 0);
    return {
      seconds: command.seconds,
      hostCpu: command.cpu,
      workerCpu,
      redisCpu: redisAfter.cpu - redisBefore.cpu,
      redisCommands: redisAfter.commands - redisBefore.commands,
    };
  } finally {
    await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve) && worker.kill('SIGTERM'))));
    const pipeline = new BullmqPipeline({ url: redis.url, prefix, attempts: 1, backoffMs: 0, lockMs: 30_000, failures: pipelineFailureRules });
    await pipeline.obliterate();
    await pipeline.close();
  }
}

/** The longest the event loop is held while the extract handler reads one document in this process, as a worker's would be. */
async function longestStall(file: string): Promise<number> {
  const blobs = new BlobStore(mkdtempSync(join(tmpdir(), 'ntm-stall-')));
  try {
    const sha256 = await blobs.putUpload(readFileSync(file));
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    await extractDocument({ sha256, fileName: file }, { blobs, maxFileBytes: DEFAULT_MAX_BYTES });
    histogram.disable();
    return histogram.max / 1e6;
  } finally {
    rmSync(blobs.root, { recursive: true, force: true });
  }
}

export async function queueBenchmark(line: (label: string, value: string) => void): Promise<void> {
  console.log('\n# End to end through the queue (BullMQ), documents per second; fresh database each run');
  let redis: TestRedis;
  try {
    redis = await startOwnRedis('the benchmark counts its own Redis');
  } catch {
    try {
      redis = await startTestRedis();
      line('Redis', `shared (${redis.url}): its CPU and command counts include other clients'`);
    } catch (error) {
      line('BullMQ', `skipped: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
  }
  const client = new Redis(redisOptionsFromUrl(redis.url));
  const scratch = mkdtempSync(join(tmpdir(), 'ntm-queue-bench-'));
  const sets: DocumentSet[] = [
    {
      label: 'digital (TXT and PDF seeds)',
      folder: join(scratch, 'digital'),
      count: copyDocuments(join(scratch, 'digital'), projectPath('fixtures', 'seeds'), DIGITAL_SEEDS, 10),
      smaller: {
        folder: join(scratch, 'digital-smaller'),
        count: copyDocuments(join(scratch, 'digital-smaller'), projectPath('fixtures', 'seeds'), DIGITAL_SEEDS, 3),
      },
    },
    {
      label: 'scanned (OCR)',
      folder: join(scratch, 'scanned'),
      count: copyDocuments(
        join(scratch, 'scanned'),
        projectPath('fixtures', 'scanned'),
        /^\d{3}_[0-9a-f]+\.scan\.pdf$/,
        Number(process.env.NTM_BENCH_SCAN_COPIES ?? 2),
      ),
    },
  ];
  const { REDIS_URL: _unset, ...embeddedEnv } = process.env;
  try {
    // NTM_BENCH_QUEUE_SETS=digital (or scanned) runs one set only.
    for (const set of sets.filter((candidate) => candidate.label.startsWith(process.env.NTM_BENCH_QUEUE_SETS ?? ''))) {
      const runEmbedded = (folder: string) =>
        runCommand(['ingest', folder, '--db', join(scratch, `${randomUUID()}.sqlite`)], {
          ...embeddedEnv,
          NTM_BLOB_DIR: join(scratch, `blobs-${randomUUID()}`),
          NTM_JOBS: '1',
        });
      const cpu = (run: Run) => run.hostCpu + run.workerCpu + run.redisCpu;
      // The marginal overhead is a difference of differences of CPU times that each vary by several ms a
      // document from run to run: the set with a smaller batch is measured BENCH_QUEUE_ROUNDS times
      // (default 3) and the round with the median overhead is shown.
      const rounds = set.smaller ? Math.max(1, Number(process.env['BENCH_QUEUE_ROUNDS'] ?? 3)) : 1;
      const measured: Array<{ embedded: { seconds: number; cpu: number }; one: Run; two: Run; marginal?: number }> = [];
      for (let round = 0; round < rounds; round++) {
        const embedded = runEmbedded(set.folder);
        const one = await queuedRun(set.folder, 1, { url: redis.url, client }, scratch);
        const two = await queuedRun(set.folder, 2, { url: redis.url, client }, scratch);
        if (!set.smaller) {
          measured.push({ embedded, one, two });
          continue;
        }
        const smallerEmbedded = runEmbedded(set.smaller.folder);
        const smallerOne = await queuedRun(set.smaller.folder, 1, { url: redis.url, client }, scratch);
        const marginal = (cpu(one) - cpu(smallerOne) - (embedded.cpu - smallerEmbedded.cpu)) / (set.count - set.smaller.count);
        measured.push({ embedded, one, two, marginal });
      }
      const { embedded, one, two, marginal } = middleBy(measured, (round) => round.marginal ?? 0);
      const rate = (seconds: number) => set.count / seconds;
      const perDocument = (seconds: number) => `${((seconds / set.count) * 1000).toFixed(1)} ms`;
      console.log(`\n## ${set.label}: ${set.count} documents${rounds > 1 ? ` (the median of ${rounds} rounds)` : ''}`);
      line('embedded (NTM_JOBS=1)', `${rate(embedded.seconds).toFixed(2)} documents/s, CPU ${perDocument(embedded.cpu)}/document`);
      line('BullMQ, one worker process', `${rate(one.seconds).toFixed(2)} documents/s (${(embedded.seconds / one.seconds).toFixed(2)}x embedded)`);
      line(
        'BullMQ, two worker processes',
        `${rate(two.seconds).toFixed(2)} documents/s (${(embedded.seconds / two.seconds).toFixed(2)}x embedded, ${(one.seconds / two.seconds).toFixed(2)}x one worker)`,
      );
      if (set.smaller && marginal !== undefined) {
        const roundFigures = measured.map((round) => `${((round.marginal ?? 0) * 1000).toFixed(1)}`).join(', ');
        line(
          'queue overhead per document (CPU, one worker)',
          `${(marginal * 1000).toFixed(1)} ms (rounds: ${roundFigures} ms; marginal: ${set.count} vs ${set.smaller.count} documents; with one-time costs: ${perDocument(cpu(one) - embedded.cpu)})`,
        );
      } else {
        line(
          'queue overhead per document (CPU, one worker)',
          `${perDocument(cpu(one) - embedded.cpu)} (two workers: ${perDocument(cpu(two) - embedded.cpu)}; one-time costs included)`,
        );
      }
      line(
        '  where the CPU goes, one worker, per document',
        `database host ${perDocument(one.hostCpu)} (embedded: all of it, ${perDocument(embedded.cpu)}), worker ${perDocument(one.workerCpu)}, Redis ${perDocument(one.redisCpu)}`,
      );
      line(
        '  Redis commands per document (incl. inside scripts)',
        `${(one.redisCommands / set.count).toFixed(1)} (two workers: ${(two.redisCommands / set.count).toFixed(1)})`,
      );
    }
    console.log(
      '\nQueue overhead = CPU seconds of the queued run (the `ingest --queue` command, which registers and persists; the worker\n' +
        'processes after their start-up; Redis) minus CPU seconds of the embedded `ingest` of the same files, per document.\n' +
        'Marginal: that difference for the larger batch minus the one for the smaller, divided by the extra documents, so\n' +
        'one-time costs cancel (process start-up, a worker loading pdf.js and the other readers at its first document).\n' +
        'CPU time rather than wall time: the stages overlap across processes, and other load on the machine changes CPU\n' +
        "time far less than elapsed time, though a crowded machine inflates it too. Redis commands count those BullMQ's\n" +
        "scripts run inside Redis (round trips are fewer: test/queue.test.ts counts them) and idle workers' polling.\n" +
        "The queue's own work: the same two stages with handlers that only pass each seed's real result on (as the\n" +
        'persist job carries it), through BullMQ and through the in-process queue, in one process whose workers have\n' +
        'run a batch first (long-running workers); the CPU of this process and of Redis above the in-process queue\n' +
        "is the queue's cost alone, without the extraction whose own variation blurs the end-to-end figure.",
    );
    const scanned = projectPath('fixtures', 'scanned', '004_d6b659843d553b3d.scan.pdf');
    line(
      'longest event-loop stall extracting a 10-page scan',
      `${(await longestStall(scanned)).toFixed(0)} ms (BullMQ renews a job's lock every lockDuration/2, 15 s by default)`,
    );
    // NTM_BENCH_QUEUE_SETS=machinery runs this part alone.
    if (['', 'machinery'].includes(process.env.NTM_BENCH_QUEUE_SETS ?? '')) {
      const documents = Number(process.env.BENCH_MACHINERY_DOCUMENTS ?? 300);
      const rounds = await queueMachineryRounds({ url: redis.url, client }, documents, Math.max(1, Number(process.env.BENCH_MACHINERY_ROUNDS ?? 5)));
      const median = middleBy(rounds, machineryOverhead);
      console.log(`\n## The queue's own work: ${documents} documents a round, warm workers, handlers that only pass the seeds' results on`);
      line(
        'queue overhead per document (CPU, median round)',
        `${machineryOverhead(median).toFixed(2)} ms (rounds: ${rounds.map((round) => machineryOverhead(round).toFixed(2)).join(', ')} ms)`,
      );
      line(
        '  where it goes, median round, per document',
        `this process through BullMQ ${median.bullmq.toFixed(2)} ms + Redis ${median.redis.toFixed(2)} ms, minus in-process queue ${median.inProcess.toFixed(2)} ms`,
      );
    }
  } finally {
    client.disconnect();
    await redis.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
