/**
 * Scanned pages per minute through `ntm ingest` (compiled, a child process, as an office runs
 * it) with the default pool and with one thread, against the ceiling: the `tesseract` command
 * itself, one process per core, on the same pages rendered once. Then peak memory on long
 * documents: a generated scan of BENCH_LONG_SCAN_PAGES pages (default 300) and a 2,000-page
 * text PDF. Peak memory is GNU time's maximum resident set of the ntm process.
 *
 *   npm run bench   (or: npx tsc -p tsconfig.json && node dist/test/bench/scan-throughput.js)
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { projectPath } from '../../extractors/util/project-root.js';
import { encodePgm } from '../../src/text/ocr/grey-image.js';
import { isNativeTesseractAvailable, tesseractCommand } from '../../src/text/ocr/native-tesseract-engine.js';
import { DEFAULT_PDF_OCR_DPI } from '../../src/text/ocr/recognize-pages.js';
import { renderPdfPages } from '../../src/text/ocr/render-pdf-pages.js';
import { scannedPagesPdf, textPagesPdf } from './long-documents.js';

const run = promisify(execFile);
const DEFAULT_SCANS = ['000_528222cdabe6b09e.scan.pdf', '003_208c7acc8bb6c444.scan.pdf'];

interface Measured {
  seconds: number;
  peakMiB: number;
  stdout: string;
}

/** The environment without REDIS_URL: embedded ingestion. */
function embeddedEnvironment(): NodeJS.ProcessEnv {
  const { REDIS_URL: _redis, ...rest } = process.env;
  return rest;
}

