import cliProgress from 'cli-progress';
import { closeDatabase } from '../../db/index.js';
import { embeddedIngestion } from '../pipeline/embedded-ingestion.js';
import type { IngestOutcome } from '../pipeline/ingest.service.js';
import { listInputFiles } from '../pipeline/list-input-files.js';
import { outcomeLine, summaryLine } from './ingest-output.js';
import { openCommandDatabase } from './open-database.js';
import { terminalText } from './terminal-text.js';

/** Ingests every file; the exit code is 0 only if every one was ingested. */
export async function runIngest(paths: string[], options: { db?: string }): Promise<number> {
  const files = await listInputFiles(paths);
  const { db, config, databasePath } = openCommandDatabase(options);
  const service = embeddedIngestion(db, databasePath, config);
  const progress = process.stderr.isTTY ? new cliProgress.SingleBar({ format: 'ingest [{bar}] {value}/{total} {file}', stream: process.stderr }, cliProgress.Presets.shades_classic) : null;
  progress?.start(files.length, 0, { file: '' });
  const outcomes: IngestOutcome[] = [];
  try {
    for (const file of files) {
      const outcome = await service.ingestFile(file);
      outcomes.push(outcome);
      if (progress) progress.increment({ file: terminalText(file) });
      else process.stdout.write(`${outcomeLine(outcome)}\n`);
    }
  } finally {
    progress?.stop();
    closeDatabase(db);
  }
  if (progress) for (const outcome of outcomes.filter((o) => o.status === 'failed')) process.stdout.write(`${outcomeLine(outcome)}\n`);
  process.stdout.write(`${summaryLine(outcomes)}\n`);
  return outcomes.some((outcome) => outcome.status === 'failed') ? 1 : 0;
}
