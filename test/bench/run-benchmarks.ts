// npm run bench: speed figures as ratios against baselines measured in the same process, so
// they mean the same on a slow or a busy machine. Run from compiled JavaScript (see MEASURED.md).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { closeDatabase, openDatabase } from '../../db/index.js';
import { extractStatements } from '../../extractors/extract-statements.js';
import { embeddedIngestion } from '../../src/pipeline/embedded-ingestion.js';
import { DEFAULT_MAX_BYTES } from '../../src/text/extract-text.js';
import { readPdfPages } from '../../src/text/read-pdf-pages.js';
import { projectPath } from '../../extractors/util/project-root.js';
import { pathologicalInputs } from './pathological-inputs.js';
import { queueBenchmark } from './queue-benchmark.js';
import { scanThroughput } from './scan-throughput.js';
import { closeSharedExtractionPool } from '../../src/pipeline/pool/shared-pool.js';
import { tableBenchmark } from './table-benchmark.js';

const seedsFolder = projectPath('fixtures', 'seeds');
const seedFiles = (extension: string) =>
  readdirSync(seedsFolder)
    .filter((file) => /^\d{3}_[0-9a-f]+\./.test(file) && file.endsWith(`.${extension}`) && !file.includes('.utf16.'))
    .map((file) => join(seedsFolder, file));
const MIB = 1024 * 1024;

function time(run: () => void): number {
  const start = performance.now();
  run();
  return (performance.now() - start) / 1000;
}

async function timeAsync(run: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

function line(label: string, value: string): void {
  console.log(`${label.padEnd(52)} ${value}`);
}

/** Rules over ≥ 50 MB of seed text, document by document, against one bare regex scan of it; returns seconds per MiB. */
function extractionThroughput(): number {
  const seeds = seedFiles('txt').map((file) => readFileSync(file, 'utf8'));
  const documents: string[] = [];
  let bytes = 0;
  while (bytes < 50 * MIB) {
    const text = seeds[documents.length % seeds.length] ?? '';
    documents.push(text);
    bytes += Buffer.byteLength(text);
  }
  const floorPattern = /đạt\s+(\d{1,2})\s*\/\s*(\d{1,2})\s+tiêu chí/gu;
  let floorMatches = 0;
  const floor = time(() => {
    for (const text of documents) for (const _match of text.matchAll(floorPattern)) floorMatches += 1;
  });
  let statements = 0;
  const rules = time(() => {
    for (const text of documents) statements += extractStatements([{ page: 1, text, hasTextLayer: true }]).statements.length;
  });
  const mib = bytes / MIB;
  console.log('\n# Extraction over document text');
  line(`text: ${documents.length} documents`, `${mib.toFixed(1)} MiB`);
  line('floor: one bare regex scan', `${(mib / floor).toFixed(0)} MiB/s (${floorMatches} matches)`);
  line('all rules + consistency checks', `${(mib / rules).toFixed(1)} MiB/s (${statements} statements)`);
  line('ratio rules / floor (time)', `${(rules / floor).toFixed(1)}x`);
  return rules / mib;
}

/** Whole ingestion (read, hash, sniff, parse, extract, store) into a fresh SQLite file per round. */
async function ingestionRates(): Promise<void> {
  console.log('\n# Ingestion, documents per second (5 seeds per round, fresh database each round)');
  const rates: Record<string, number> = {};
  for (const format of ['txt', 'docx', 'pdf']) {
    const files = seedFiles(format);
    const rounds = format === 'pdf' ? 6 : 10;
    let seconds = 0;
    for (let round = 0; round <= rounds; round += 1) {
      const folder = mkdtempSync(join(tmpdir(), 'ntm-bench-'));
      const db = openDatabase(join(folder, 'bench.sqlite'));
      const service = embeddedIngestion(db, join(folder, 'bench.sqlite'), {
        blobDirectory: undefined,
        maxFileBytes: DEFAULT_MAX_BYTES,
        jobAttempts: 1,
        jobBackoffMs: 0,
      });
      const elapsed = await timeAsync(async () => {
        for (const file of files) await service.ingestFile(file);
      });
      if (round > 0) seconds += elapsed; // round 0 warms up the parsers
      closeDatabase(db);
      rmSync(folder, { recursive: true, force: true });
    }
    rates[format] = (files.length * rounds) / seconds;
    line(`${format.toUpperCase()}`, `${rates[format]?.toFixed(1)} documents/s`);
  }
  line('ratio DOCX / TXT', `${((rates.docx ?? 0) / (rates.txt ?? 1)).toFixed(2)}x`);
  line('ratio PDF / TXT', `${((rates.pdf ?? 0) / (rates.txt ?? 1)).toFixed(2)}x`);
}

/** pdf-parse pages per second against poppler's pdftotext on the same PDFs, when it is installed. */
async function pdfPages(): Promise<void> {
  console.log('\n# PDF text layer, pages per second');
  const files = seedFiles('pdf');
  const bytes = files.map((file) => readFileSync(file));
  let pages = 0;
  await readPdfPages(bytes[0] ?? Buffer.alloc(0), 'warm-up.pdf');
  const rounds = 5;
  const parse = await timeAsync(async () => {
    for (let round = 0; round < rounds; round += 1) for (const [index, data] of bytes.entries()) pages += (await readPdfPages(data, files[index] ?? '')).length;
  });
  line('pdf-parse (in process)', `${(pages / parse).toFixed(0)} pages/s (${pages} pages)`);
  if (spawnSync('pdftotext', ['-v']).error) {
    line('pdftotext', 'not installed (Debian package poppler-utils): no comparison');
    return;
  }
  const poppler = time(() => {
    for (let round = 0; round < rounds; round += 1) for (const file of files) execFileSync('pdftotext', ['-layout', file, '-']);
  });
  line('pdftotext -layout (a process per file)', `${(pages / poppler).toFixed(0)} pages/s`);
  line('ratio pdf-parse / pdftotext (speed)', `${(poppler / parse).toFixed(2)}x`);
}

const seedSecondsPerMib = extractionThroughput();
pathologicalInputs(line, seedSecondsPerMib);
await ingestionRates();
await pdfPages();
await tableBenchmark(line);
await queueBenchmark(line);
await closeSharedExtractionPool();
await scanThroughput(line);
