#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
// Each command's module is imported when the command runs: `ntm ingest` need not load the
// server, the queue client and the exports first (~0.4 s of every run).
import type { ReportOptions } from './cli/report.command.js';
import type { CoverageOptions } from './cli/coverage.command.js';
import type { ExportFormat } from './report/export-writer.js';
import { loadConfig } from './config.js';
import { printErr } from './cli/terminal-text.js';

const program = new Command('ntm').description("Turn nông thôn mới documents into a cited database of each commune's criteria status").showHelpAfterError();

const dbOption = () => new Option('--db <path>', 'SQLite file (default: $NTM_DB, else ./data/ntm.sqlite)');

const count = (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new InvalidArgumentError('a whole number is needed');
  return number;
};

const threads = (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 256) throw new InvalidArgumentError('a whole number of threads from 1 to 256 is needed');
  return number;
};

program
  .command('ingest')
  .description('read files and folders (recursively) into the database; on BullMQ with --queue or when REDIS_URL is set')
  .argument('<paths...>', 'files or folders')
  .addOption(dbOption())
  .option('--queue', 'enqueue on BullMQ (REDIS_URL) for workers, and wait until every document is done')
  .option('--workers <n>', 'with --queue: extraction workers in this process besides any `ntm worker`', count, 1)
  .option('--timeout <seconds>', 'with --queue: stop waiting after this long (0: wait until done)', count, 0)
  .option('--jobs <n>', 'threads reading, recognising (OCR) and extracting at once (default: NTM_JOBS, else the number of cores)', threads)
  .action(async (paths: string[], options: { db?: string; queue?: boolean; workers: number; timeout: number; jobs?: number }) => {
    if (options.jobs !== undefined) (await import('./pipeline/pool/shared-pool.js')).setExtractionJobs(options.jobs);
    if (options.queue || loadConfig().redisUrl) {
      const { runQueuedIngest } = await import('./cli/queued-ingest.command.js');
      process.exitCode = await runQueuedIngest(paths, options);
    } else {
      // The extraction threads start first: they load their modules while this thread loads the command's and opens the database.
      (await import('./pipeline/pool/shared-pool.js')).sharedExtractionPool();
      const { runIngest } = await import('./cli/ingest.command.js');
      process.exitCode = await runIngest(paths, options);
    }
  });

program
  .command('worker')
  .description('run BullMQ workers (REDIS_URL): extraction, or with --persist the database writer')
  .addOption(dbOption())
  .option('--concurrency <n>', 'documents at once in this process (default: the extraction threads, NTM_JOBS)', count)
  .option('--persist', 'run the persist stage (the single SQLite writer) instead of extraction')
  .action(async (options: { db?: string; concurrency?: number; persist?: boolean }) => {
    await (await import('./cli/worker.command.js')).runWorker({ ...options, persist: Boolean(options.persist) });
  });

program
  .command('jobs')
  .description('list waiting, active and failed jobs with their reasons (REDIS_URL)')
  .action(async () => {
    await (await import('./cli/jobs.command.js')).runJobs();
  });

program
  .command('requeue')
  .description('put every document that is not done (or one) back on the queue (REDIS_URL)')
  .addOption(dbOption())
  .option('--document <id|sha256>', 'only this document')
  .action(async (options: { db?: string; document?: string }) => {
    process.exitCode = await (await import('./cli/requeue.command.js')).runRequeue(options);
  });

program
  .command('report')
  .description('per commune: level, met/total, as-of, criteria lists and sources; then flags. With --district or --province: the standard status table')
  .option('--district <name>', 'the status table of the districts of this name')
  .option('--province <name>', 'the status table of every district of this province')
  .addOption(
    new Option('--format <format>', 'output format (xlsx, docx, csv need --district or --province)').choices(['text', 'csv', 'xlsx', 'docx']).default('text'),
  )
  .option('--as-of <date>', 'the claims standing on this day (YYYY-MM-DD); undated claims are left out')
  .option('--older-than <age>', 'xlsx coverage sheet: a latest count older than this is stale (12m, 90d, 2y)', '12m')
  .option('--out <file>', 'write to this file instead of stdout')
  .option('--bom', 'csv: start with a UTF-8 byte-order mark, for Excel')
  .addOption(dbOption())
  .action(async (options: ReportOptions) => {
    process.exitCode = await (await import('./cli/report.command.js')).runReport(options);
  });

