import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, openDatabase, StatementQueries } from '../../db/index.js';
import { loadConfig } from '../config.js';
import { goldDocumentSchema, scoreExport, SCORED_KINDS, type GoldDocument, type Score } from '../eval/gold-scoring.js';
import { embeddedIngestion } from '../pipeline/embedded-ingestion.js';
import { listInputFiles } from '../pipeline/list-input-files.js';
import { exportRecords } from '../report/export-writer.js';

export interface EvalOptions {
  minRecall: number;
  minPrecision: number;
  minConflictRecall: number;
  quiet?: boolean;
}

/**
 * Ingests `docsDir` into a throwaway database, scores its export against the gold files of
 * `goldDir`, prints recall and precision per kind with every miss and false positive, and
 * returns 0 only when the thresholds hold (1 below them).
 */
export async function runEval(docsDir: string, goldDir: string, options: EvalOptions): Promise<number> {
  const golds = await readGold(goldDir);
  const files = await listInputFiles([docsDir]);
  const scratch = await mkdtemp(join(tmpdir(), 'ntm-eval-'));
  const databasePath = join(scratch, 'eval.sqlite');
  const db = openDatabase(databasePath);
  try {
    const service = embeddedIngestion(db, databasePath, { ...loadConfig(), blobDirectory: join(scratch, 'blobs') });
    for (const file of files) {
      const outcome = await service.ingestFile(file);
      if (outcome.status === 'failed') process.stderr.write(`ntm eval: ${file} could not be ingested: ${outcome.error ?? 'unknown reason'}\n`);
    }
    const score = scoreExport(golds, exportRecords(new StatementQueries(db)));
    process.stdout.write(formatScore(score, options.quiet ?? false));
    const ok = score.recall >= options.minRecall && score.precision >= options.minPrecision && score.conflictRecall >= options.minConflictRecall;
    return ok ? 0 : 1;
  } finally {
    closeDatabase(db);
    await rm(scratch, { recursive: true, force: true });
  }
}

async function readGold(goldDir: string): Promise<GoldDocument[]> {
  const names = (await readdir(goldDir)).filter((name) => name.endsWith('.json')).sort();
  if (names.length === 0) throw new Error(`${goldDir} holds no gold files (*.json)`);
  return Promise.all(
    names.map(async (name) => {
      const path = join(goldDir, name);
      let raw: unknown;
      try {
        raw = JSON.parse(await readFile(path, 'utf8'));
      } catch (error) {
        throw new Error(`${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
      }
      const parsed = goldDocumentSchema.safeParse(raw);
      if (!parsed.success)
        throw new Error(`${path} is not a gold file: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top)'} ${issue.message}`).join('; ')}`);
      return parsed.data;
    }),
  );
}

export function formatScore(score: Score, quiet: boolean): string {
  const lines = SCORED_KINDS.map((kind) => {
    const { found, expected, extracted, repeated } = score.kinds[kind];
    return `${kind.padEnd(20)} recall ${found}/${expected}  precision ${found}/${extracted}  (+${repeated} repeated mentions)`;
  });
  lines.push(`${'conflicts'.padEnd(20)} recall ${score.conflicts.found}/${score.conflicts.expected}`);
  if (!quiet) {
    for (const miss of score.misses) lines.push(`MISS ${miss.doc} ${miss.kind} ${miss.text}`);
    for (const wrong of score.falsePositives) lines.push(`FP   ${wrong.doc} ${wrong.kind} ${wrong.text}`);
  }
  lines.push(
    `recall=${score.recall.toFixed(3)} precision=${score.precision.toFixed(3)} conflict_recall=${score.conflictRecall.toFixed(3)} docs=${score.documents} exported_docs=${score.exportedDocuments}`,
  );
  return `${lines.join('\n')}\n`;
}
