import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BullmqPipeline } from '../queues/bullmq.queue.js';
import { redisOptionsFromUrl } from '../queues/redis-connection.js';
import { projectPath } from '../extractors/util/project-root.js';
import { useQueueDeployment } from './support/queue-deployment.js';
import { startOwnRedis } from './support/redis-server.js';
import { ntm, startNtm, waitFor, type RunningCli } from './support/run-cli.js';
import { useTempFolder } from './support/temp-folder.js';

const newTempFolder = useTempFolder();
const seed = projectPath('fixtures', 'seeds', '002_208071814d246b50.txt');

const deployment = useQueueDeployment();
const environment = deployment.environment;

/** A raw BullMQ queue, as anyone with access to Redis could write to it: nothing checks what is added. */
function rawQueue(name: 'extract' | 'persist'): Queue {
  return deployment.closeAfter(new Queue(name, { connection: redisOptionsFromUrl(deployment.redisUrl), prefix: deployment.prefix }));
}

function snapshot(db: string): string {
  const client = new BetterSqlite3(db, { readonly: true });
  try {
    return JSON.stringify([
      client.prepare('select id, sha256, status, error, file_name from documents order by id').all(),
      client.prepare('select document_id, page_no, text from pages order by document_id, page_no').all(),
      client.prepare('select count(*) as n from statements').get(),
    ]);
  } finally {
    client.close();
  }
}