program
  .command('coverage')
  .description('every xã of the area with its latest standing count: those with none or a stale one first')
  .option('--province <name>', 'every district of this province')
  .option('--district <name>', 'only the districts of this name')
  .option('--older-than <age>', 'a latest count older than this is stale (12m, 90d, 2y)', '12m')
  .option('--as-of <date>', 'counts standing on this day (YYYY-MM-DD), and age measured from it')
  .addOption(new Option('--format <format>', 'output format').choices(['text', 'csv']).default('text'))
  .option('--out <file>', 'write to this file instead of stdout')
  .option('--bom', 'csv: start with a UTF-8 byte-order mark, for Excel')
  .addOption(dbOption())
  .action(async (options: CoverageOptions) => {
    process.exitCode = await (await import('./cli/coverage.command.js')).runCoverage(options);
  });

program
  .command('status')
  .description("each commune's counts and criteria over time, the claim that stands marked, with the file, page and quote of every figure")
  .option('--commune <name>', 'only communes of this name (current or former; diacritics optional)')
  .option('--district <name>', 'only communes of districts of this name')
  .addOption(dbOption())
  .action(async (options: { db?: string; commune?: string; district?: string }) => {
    process.exitCode = (await import('./cli/status.command.js')).runStatus(options);
  });

program
  .command('export')
  .description('every statement and flag in the export contract (see README)')
  .addOption(
    new Option('--format <format>', 'output format (gold: the reviewed documents as docs/ + gold/ for ntm eval)')
      .choices(['jsonl', 'csv', 'xlsx', 'gold'])
      .default('jsonl'),
  )
  .option('--bom', 'csv: start with a UTF-8 byte-order mark, for Excel')
  .option('--out <file>', 'write to this file instead of stdout (xlsx is not written to a terminal); gold: a folder')
  .option('--reviewed', 'gold: the documents a reviewer acted on')
  .addOption(dbOption())
  .action(async (options: { db?: string; format: ExportFormat | 'gold'; bom?: boolean; out?: string; reviewed?: boolean }) => {
    await (await import('./cli/export.command.js')).runExport(options);
  });

const share = (value: string) => {
  const number = Number(value);
  if (!(number >= 0 && number <= 1)) throw new InvalidArgumentError('a number from 0 to 1 is needed');
  return number;
};

program
  .command('eval')
  .description('ingest documents into a throwaway database and score the export against gold statements (exit 1 below the thresholds)')
  .argument('<docs-dir>', 'documents, read recursively; a gold file ID.json scores the documents whose file name starts with ID')
  .argument('<gold-dir>', 'gold files (*.json) in the evaluation format (README, "Measuring extraction")')
  .option('--min-recall <r>', 'fail below this recall over commune counts, criteria and indicator lists, aggregates', share, 0)
  .option('--min-precision <p>', 'fail below this precision', share, 0)
  .option('--min-conflict-recall <c>', 'fail below this share of gold conflicts found', share, 0)
  .option('--quiet', 'print the figures only, not every miss and false positive')
  .action(async (docs: string, gold: string, options: { minRecall: number; minPrecision: number; minConflictRecall: number; quiet?: boolean }) => {
    process.exitCode = await (await import('./cli/eval.command.js')).runEval(docs, gold, options);
  });

const token = program.command('token').description('API tokens of `ntm serve` (roles: uploader, reviewer, reader, admin)');
token
  .command('create')
  .description('create a token; its secret is printed once, only its hash is stored')
  .requiredOption('--role <role>', 'uploader, reviewer, reader or admin')
  .requiredOption('--name <name>', 'who holds it (recorded as the reviewer of every action)')
  .addOption(dbOption())
  .action(async (options: { db?: string; role: string; name: string }) => {
    process.exitCode = (await import('./cli/token.command.js')).runTokenCreate(options);
  });
token
  .command('revoke')
  .description('revoke the token of this name')
  .argument('<name>')
  .addOption(dbOption())
  .action(async (name: string, options: { db?: string }) => {
    process.exitCode = (await import('./cli/token.command.js')).runTokenRevoke(name, options);
  });

program
  .command('serve')
  .description('the HTTP API and the review page (tokens: ntm token create)')
  .option('--port <n>', 'port', count, 8080)
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .addOption(dbOption())
  .action(async (options: { db?: string; port: number; host: string }) => {
    await (await import('./cli/serve.command.js')).runServe(options);
  });

try {
  await program.parseAsync();
} catch (error) {
  // Expected failures (no Redis, a missing document) read as one line, not a stack trace.
  printErr(`ntm: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
