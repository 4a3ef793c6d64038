/**
 * OCR speed and accuracy, native tesseract against tesseract.js, on the same scanned pages in
 * one run: pages are rendered and straightened once, then each engine reads every page.
 *
 *   npx tsc -p tsconfig.json && node dist/test/bench/ocr-benchmark.js [scan.pdf…]
 *
 * Prints seconds per page (engine start-up separately), their ratio, mean confidence, and word
 * recall against the seed text: folded (no diacritics, the way rules match) and exact.
 * Env OCR_BENCH_TJS_MODELS=4.0.0,4.0.0_best_int compares the two models of @tesseract.js-data/vie.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PDFParse } from 'pdf-parse';
import { straighten } from '../../src/text/ocr/deskew.js';
import type { GreyImage } from '../../src/text/ocr/grey-image.js';
import { isNativeTesseractAvailable, NativeTesseractEngine } from '../../src/text/ocr/native-tesseract-engine.js';
import type { OcrEngine } from '../../src/text/ocr/ocr-engine.js';
import { DEFAULT_PDF_OCR_DPI } from '../../src/text/ocr/ocr-engine.js';
import { renderPdfPages } from '../../src/text/ocr/render-pdf-pages.js';
import { TESSERACT_JS_MODEL, TesseractJsEngine } from '../../src/text/ocr/tesseract-js-engine.js';
import { projectPath } from '../../extractors/util/project-root.js';

const DEFAULT_SCANS = ['000_528222cdabe6b09e.scan.pdf', '003_208c7acc8bb6c444.scan.pdf'].map((name) => projectPath('fixtures', 'scanned', name));

interface ScannedDocument {
  name: string;
  seedText: string;
  pages: GreyImage[];
}

interface EngineRun {
  label: string;
  startSeconds: number;
  pageSeconds: number[];
  confidences: number[];
  foldedRecall: number;
  exactRecall: number;
}

/** Lower case, no diacritics, đ → d: how the rules see text. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/giu, 'd').toLowerCase();
}

function wordCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of text
    .normalize('NFC')
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu) ?? [])
    counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

/** Share of the seed's words (with multiplicity) that the OCR text also has. */
function recall(seed: string, recognised: string): number {
  const [expected, found] = [wordCounts(seed), wordCounts(recognised)];
  let [hit, total] = [0, 0];
  for (const [word, count] of expected) {
    total += count;
    hit += Math.min(count, found.get(word) ?? 0);
  }
  return total === 0 ? 1 : hit / total;
}

async function loadDocument(path: string): Promise<ScannedDocument> {
  const bytes = readFileSync(path);
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  const total = (await parser.getInfo()).total;
  await parser.destroy();
  const pages: GreyImage[] = [];
  const numbers = Array.from({ length: total }, (_, index) => index + 1);
  for await (const { image } of renderPdfPages(bytes, numbers, DEFAULT_PDF_OCR_DPI, basename(path))) pages.push(straighten(image).image);
  const seedName = basename(path).replace(/\.scan\.pdf$/, '.txt');
  const seedText = readFileSync(projectPath('fixtures', 'seeds', seedName), 'utf8').replace(/[#*]/g, '');
  return { name: basename(path), seedText, pages };
}

async function runEngine(label: string, engine: OcrEngine, documents: ScannedDocument[]): Promise<EngineRun> {
  const run: EngineRun = { label, startSeconds: 0, pageSeconds: [], confidences: [], foldedRecall: 0, exactRecall: 0 };
  const [seeds, texts]: [string[], string[]] = [[], []];
  try {
    // Start-up (worker thread, WASM, model) is timed on a tiny blank page, apart from the pages.
    const start = performance.now();
    await engine.recognize({ width: 64, height: 64, data: new Uint8Array(64 * 64).fill(255) }, DEFAULT_PDF_OCR_DPI);
    run.startSeconds = (performance.now() - start) / 1000;
    for (const document of documents) {
      let text = '';
      for (const page of document.pages) {
        const begin = performance.now();
        const result = await engine.recognize(page, DEFAULT_PDF_OCR_DPI);
        run.pageSeconds.push((performance.now() - begin) / 1000);
        run.confidences.push(result.confidence);
        text += result.text + '\n';
      }
      seeds.push(document.seedText);
      texts.push(text);
    }
  } finally {
    await engine.close();
  }
  run.exactRecall = recall(seeds.join('\n'), texts.join('\n'));
  run.foldedRecall = recall(fold(seeds.join('\n')), fold(texts.join('\n')));
  return run;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
}

async function main(): Promise<void> {
  const paths = process.argv.slice(2).length > 0 ? process.argv.slice(2) : DEFAULT_SCANS;
  const documents: ScannedDocument[] = [];
  for (const path of paths) documents.push(await loadDocument(path));
  const pageCount = documents.reduce((sum, document) => sum + document.pages.length, 0);
  console.log(`OCR benchmark: ${pageCount} pages of ${documents.map((d) => d.name).join(', ')}, rendered at ${DEFAULT_PDF_OCR_DPI} dpi and straightened once`);

  const runs: EngineRun[] = [];
  if (await isNativeTesseractAvailable()) runs.push(await runEngine('native tesseract (OMP_THREAD_LIMIT=1)', new NativeTesseractEngine(), documents));
  else console.log('native tesseract: not installed (Debian tesseract-ocr, tesseract-ocr-vie) — skipped');
  const models = (process.env['OCR_BENCH_TJS_MODELS'] ?? TESSERACT_JS_MODEL).split(',').map((model) => model.trim());
  for (const model of models) runs.push(await runEngine(`tesseract.js (${model})`, new TesseractJsEngine(model), documents));

  for (const run of runs) {
    console.log(
      `${run.label.padEnd(40)} ${mean(run.pageSeconds).toFixed(2)} s/page (median ${median(run.pageSeconds).toFixed(2)}), ` +
        `start-up ${run.startSeconds.toFixed(2)} s, confidence ${mean(run.confidences).toFixed(1)}, ` +
        `word recall ${(run.foldedRecall * 100).toFixed(1)}% folded / ${(run.exactRecall * 100).toFixed(1)}% exact`,
    );
  }
  const native = runs.find((run) => run.label.startsWith('native'));
  for (const run of runs.filter((r) => r !== native)) {
    if (native) console.log(`${run.label} / native: ${(mean(run.pageSeconds) / mean(native.pageSeconds)).toFixed(2)}× the time per page`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
