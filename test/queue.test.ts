import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../db/index.js';
import { extractStatements, RULES_VERSION } from '../extractors/extract-statements.js';
import { Redis } from 'ioredis';
import { BullmqPipeline } from '../queues/bullmq.queue.js';
import { redisOptionsFromUrl } from '../queues/redis-connection.js';
import { BlobStore } from '../src/pipeline/blob-store.js';
import { projectPath } from '../extractors/util/project-root.js';
import { useQueueDeployment } from './support/queue-deployment.js';
import { countRoundTrips } from './support/redis-round-trips.js';
import { ntm, startNtm, waitFor, type RunningCli } from './support/run-cli.js';
import { useTempFolder } from './support/temp-folder.js';

const newTempFolder = useTempFolder();
const seeds = projectPath('fixtures', 'seeds');

const deployment = useQueueDeployment();
const testPipeline = () => deployment.pipeline();
const queueEnvironment = deployment.environment;
const start = deployment.start;

async function startWorker(env: Record<string, string>, args: string[] = []): Promise<RunningCli> {
  const worker = start(['worker', ...args], env);
  await waitFor('a worker to be ready', () => worker.output().includes('worker ready'));
  return worker;
}

function chunkPairs(fields: string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let index = 0; index + 1 < fields.length; index += 2) pairs.push([fields[index] ?? '', fields[index + 1] ?? '']);
  return pairs;
}

/** The export without row ids, which differ between two databases. */
async function comparableExport(db: string): Promise<string[]> {
  const { stdout } = await ntm(['export', '--db', db]);
  return stdout
    .trim()
    .split('\n')
    .map((line) => {
      const { id: _id, statements: _statements, document, ...rest } = JSON.parse(line) as Record<string, unknown> & { document: Record<string, unknown> };
      return JSON.stringify({ ...rest, document: { ...document, id: null } });
    })
    .sort();
}

function documentRows(db: string): Array<{ id: number; file_name: string; status: string; error: string | null; error_reason: string | null }> {
  const database = openDatabase(db);
  try {
    return database.$client.prepare('select id, file_name, status, error, error_reason from documents order by id').all() as never;
  } finally {
    closeDatabase(database);
  }
}

