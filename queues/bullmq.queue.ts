import { Job, Queue, QueueEvents, UnrecoverableError, Worker } from 'bullmq';
import { isInvalidJobError } from './invalid-job.error.js';
import { JobName, jobIdFor, parsePayload, QueueOfJob, type AnyJob, type JobHandler, type JobHandlers, type JobPayload } from './job-catalogue.js';
import type { JobQueue, QueuePolicy } from './job-queue.js';
import { ProgressThrottle } from './progress-throttle.js';
import { assertRedisReachable, producerConnection, workerConnection } from './redis-connection.js';

export type StageQueue = 'extract' | 'persist';

export interface BullmqSettings extends QueuePolicy {
  url: string;
  /** Prefix of every key; one per deployment. */
  prefix: string;
  /** Lock duration for workers, in ms: a dead worker's job is picked up again after about this long. */
  lockMs: number;
  /** How a stage's worker reports its errors (connection lost…); default: every one on stderr. */
  onWorkerError?: (stage: StageQueue) => (error: Error) => void;
}

export interface JobSummary {
  queue: StageQueue;
  id: string;
  name: string;
  state: string;
  attemptsMade: number;
  failedReason: string | null;
  progress: unknown;
  data: unknown;
}

const QUEUE_NAMES: Record<StageQueue, string> = { extract: 'extract', persist: 'persist' };

/** A job's progress goes to Redis at most this often, and not in its first interval (see ProgressThrottle). */
export const PROGRESS_INTERVAL_MS = 250;

/** Persist jobs a process holds at once: they are written together, in one transaction per turn of its event loop. */
export const PERSIST_JOBS_AT_ONCE = 16;

/**
 * The one module that talks to BullMQ: enqueues pipeline jobs with deterministic ids, runs
 * workers that call the pipeline's handlers and enqueue the job each handler names next, and
 * lists jobs. Unusable input fails at once (UnrecoverableError); anything else is retried
 * with exponential backoff.
 */
export class BullmqPipeline implements JobQueue {
  private readonly queues = new Map<StageQueue, Queue>();
  private readonly workers: Worker[] = [];

  constructor(private readonly settings: BullmqSettings) {}

  /** Fails fast with a clear RedisUnavailableError when Redis does not answer. */
  async connect(): Promise<void> {
    await assertRedisReachable(this.settings.url);
  }

  async enqueue(job: AnyJob): Promise<void> {
    await this.queue(QueueOfJob[job.name]).add(job.name, job.payload, this.jobOptions(job));
  }

  /** Enqueues many jobs of one stage in one round trip to Redis (a batch of uploads). */
  async enqueueMany(jobs: readonly AnyJob[]): Promise<void> {
    const byStage = new Map<StageQueue, AnyJob[]>();
    for (const job of jobs) byStage.set(QueueOfJob[job.name], [...(byStage.get(QueueOfJob[job.name]) ?? []), job]);
    for (const [stage, stageJobs] of byStage) {
      await this.queue(stage).addBulk(stageJobs.map((job) => ({ name: job.name, data: job.payload, opts: this.jobOptions(job) })));
    }
  }

  private jobOptions(job: AnyJob) {
    return {
      jobId: jobIdFor(job),
      attempts: this.settings.attempts,
      backoff: { type: 'exponential', delay: this.settings.backoffMs },
      removeOnComplete: true, // so a later requeue of the same document can add the id again
      removeOnFail: false, // failed jobs are kept and listed with their reasons
    };
  }

  /** Re-enqueues a job: retries it if it failed, leaves it if it is still pending, adds it otherwise. */
  async requeue(job: AnyJob): Promise<'retried' | 'pending' | 'added'> {
    const existing = await this.queue(QueueOfJob[job.name]).getJob(jobIdFor(job));
    const state = existing ? await existing.getState() : null;
    if (existing && state === 'failed') {
      await existing.retry('failed');
      return 'retried';
    }
    if (existing && state !== 'completed' && state !== 'unknown') return 'pending';
    if (existing) await existing.remove();
    await this.enqueue(job);
    return 'added';
  }

  /**
   * Starts workers for the given stages. Each calls its job's handler and enqueues what the
   * handler returns; a job that fails for good gets its handler's `failed` job enqueued too.
   */
  startWorkers(handlers: JobHandlers, stages: StageQueue[], concurrency: number): Worker[] {
    for (const name of Object.values(JobName)) if (!handlers[name]) throw new Error(`No handler for job ${name}`);
    for (const stage of stages) {
      const worker = new Worker(QUEUE_NAMES[stage], (job, token) => this.process(handlers, job, token), {
        connection: workerConnection(this.settings.url),
        prefix: this.settings.prefix,
        // The persist stage takes several jobs at once so the pipeline can write them in one
        // transaction; its writes stay serial (one SQLite connection, synchronous).
        concurrency: stage === 'persist' ? PERSIST_JOBS_AT_ONCE : concurrency,
        lockDuration: this.settings.lockMs,
        stalledInterval: Math.max(1000, Math.round(this.settings.lockMs / 2)),
        maxStalledCount: this.settings.attempts, // a killed worker's job is taken up again, not failed
      });
      const logError = this.settings.onWorkerError?.(stage) ?? ((error: Error) => console.error(`worker ${stage}: ${error.message}`));
      worker.on('error', logError);
      this.workers.push(worker);
    }
    return this.workers;
  }

