import { loadConfig } from '../../config.js';
import { ExtractionPool } from './extraction-pool.js';

let jobs: number | undefined;
let shared: ExtractionPool | undefined;

/**
 * The pool threads load the compiled worker (dist/…/extraction-worker.js). Under vitest the
 * sources run as TypeScript, which a worker thread cannot load: there extraction stays in the
 * calling thread (same functions, same results); the CLI and `ntm worker` run compiled code.
 */
const COMPILED = import.meta.url.endsWith('.js');

/** `ntm ingest --jobs N`: the pool's size, set before its first use. */
export function setExtractionJobs(count: number): void {
  jobs = count;
}

/** The process's extraction pool, started on first use (NTM_JOBS or --jobs threads); undefined when running from sources. */
export function sharedExtractionPool(): ExtractionPool | undefined {
  if (!COMPILED) return undefined;
  if (!shared) {
    const config = loadConfig();
    shared = new ExtractionPool(jobs ?? config.jobs, { workerHeapMb: config.workerHeapMb });
  }
  return shared;
}

/** Threads to keep busy: the pool's size, or the configured one before the pool starts. */
export function extractionJobs(): number {
  return shared?.jobs ?? jobs ?? loadConfig().jobs;
}

/** Stops the pool's threads (waiting for running tasks); the next use starts a new one. */
export async function closeSharedExtractionPool(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}