describe('ingestion on BullMQ with a real Redis', () => {
  it('shares the fixtures between two worker processes, persists each once, and exports what the embedded mode exports', async () => {
    const folder = newTempFolder();
    const env = queueEnvironment(folder);
    const workers = [await startWorker(env), await startWorker(env)];
    // Every command this deployment sends Redis while the batch runs (commands a script runs inside Redis are not round trips).
    const roundTrips = await countRoundTrips(deployment.redisUrl, deployment.prefix);
    let queued: Awaited<ReturnType<typeof ntm>>;
    try {
      queued = await ntm(['ingest', '--queue', '--workers', '0', 'fixtures/seeds', '--db', join(folder, 'queued.sqlite')], env);
    } finally {
      roundTrips.stop();
    }
    expect(queued.stdout).toMatch(/Documents: 17 new, 0 re-extracted, 0 unchanged, 0 failed; statements: \d+/);
    expect(queued.code).toBe(0);
    for (const worker of workers) expect(worker.output()).toMatch(/extracted document \d+/);
    // Per document: its share of one bulk add, the extract job taken and finished, the persist job added, taken and finished,
    // progress only from a job running past 250 ms; plus idle workers' waits. A round trip per statement or per row would be hundreds.
    expect(roundTrips.count / 17).toBeLessThan(20);
    expect(roundTrips.count / 17, 'each document is taken and finished at least once per stage').toBeGreaterThan(2);

    // Each document's persist job completed exactly once, whichever worker extracted it.
    const client = new Redis(redisOptionsFromUrl(deployment.redisUrl));
    try {
      const events = await client.xrange(`${deployment.prefix}:persist:events`, '-', '+');
      const completed = events.map(([, fields]) => Object.fromEntries(chunkPairs(fields))).filter((event) => event.event === 'completed');
      const perJob = new Map<string, number>();
      for (const event of completed) perJob.set(event.jobId ?? '', (perJob.get(event.jobId ?? '') ?? 0) + 1);
      expect(perJob.size).toBe(17);
      expect(
        [...perJob].filter(([, count]) => count !== 1),
        workers.map((worker) => worker.output()).join('\n'),
      ).toEqual([]);
    } finally {
      client.disconnect();
    }

    const embedded = await ntm(['ingest', 'fixtures/seeds', '--db', join(folder, 'embedded.sqlite')]);
    expect(embedded.code).toBe(0);
    expect(await comparableExport(join(folder, 'queued.sqlite'))).toEqual(await comparableExport(join(folder, 'embedded.sqlite')));
  }, 240_000); // three processes and Redis on two cores: minutes when the machine is shared

  it('finishes a document whose worker was killed with SIGKILL mid-job, once and without duplicates', async () => {
    const folder = newTempFolder();
    // The lock must outlast one extraction (about a second here, the event loop busy); a dead worker's job waits that long.
    const env = queueEnvironment(folder, { NTM_WORKER_LOCK_MS: '5000' });
    const big = join(folder, 'big-report.txt');
    writeFileSync(big, readFileSync(join(seeds, '001_f3406501ba6aec7a.txt'), 'utf8').repeat(500));
    const doomed = await startWorker(env);
    const ingest = start(['ingest', '--queue', '--workers', '0', big, '--db', join(folder, 'ntm.sqlite')], env);
    const pipeline = testPipeline();
    try {
      await waitFor('the big document to be active', async () =>
        (await pipeline.listJobs()).jobs.some((job) => job.state === 'active' && job.queue === 'extract'),
      );
    } finally {
      await pipeline.close();
    }
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    const rescuer = await startWorker(env);
    expect(await ingest.exited).toBe(0);
    expect(ingest.output()).toMatch(/Documents: 1 new/);
    expect(rescuer.output()).toMatch(/extracted document 1/);

    const expected = extractStatements([{ page: 1, text: readFileSync(big, 'utf8'), hasTextLayer: true }]).statements.length;
    const database = openDatabase(join(folder, 'ntm.sqlite'));
    try {
      expect(database.$client.prepare('select count(*) from statements').pluck().get()).toBe(expected);
      expect(
        database.$client.prepare('select count(*) from (select ordinal from statements group by document_id, ordinal having count(*) > 1)').pluck().get(),
      ).toBe(0);
    } finally {
      closeDatabase(database);
    }
  });

  it('fails a poison document after its attempts and a corrupt one at once, while the others complete', async () => {
    const folder = newTempFolder();
    const env = queueEnvironment(folder, { NTM_JOB_ATTEMPTS: '3' });
    const inbox = join(folder, 'inbox');
    const good = join(inbox, 'good.txt');
    const poison = join(inbox, 'poison.txt');
    mkdirSync(inbox);
    writeFileSync(poison, 'Xã Tân Lập đạt 15/19 tiêu chí.\n', { flag: 'w' });
    copyFileSync(join(seeds, '002_208071814d246b50.txt'), good);
    copyFileSync(projectPath('fixtures', 'bad', 'truncated.pdf'), join(inbox, 'truncated.pdf'));
    const ingest = start(['ingest', '--queue', '--workers', '0', inbox, '--db', join(folder, 'ntm.sqlite')], env);
    const pipeline = testPipeline();
    try {
      await waitFor('three waiting jobs', async () => (await pipeline.listJobs()).jobs.filter((job) => job.state === 'waiting').length === 3);
    } finally {
      await pipeline.close();
    }
    // The poison: its upload vanishes from the shared store, which a retry cannot fix.
    const blob = new BlobStore(join(folder, 'blobs')).uploadPath(BlobStore.sha256(readFileSync(poison)));
    rmSync(blob);
    await startWorker(env);
    expect(await ingest.exited).toBe(1);

    const rows = Object.fromEntries(documentRows(join(folder, 'ntm.sqlite')).map((row) => [row.file_name, row]));
    expect(rows['good.txt']?.status).toBe('done');
    expect(rows['poison.txt']).toMatchObject({ status: 'failed', error_reason: 'internal' });
    expect(rows['poison.txt']?.error).toMatch(/^Cannot process poison\.txt: ENOENT/);
    expect(rows['truncated.pdf']).toMatchObject({ status: 'failed', error_reason: 'corrupt' });

    const jobs = await ntm(['jobs'], env);
    expect(jobs.stdout).toMatch(/failed +extract +\S+ poison\.txt \(attempts 3\) — ENOENT/);
    expect(jobs.stdout).toMatch(/failed +extract +\S+ truncated\.pdf \(attempts 1\) — Cannot read truncated\.pdf: the PDF is damaged/);
  });

  it('keeps an upload as queued when Redis is down, and requeue finishes it once Redis is back', async () => {
    const folder = newTempFolder();
    const db = join(folder, 'ntm.sqlite');
    const down = await ntm(
      ['ingest', '--queue', join(seeds, '003_208c7acc8bb6c444.txt'), '--db', db],
      queueEnvironment(folder, { REDIS_URL: 'redis://127.0.0.1:1' }),
    );
    expect(down.code).toBe(2);
    expect(down.stderr).toContain('Cannot reach Redis at redis://127.0.0.1:1');
    expect(down.stderr).toContain('1 document(s) are stored and kept as queued; run "ntm requeue" when Redis is reachable.');
    expect(documentRows(db).map((row) => row.status)).toEqual(['queued']);
    const sha = BlobStore.sha256(readFileSync(join(seeds, '003_208c7acc8bb6c444.txt')));
    expect(existsSync(new BlobStore(join(folder, 'blobs')).uploadPath(sha))).toBe(true);

    const env = queueEnvironment(folder);
    const requeue = await ntm(['requeue', '--db', db], env);
    expect(requeue.stdout).toMatch(/added +003_208c7acc8bb6c444\.txt/);
    await startWorker(env);
    await startWorker(env, ['--persist', '--db', db]);
    await waitFor('the document to be done', () => documentRows(db)[0]?.status === 'done');
  });

  it('reads a document of an older rules version again on re-upload, written by the persist stage, the export unchanged', async () => {
    const folder = newTempFolder();
    const env = queueEnvironment(folder);
    const db = join(folder, 'ntm.sqlite');
    const file = join(seeds, '002_208071814d246b50.txt');
    expect((await ntm(['ingest', '--queue', '--workers', '1', file, '--db', db], env)).code).toBe(0);
    const before = await comparableExport(db);
    const database = openDatabase(db);
    database.$client.prepare("update documents set rules_version = 'older'").run();
    closeDatabase(database);

    const again = await ntm(['ingest', '--queue', '--workers', '1', file, '--db', db], env);
    expect(again.stdout).toMatch(/Documents: 0 new, 1 re-extracted, 0 unchanged, 0 failed/);
    expect(again.code).toBe(0);
    expect(await comparableExport(db)).toEqual(before);
    const reread = openDatabase(db);
    expect(reread.$client.prepare('select rules_version from documents').pluck().get()).toBe(RULES_VERSION);
    closeDatabase(reread);
  });

  it('stops a worker cleanly on SIGTERM', async () => {
    const worker = await startWorker(queueEnvironment(newTempFolder()));
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain('SIGTERM: no active job, exiting');
  });
});