  /** Jobs this process is running now. */
  activeJobs(): number {
    return this.running;
  }

  private running = 0;

  private async process(handlers: JobHandlers, job: Job, token: string | undefined): Promise<{ next: string | null }> {
    this.running += 1;
    try {
      return await this.processJob(handlers, job, token);
    } finally {
      this.running -= 1;
    }
  }

  private async processJob(handlers: JobHandlers, job: Job, token: string | undefined): Promise<{ next: string | null }> {
    const name = job.name as JobName;
    let payload: JobPayload<JobName>;
    try {
      payload = parsePayload(name, job.data);
    } catch (error) {
      // A message no handler can take (unknown name, refused payload) fails once, with its reason, and nothing is recorded against a document.
      throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    }
    const handler = handlers[name] as JobHandler<JobName>;
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const progress = new ProgressThrottle((value) => job.updateProgress(value), PROGRESS_INTERVAL_MS);
    try {
      const next = await handler.run(payload, { reportProgress: async (value) => progress.report(value), finalAttempt }).finally(() => progress.stop());
      // Still ours? A job whose lock lapsed (its worker's event loop held longer than the lock) has been handed to
      // another worker: that one enqueues the next stage, so each document is persisted once, not once per run.
      // Asking Redis costs a round trip; a job taken less than half a lock ago holds it for certain.
      if (next && token && !surelyLocked(job, this.settings.lockMs) && (await job.extendLock(token, this.settings.lockMs)) !== 1) {
        throw new Error(`lost the lock of job ${job.id} while running it (held past ${this.settings.lockMs} ms); another worker runs it again`);
      }
      if (next) await this.enqueue(next);
      return { next: next ? jobIdFor(next) : null };
    } catch (error) {
      if (isInvalidJobError(error)) throw new UnrecoverableError(error.message);
      const unrecoverable = this.settings.failures.isUnrecoverable(error);
      if (unrecoverable || finalAttempt) {
        const record = handler.failed?.(payload, error);
        if (record) await this.enqueue(record);
      }
      if (unrecoverable) throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  /** Counts and the jobs waiting, active, delayed or failed, with their failure reasons. */
  async listJobs(): Promise<{ counts: Record<StageQueue, Record<string, number>>; jobs: JobSummary[] }> {
    const counts = {} as Record<StageQueue, Record<string, number>>;
    const jobs: JobSummary[] = [];
    for (const stage of Object.keys(QUEUE_NAMES) as StageQueue[]) {
      const queue = this.queue(stage);
      counts[stage] = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'waiting-children');
      for (const state of ['active', 'waiting', 'delayed', 'failed'] as const) {
        // One job at a time: BullMQ's getJobs parses every job's data, and one that is not JSON would hide all the others.
        for (const id of await queue.getRanges([state], 0, 999)) {
          let job: Job | undefined;
          try {
            job = await Job.fromId(queue, id);
          } catch (error) {
            jobs.push({
              queue: stage,
              id,
              name: '?',
              state,
              attemptsMade: 0,
              failedReason: `unreadable job: ${error instanceof Error ? error.message : String(error)}`,
              progress: null,
              data: null,
            });
            continue;
          }
          if (!job) continue;
          jobs.push({
            queue: stage,
            id: job.id ?? id,
            name: job.name,
            state,
            attemptsMade: job.attemptsMade,
            failedReason: job.failedReason ?? null,
            progress: job.progress,
            data: job.data,
          });
        }
      }
    }
    return { counts, jobs };
  }

  /** Events of a stage's queue (progress, completed, failed), for progress displays. */
  events(stage: StageQueue): QueueEvents {
    return new QueueEvents(QUEUE_NAMES[stage], { connection: workerConnection(this.settings.url), prefix: this.settings.prefix });
  }

  /** Removes every key of this deployment's queues (tests, or starting over). */
  async obliterate(): Promise<void> {
    for (const stage of Object.keys(QUEUE_NAMES) as StageQueue[]) await this.queue(stage).obliterate({ force: true });
  }

  /** Finishes active jobs, then disconnects: what SIGTERM and SIGINT call. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }

  private queue(stage: StageQueue): Queue {
    let queue = this.queues.get(stage);
    if (!queue) {
      queue = new Queue(QUEUE_NAMES[stage], { connection: producerConnection(this.settings.url), prefix: this.settings.prefix });
      queue.on('error', () => {}); // producers report failures through rejected promises
      this.queues.set(stage, queue);
    }
    return queue;
  }
}

/**
 * Whether a running job certainly still holds its lock, without asking Redis: BullMQ set the lock
 * for `lockMs` when it handed the job over, no earlier than `processedOn` (this process's clock,
 * read when it asked for the job). Half a lock of margin covers the time the answer took and a
 * small clock adjustment; past that, only Redis can tell.
 */
export function surelyLocked(job: Pick<Job, 'processedOn'>, lockMs: number, now = Date.now()): boolean {
  return job.processedOn !== undefined && now - job.processedOn < lockMs / 2;
}
