// What a table costs (issue 9): the PDF table pass against pdf-parse's text alone, and the
// table rule against all the rules, on the appendix-table fixtures and on the seeds (which
// have no tables and pay only for the search). Ratios within one run, as run-benchmarks.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PDFParse } from 'pdf-parse';
import { extractStatements, readDocument } from '../../extractors/extract-statements.js';
import { tableStatements } from '../../extractors/table/table-statements.rules.js';
import { extractText } from '../../src/text/extract-text.js';
import { straighten } from '../../src/text/ocr/deskew.js';
import { isNativeTesseractAvailable, NativeTesseractEngine } from '../../src/text/ocr/native-tesseract-engine.js';
import { DEFAULT_PDF_OCR_DPI } from '../../src/text/ocr/ocr-engine.js';
import { recognizePage } from '../../src/text/ocr/recognize-page.js';
import { renderPdfPages } from '../../src/text/ocr/render-pdf-pages.js';
import { readPdfPages } from '../../src/text/read-pdf-pages.js';
import { projectPath } from '../../extractors/util/project-root.js';

type Line = (label: string, value: string) => void;

async function seconds(run: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

async function textOnly(bytes: Buffer): Promise<void> {
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    await parser.getText();
  } finally {
    await parser.destroy();
  }
}

export async function tableBenchmark(line: Line): Promise<void> {
  console.log('\n# Tables (issue 9)');
  const tables = projectPath('fixtures', 'tables');
  const seeds = projectPath('fixtures', 'seeds');
  const pdfs = (folder: string, keep: (file: string) => boolean = () => true) =>
    readdirSync(folder)
      .filter((file) => file.endsWith('.pdf') && !file.includes('.scan.') && keep(file))
      .map((file) => join(folder, file));
  const rounds = 10;
  for (const [label, files] of [
    ['ruled table PDFs', pdfs(tables, (file) => !file.includes('.borderless.'))],
    ['borderless table PDFs', pdfs(tables, (file) => file.includes('.borderless.'))],
    ['seed PDFs (no tables)', pdfs(seeds)],
  ] as const) {
    const bytes = files.map((file) => readFileSync(file));
    for (const data of bytes) await readPdfPages(data, 'warm-up.pdf');
    let pages = 0;
    const plain = await seconds(async () => {
      for (let round = 0; round < rounds; round += 1) for (const data of bytes) await textOnly(data);
    });
    const withTables = await seconds(async () => {
      for (let round = 0; round < rounds; round += 1) for (const data of bytes) pages += (await readPdfPages(data, 'bench.pdf')).length;
    });
    line(
      `${label}: text + table pass / text alone`,
      `${(withTables / plain).toFixed(2)}x (${(((withTables - plain) / pages) * 1000).toFixed(1)} ms more per page)`,
    );
  }

  const documents = await Promise.all(
    readdirSync(tables)
      .filter((file) => file.endsWith('.docx'))
      .map(async (file) => {
        const path = join(tables, file);
        return (await extractText(readFileSync(path), path, { maxBytes: 50 * 1024 * 1024, ocr: false })).pages;
      }),
  );
  const contexts = documents.map((pages) => readDocument(pages));
  let rows = 0;
  const rule = await seconds(() => {
    for (let round = 0; round < rounds * 10; round += 1) for (const context of contexts) rows += tableStatements(context).length;
  });
  const all = await seconds(() => {
    for (let round = 0; round < rounds * 10; round += 1) for (const pages of documents) extractStatements(pages);
  });
  line('table rule / all rules, on the table documents', `${(rule / all).toFixed(2)}x of the time (${((rule / rows) * 1e6).toFixed(0)} µs per statement)`);
  await scannedTableCost(line);
}

/**
 * Scanned pages: the whole page step (tables found and read) against one plain OCR pass of the
 * same straightened image, with native tesseract, on borderless and ruled table scans and on a
 * seed scan without tables (which must cost nothing more).
 */
async function scannedTableCost(line: Line): Promise<void> {
  if (!(await isNativeTesseractAvailable())) {
    console.log('native tesseract: not installed — scanned table cost skipped');
    return;
  }
  const engine = new NativeTesseractEngine();
  try {
    for (const [label, file] of [
      ['borderless table scan', projectPath('fixtures', 'tables', 'van-quan-phu-luc.borderless.scan.pdf')],
      ['ruled table scan', projectPath('fixtures', 'tables', 'van-quan-phu-luc.scan.pdf')],
      ['seed scan (no tables)', projectPath('fixtures', 'scanned', '003_208c7acc8bb6c444.scan.pdf')],
    ] as const) {
      let [plain, withTables, pages] = [0, 0, 0];
      for await (const { image } of renderPdfPages(readFileSync(file), [1], DEFAULT_PDF_OCR_DPI, file)) {
        const straight = straighten(image).image;
        plain += await seconds(() => engine.recognize(straight, DEFAULT_PDF_OCR_DPI));
        withTables += await seconds(() => recognizePage(engine, image, DEFAULT_PDF_OCR_DPI));
        pages += 1;
      }
      line(
        `${label}: page with tables / plain OCR`,
        `${(withTables / plain).toFixed(2)}x (${(withTables / pages).toFixed(1)} s vs ${(plain / pages).toFixed(1)} s a page)`,
      );
    }
  } finally {
    await engine.close();
  }
}