/** `ntm ingest` in a fresh database under GNU time. */
async function timedIngest(inputs: string, extraArgs: string[] = []): Promise<Measured> {
  const folder = mkdtempSync(join(tmpdir(), 'ntm-bench-scan-'));
  const report = join(folder, 'time.txt');
  const started = performance.now();
  try {
    const { stdout } = await run(
      '/usr/bin/time',
      ['-f', '%M', '-o', report, process.execPath, projectPath('dist', 'src', 'cli.js'), 'ingest', inputs, '--db', join(folder, 'ntm.sqlite'), ...extraArgs],
      {
        env: embeddedEnvironment(),
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const seconds = (performance.now() - started) / 1000;
    return { seconds, peakMiB: Number(readFileSync(report, 'utf8').trim().split('\n').at(-1)) / 1024, stdout };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The ceiling: `tesseract` on the rendered pages, `processes` at a time, as the engine runs it. */
async function tesseractCeiling(pages: string[], processes: number): Promise<number> {
  const queue = [...pages];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: processes }, async () => {
      for (let page = queue.shift(); page; page = queue.shift()) {
        await run(tesseractCommand(), [page, page, '-l', 'vie', '--psm', '3', '--dpi', String(DEFAULT_PDF_OCR_DPI), 'txt', 'tsv'], {
          env: { ...process.env, OMP_THREAD_LIMIT: '1' },
        });
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

export async function scanThroughput(line: (label: string, value: string) => void): Promise<void> {
  console.log('\n# Scanned pages per minute: ntm ingest (pool) against the tesseract command, one process per core');
  if (!existsSync('/usr/bin/time')) {
    console.log('GNU time (/usr/bin/time) is missing — skipped');
    return;
  }
  const cores = availableParallelism();
  const work = mkdtempSync(join(tmpdir(), 'ntm-bench-scans-'));
  try {
    const scans = join(work, 'scans');
    mkdirSync(scans);
    const names = (process.env['BENCH_SCANS'] ?? DEFAULT_SCANS.join(',')).split(',').map((name) => name.trim());
    const rendered: string[] = [];
    for (const name of names) {
      const path = projectPath('fixtures', 'scanned', name);
      copyFileSync(path, join(scans, name));
      const bytes = readFileSync(path);
      const count = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path], { encoding: 'utf8' }))?.[1] ?? 0);
      const numbers = Array.from({ length: count }, (_, index) => index + 1);
      for await (const { page, image } of renderPdfPages(bytes, numbers, DEFAULT_PDF_OCR_DPI, basename(path))) {
        const file = join(work, `${basename(name, '.pdf')}-${page}.pgm`);
        writeFileSync(file, encodePgm(image));
        rendered.push(file);
      }
    }
    const pages = rendered.length;
    line(`pages: ${names.join(', ')}`, `${pages} pages, ${cores} cores`);

    const perMinute = (seconds: number) => (pages / seconds) * 60;
    const pooled = await timedIngest(scans);
    const single = await timedIngest(scans, ['--jobs', '1']);
    line(
      `ntm ingest, default pool (${cores} threads)`,
      `${perMinute(pooled.seconds).toFixed(1)} pages/min (${pooled.seconds.toFixed(1)} s, peak ${pooled.peakMiB.toFixed(0)} MiB)`,
    );
    line('ntm ingest --jobs 1', `${perMinute(single.seconds).toFixed(1)} pages/min (${single.seconds.toFixed(1)} s, peak ${single.peakMiB.toFixed(0)} MiB)`);
    line('ratio default pool / --jobs 1 (pages/min)', `${(single.seconds / pooled.seconds).toFixed(2)}x`);
    if (await isNativeTesseractAvailable()) {
      const ceiling = await tesseractCeiling(rendered, cores);
      line(`tesseract command, ${cores} processes (ceiling)`, `${perMinute(ceiling).toFixed(1)} pages/min (${ceiling.toFixed(1)} s)`);
      line('ratio default pool / ceiling (pages/min)', `${(ceiling / pooled.seconds).toFixed(2)}x (target ≥ 0.8 on a quiet machine)`);
    } else {
      console.log('native tesseract is not installed: no ceiling to compare with');
    }
    if (spawnable('ocrmypdf')) {
      const started = performance.now();
      for (const name of names)
        await run('ocrmypdf', ['--jobs', String(cores), '-l', 'vie', '--force-ocr', '--output-type', 'pdf', join(scans, name), join(work, `ocrmypdf-${name}`)]);
      const seconds = (performance.now() - started) / 1000;
      line(
        `ocrmypdf --jobs ${cores}`,
        `${perMinute(seconds).toFixed(1)} pages/min (${seconds.toFixed(1)} s); default pool / ocrmypdf ${(seconds / pooled.seconds).toFixed(2)}x`,
      );
    } else {
      console.log('ocrmypdf is not installed: not compared');
    }

    console.log('\n# Peak memory on long documents (ntm ingest, GNU time)');
    const scanPages = Number(process.env['BENCH_LONG_SCAN_PAGES'] ?? 300);
    const longScan = join(work, 'long-scan');
    mkdirSync(longScan);
    writeFileSync(join(longScan, `scan-${scanPages}.pdf`), await scannedPagesPdf(scanPages));
    const scanRun = await timedIngest(longScan);
    line(`${scanPages}-page scan`, `peak ${scanRun.peakMiB.toFixed(0)} MiB (target < 1024), ${((scanPages / scanRun.seconds) * 60).toFixed(1)} pages/min`);
    const longText = join(work, 'long-text');
    mkdirSync(longText);
    writeFileSync(join(longText, 'text-2000.pdf'), await textPagesPdf(2000));
    const textRun = await timedIngest(longText);
    line('2,000-page text PDF', `peak ${textRun.peakMiB.toFixed(0)} MiB (target < 1024), ${textRun.seconds.toFixed(1)} s`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function spawnable(command: string): boolean {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// Run alone: node dist/test/bench/scan-throughput.js
if (process.argv[1]?.endsWith('scan-throughput.js')) {
  await scanThroughput((label, value) => console.log(`${label.padEnd(52)} ${value}`));
}
