#!/usr/bin/env node
import { Command, Option } from 'commander';
import { runExport } from './cli/export.command.js';
import { runIngest } from './cli/ingest.command.js';
import { runReport } from './cli/report.command.js';

const program = new Command('ntm')
  .description('Turn nông thôn mới documents into a cited database of each commune\'s criteria status')
  .showHelpAfterError();

const dbOption = () => new Option('--db <path>', 'SQLite file (default: $NTM_DB, else ./data/ntm.sqlite)');

program
  .command('ingest')
  .description('read files and folders (recursively) into the database')
  .argument('<paths...>', 'files or folders')
  .addOption(dbOption())
  .action(async (paths: string[], options: { db?: string }) => {
    process.exitCode = await runIngest(paths, options);
  });

program
  .command('report')
  .description('per commune: level, met/total, as-of, criteria lists and sources; then flags')
  .addOption(dbOption())
  .action((options: { db?: string }) => {
    runReport(options);
  });

program
  .command('export')
  .description('every statement and flag in the export contract (see README)')
  .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'csv']).default('jsonl'))
  .addOption(dbOption())
  .action((options: { db?: string; format: 'jsonl' | 'csv' }) => {
    runExport(options);
  });

await program.parseAsync();
