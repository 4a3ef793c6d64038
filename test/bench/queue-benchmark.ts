// End-to-end documents per second: embedded, then BullMQ with one and with two worker processes,
// on the same documents in one run. Needs Redis (REDIS_URL or 127.0.0.1:6379); skipped otherwise.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { pipelineFailureRules } from '../../src/pipeline/failure-rules.js';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BullmqPipeline } from '../../queues/bullmq.queue.js';
import { assertRedisReachable } from '../../queues/redis-connection.js';
import { projectPath } from '../../extractors/util/project-root.js';

const COPIES = 10;
const cli = projectPath('dist', 'src', 'cli.js');

/** Distinct bytes per copy (a trailing comment), so every copy is a new document. */
function makeDocuments(folder: string): number {
  const seeds = projectPath('fixtures', 'seeds');
  const files = readdirSync(seeds).filter((file) => /^\d{3}_[0-9a-f]+\.(txt|pdf)$/.test(file));
  mkdirSync(folder, { recursive: true });
  for (let copy = 0; copy < COPIES; copy += 1) {
    for (const file of files) {
      const bytes = readFileSync(join(seeds, file));
      const marker = file.endsWith('.pdf') ? `\n%copy ${copy}\n` : `\n\n<!-- copy ${copy} -->\n`;
      writeFileSync(join(folder, `${copy}-${file}`), Buffer.concat([bytes, Buffer.from(marker)]));
    }
  }
  return COPIES * files.length;
}

function timeCommand(args: string[], env: NodeJS.ProcessEnv): number {
  const start = performance.now();
  execFileSync(process.execPath, [cli, ...args], { env, stdio: 'ignore' });
  return (performance.now() - start) / 1000;
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

export async function queueBenchmark(line: (label: string, value: string) => void): Promise<void> {
  console.log('\n# End to end through the queue, documents per second (TXT and PDF seeds, fresh database each)');
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  try {
    await assertRedisReachable(url);
  } catch {
    line('BullMQ', `skipped: no Redis at ${url}`);
    return;
  }
  const folder = mkdtempSync(join(tmpdir(), 'ntm-queue-bench-'));
  const documents = makeDocuments(join(folder, 'inbox'));
  const { REDIS_URL: _unset, ...embeddedEnv } = process.env;
  const rates: Record<string, number> = {};
  try {
    rates.embedded =
      documents /
      timeCommand(['ingest', join(folder, 'inbox'), '--db', join(folder, 'embedded.sqlite')], { ...embeddedEnv, NTM_BLOB_DIR: join(folder, 'blobs-embedded') });
    for (const count of [1, 2]) {
      const prefix = `ntm-bench-${randomUUID()}`;
      const env = { ...process.env, REDIS_URL: url, NTM_QUEUE_PREFIX: prefix, NTM_BLOB_DIR: join(folder, `blobs-${count}`) };
      const workers = await startWorkers(count, env);
      try {
        rates[`${count}`] =
          documents / timeCommand(['ingest', '--queue', '--workers', '0', join(folder, 'inbox'), '--db', join(folder, `queue-${count}.sqlite`)], env);
      } finally {
        for (const worker of workers) worker.kill('SIGTERM');
        const pipeline = new BullmqPipeline({ url, prefix, attempts: 1, backoffMs: 0, lockMs: 30_000, failures: pipelineFailureRules });
        await pipeline.obliterate();
        await pipeline.close();
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const embedded = rates.embedded ?? 0;
  line(`embedded (${documents} documents)`, `${embedded.toFixed(1)} documents/s`);
  line('BullMQ, one worker process', `${rates['1']?.toFixed(1)} documents/s (${((rates['1'] ?? 0) / embedded).toFixed(2)}x embedded)`);
  line(
    'BullMQ, two worker processes',
    `${rates['2']?.toFixed(1)} documents/s (${((rates['2'] ?? 0) / embedded).toFixed(2)}x embedded, ${((rates['2'] ?? 0) / (rates['1'] ?? 1)).toFixed(2)}x one worker)`,
  );
  line('queue overhead per document (one worker)', `${((1 / (rates['1'] ?? 1) - 1 / embedded) * 1000).toFixed(1)} ms`);
}
