import cliProgress from 'cli-progress';
import { closeDatabase } from '../../db/index.js';
import { isStorageError, StorageError } from '../errors/storage.error.js';
import { embeddedIngestion } from '../pipeline/embedded-ingestion.js';
import { closeSharedExtractionPool, extractionJobs } from '../pipeline/pool/shared-pool.js';
import type { IngestOutcome } from '../pipeline/ingest.service.js';
import { walkInputs, type InputProblem } from '../pipeline/list-input-files.js';
import { outcomeLine, summaryLine } from './ingest-output.js';
import { openCommandDatabase } from './open-database.js';
import { terminalText } from './terminal-text.js';

/** Exit codes of `ntm ingest`, for scripts. */
export const IngestExit = { Ok: 0, SomeFailed: 1, CommandError: 2, StorageFailed: 3 } as const;

/** A path that was not ingested, as an outcome line (no document: nothing was read). */
export function problemOutcome(problem: InputProblem): IngestOutcome {
  return { path: problem.path, status: problem.status, documentId: null, statements: 0, flags: 0, error: problem.message };
}

/**
 * Ingests every file; the exit code is 0 only if every one was ingested, 1 if some failed,
 * 3 if storage failed (disk full…) and the batch stopped there.
 */
export async function runIngest(paths: string[], options: { db?: string }): Promise<number> {
  const { files, problems } = await walkInputs(paths);
  const { db, config, databasePath } = openCommandDatabase(options);
  const service = embeddedIngestion(db, databasePath, config);
  const progress = process.stderr.isTTY
    ? new cliProgress.SingleBar({ format: 'ingest [{bar}] {value}/{total} {file}', stream: process.stderr }, cliProgress.Presets.shades_classic)
    : null;
  const outcomes: IngestOutcome[] = problems.map(problemOutcome);
  for (const outcome of outcomes) process.stdout.write(`${outcomeLine(outcome)}\n`);
  progress?.start(files.length, 0, { file: '' });
  let stopped: StorageError | undefined;
  // One file more at once than the extraction pool has threads: that file is read (which pages
  // are scans) while the others' pages are recognised, so a thread coming free finds its pages
  // queued rather than waiting for them (27 scanned pages on 2 threads: 32.6–33.8 → 30.2–31.2 s).
  // Outcomes are still printed (and documents numbered: IngestService registers in turn) in order.
  const done: Array<IngestOutcome | undefined> = [];
  let [next, printed] = [0, 0];
  const ingestNext = async (): Promise<void> => {
    while (!stopped && next < files.length) {
      const index = next++;
      const file = files[index]!;
      try {
        done[index] = await service.ingestFile(file);
      } catch (error) {
        if (!isStorageError(error)) throw error;
        // Files started before this one may still finish; the rest are not attempted.
        stopped ??= new StorageError(file.path, files.length - index - 1, error);
        return;
      }
      if (progress) progress.increment({ file: terminalText(file.path) });
      for (; done[printed]; printed++) {
        outcomes.push(done[printed]!);
        if (!progress) process.stdout.write(`${outcomeLine(done[printed]!)}\n`);
      }
    }
  };
  try {
    // Settled, not Promise.all: the database closes only once no file is still being stored.
    const runs = await Promise.allSettled(Array.from({ length: Math.min(files.length, extractionJobs() + 1) }, ingestNext));
    const crashed = runs.find((run) => run.status === 'rejected');
    if (crashed) throw crashed.reason;
  } finally {
    progress?.stop();
    closeDatabase(db);
    await closeSharedExtractionPool();
  }
  if (progress) for (const outcome of outcomes.slice(problems.length).filter((o) => o.status === 'failed')) process.stdout.write(`${outcomeLine(outcome)}\n`);
  process.stdout.write(`${summaryLine(outcomes)}\n`);
  if (stopped) {
    process.stderr.write(`ntm: ${stopped.message}\n`);
    return IngestExit.StorageFailed;
  }
  return outcomes.some((outcome) => outcome.status === 'failed') ? IngestExit.SomeFailed : IngestExit.Ok;
}