describe('queue messages are input too', () => {
  it('fails forged persist jobs at once with a one-line reason and changes nothing stored', async () => {
    const folder = newTempFolder();
    const db = join(folder, 'ntm.sqlite');
    expect((await ntm(['ingest', seed, '--db', db])).code).toBe(0);
    const client = new BetterSqlite3(db, { readonly: true });
    const { id, sha256 } = client.prepare('select id, sha256 from documents').get() as { id: number; sha256: string };
    client.close();
    const before = snapshot(db);
    // A "result" outside the blob store that would replace the document's pages.
    writeFileSync(
      join(folder, 'forged.json'),
      JSON.stringify({
        fileKind: 'txt',
        mime: 'text/plain',
        pages: [{ page: 1, text: 'forged', hasTextLayer: true }],
        extraction: { statements: [], flags: [], metadata: {} },
        rulesVersion: '3',
      }),
    );

    const persist = rawQueue('persist');
    const options = { attempts: 3, backoff: { type: 'fixed', delay: 100 } };
    await persist.add('persist-document', { outcome: 'extracted', documentId: id, sha256, resultKey: '../../forged' }, { ...options, jobId: 'traversal' });
    await persist.add(
      'persist-document',
      { outcome: 'extracted', documentId: id, sha256, resultKey: `${sha256}.rules-3/../../../forged` },
      { ...options, jobId: 'traversal-2' },
    );
    await persist.add('drop-everything', { documentId: id }, { ...options, jobId: 'unknown-name' });
    await persist.add('persist-document', { outcome: 'failed', documentId: 'one', sha256, reason: 'x', message: 'y' }, { ...options, jobId: 'bad-payload' });
    await persist.add(
      'persist-document',
      { outcome: 'failed', documentId: 999, sha256: 'ab'.repeat(32), reason: 'corrupt', message: 'forged failure' },
      { ...options, jobId: 'missing-document' },
    );
    await persist.add(
      'persist-document',
      { outcome: 'failed', documentId: id, sha256: 'cd'.repeat(32), reason: 'corrupt', message: 'forged failure' },
      { ...options, jobId: 'wrong-hash' },
    );

    const env = environment(folder);
    const worker = startNtm(['worker', '--persist', '--db', db], env);
    deployment.track(worker);
    const failed = async () => (await persist.getFailed()).length;
    await waitFor('six failed jobs', async () => (await failed()) === 6, 30_000);

    const byId = Object.fromEntries((await persist.getFailed()).map((job) => [job.id, job]));
    for (const job of Object.values(byId)) {
      expect(job.attemptsMade, job.id).toBe(1); // not retried
      expect(job.failedReason, job.id).not.toContain('\n');
    }
    expect(byId['traversal']!.failedReason).toBe('invalid persist-document payload (resultKey: a result key "<sha256>.rules-<version>")');
    expect(byId['traversal-2']!.failedReason).toContain('invalid persist-document payload (resultKey');
    expect(byId['unknown-name']!.failedReason).toBe('unknown job name "drop-everything"');
    expect(byId['bad-payload']!.failedReason).toMatch(/^invalid persist-document payload \(documentId: /);
    expect(byId['missing-document']!.failedReason).toBe(`document 999 with SHA-256 ${'ab'.repeat(32)} is not in this database: nothing persisted`);
    expect(byId['wrong-hash']!.failedReason).toContain(`document ${id} with SHA-256 ${'cd'.repeat(32)} is not in this database`);
    expect(snapshot(db)).toBe(before);

    const jobs = await ntm(['jobs'], env);
    expect(jobs.code).toBe(0);
    expect(jobs.stdout).toMatch(/failed +persist +unknown-name \(attempts 1\) — unknown job name "drop-everything"/);
  });

  it("lists jobs when one job's data is not JSON", async () => {
    const folder = newTempFolder();
    const extract = rawQueue('extract');
    await extract.add('extract-document', { documentId: 1, sha256: 'ab'.repeat(32), fileName: 'one.txt' }, { jobId: 'good' });
    await extract.add('extract-document', { documentId: 2, sha256: 'cd'.repeat(32), fileName: 'two.txt' }, { jobId: 'broken' });
    const client = new Redis(redisOptionsFromUrl(deployment.redisUrl));
    try {
      await client.hset(`${deployment.prefix}:extract:broken`, 'data', '{"documentId": 2, "fileName": "two.txt"');
    } finally {
      client.disconnect();
    }
    const jobs = await ntm(['jobs'], environment(folder));
    expect(jobs.stderr).toBe('');
    expect(jobs.code).toBe(0);
    expect(jobs.stdout).toMatch(/waiting +extract +good one\.txt \(attempts 0\)/);
    expect(jobs.stdout).toMatch(/waiting +extract +broken \(attempts 0\) — unreadable job: .*JSON/);
  });
});

describe('a worker whose Redis is gone', () => {
  it('exits at once on SIGTERM with no active job, and does not flood its log', async () => {
    const own = await startOwnRedis();
    const folder = newTempFolder();
    const worker = startNtm(['worker'], { ...environment(folder), REDIS_URL: own.url });
    deployment.track(worker);
    try {
      await waitFor('the worker to be ready', () => worker.output().includes('worker ready'));
    } finally {
      await own.stop();
    }
    await waitFor('the worker to notice', () => /ECONNREFUSED|Connection is closed/.test(worker.output()), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const started = Date.now();
    worker.child.kill('SIGTERM');
    const code = await Promise.race([worker.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 15_000))]);
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(worker.output()).toContain('SIGTERM: no active job, exiting');
    // Two seconds of outage: a handful of lines, not one per reconnection attempt.
    expect(
      worker
        .output()
        .split('\n')
        .filter((line) => /ECONNREFUSED/.test(line)).length,
    ).toBeLessThanOrEqual(3);
  });

  it('exits after NTM_WORKER_GRACE_MS when a job is still running', async () => {
    const own = await startOwnRedis();
    const folder = newTempFolder();
    const env = { ...environment(folder), REDIS_URL: own.url, NTM_WORKER_GRACE_MS: '1500' };
    try {
      // A scanned PDF: OCR keeps the job active for many seconds.
      const ingest = startNtm(
        ['ingest', '--queue', '--workers', '0', projectPath('fixtures', 'scanned', '002_208071814d246b50.scan.pdf'), '--db', join(folder, 'ntm.sqlite')],
        env,
      );
      deployment.track(ingest);
      const worker = startNtm(['worker'], env);
      deployment.track(worker);
      const pipeline = deployment.pipeline(own.url);
      try {
        await waitFor(
          'the OCR job to be active',
          async () => (await pipeline.listJobs()).jobs.some((job) => job.state === 'active' && job.queue === 'extract'),
          30_000,
        );
      } finally {
        await pipeline.close();
      }
      await own.stop();
      const started = Date.now();
      worker.child.kill('SIGTERM');
      const code = await Promise.race([worker.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 15_000))]);
      expect(code).toBe(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
      expect(worker.output()).toContain('SIGTERM: finishing 1 active job(s) for up to 2 s, then exiting');
      expect(worker.output()).toContain('SIGTERM: grace period over with 1 job(s) unfinished; another worker will take them up');
    } finally {
      await own.stop();
    }
  });
});
