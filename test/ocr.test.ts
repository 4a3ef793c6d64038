import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { extractStatements } from '../extractors/extract-statements.js';
import { compactStatement } from './support/compact-statements.js';
import { isUnsupportedInputError } from '../src/errors/unsupported-input.error.js';
import { DEFAULT_MAX_BYTES, extractText, type ExtractTextOptions } from '../src/text/extract-text.js';
import { isBlankPage } from '../src/text/ocr/blank-page.js';
import { chooseOcrEngine } from '../src/text/ocr/choose-ocr-engine.js';
import { estimateSkewDegrees, isTurnedSideways, turnGrey } from '../src/text/ocr/deskew.js';
import type { GreyImage } from '../src/text/ocr/grey-image.js';
import { isNativeTesseractAvailable, NativeTesseractEngine } from '../src/text/ocr/native-tesseract-engine.js';
import { OcrEngineError } from '../src/text/ocr/ocr-engine.js';
import { isPopplerAvailable } from '../src/text/ocr/poppler-render.js';
import { recognizePage } from '../src/text/ocr/recognize-page.js';
import { DEFAULT_PDF_OCR_DPI } from '../src/text/ocr/ocr-engine.js';
import { renderPdfPages } from '../src/text/ocr/render-pdf-pages.js';
import { TesseractJsEngine, vieLanguageFolder } from '../src/text/ocr/tesseract-js-engine.js';
import type { ExtractedText } from '../extractors/text/page-text.js';
import { projectPath } from '../extractors/util/project-root.js';
import { blankPagesPdf } from './support/hostile-files.js';

/**
 * OCR on real scans (fixtures/make-scanned-fixtures.ts). Every scanned seed is read by the
 * default engine: native tesseract when installed (~2.5 s a page), else tesseract.js (~5 s).
 * tesseract.js is always exercised on a subset (the photo), native-only tests are skipped with
 * a note when the tesseract command is absent.
 */
const SCANNED = 'fixtures/scanned';
const NATIVE = await isNativeTesseractAvailable();
const POPPLER = await isPopplerAvailable();
if (!NATIVE) {
  console.warn(
    'ocr.test: the tesseract command (Debian tesseract-ocr + tesseract-ocr-vie) is not installed: native-only tests are skipped, the rest use tesseract.js',
  );
}
/** Two pages at a time: the test machine has 2 cores and vitest runs test files one after another. */
const OCR = { concurrency: 2 } as const;
const OCR_TIMEOUT = 600_000;

/** One statement per seed that the extractors must find in the scan as in the text (folded). */
const KEY_PHRASES: Record<string, string> = {
  '000_528222cdabe6b09e': 'xã Thượng Cường đạt 13/19 tiêu chí gồm tiêu chí: Số 1 (quy hoạch), số 3 (thủy lợi và phòng chống thiên tai)',
  '001_f3406501ba6aec7a': 'xã Tú Xuyên có 10/19 tiêu chí đạt chuẩn',
  '002_208071814d246b50': 'Xã Minh Tiến đã đạt 13/19 tiêu chí gồm: Số 1 – Quy hoạch',
  '003_208c7acc8bb6c444': 'xã Chí Minh phấn đấu đạt chuẩn NTM năm 2024 đã đạt 14/19 tiêu chí',
  '004_d6b659843d553b3d': 'Hoàng Văn Thụ, Hoàng Việt, Tân Mỹ và 01 xã Hoàng Văn Thụ đạt chuẩn nông thôn mới kiểu mẫu',
};

const SCANNED_SEEDS = readdirSync(SCANNED)
  .filter((name) => name.endsWith('.scan.pdf'))
  .sort();

/** How the rules see text: no diacritics, lower case, one dash, runs of whitespace as one space. */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/gu, 'd')
    .toLowerCase()
    .replace(/[‐-―−]/gu, '-')
    .replace(/\s+/gu, ' ');
}

async function extract(path: string, options: Partial<ExtractTextOptions> = {}): Promise<ExtractedText> {
  return extractText(await readFile(path), path.split('/').pop()!, { maxBytes: DEFAULT_MAX_BYTES, ...options });
}

async function renderFirstPage(path: string): Promise<GreyImage> {
  for await (const { image } of renderPdfPages(await readFile(path), [1], 150, 'page.pdf')) return image;
  throw new Error(`no page rendered from ${path}`);
}

function expectRecognised(extracted: ExtractedText, minimumConfidence: number): void {
  for (const page of extracted.pages) {
    expect(page, `page ${page.page}`).toMatchObject({ hasTextLayer: false, source: 'ocr' });
    expect(page.ocrConfidence).toBeGreaterThanOrEqual(minimumConfidence);
    expect(page.ocrConfidence).toBeLessThanOrEqual(100);
    expect(page.text).toMatch(/\p{L}{3}/u);
  }
}

/** The scanned seeds as recognised, kept for the statement check that follows them. */
const recognised = new Map<string, ExtractedText>();

describe('scanned seed PDFs are recognised', () => {
  it('finds one scan per seed', () => {
    expect(SCANNED_SEEDS.map((name) => name.slice(0, -'.scan.pdf'.length))).toEqual(Object.keys(KEY_PHRASES).sort());
  });

  for (const name of SCANNED_SEEDS) {
    const seed = name.slice(0, -'.scan.pdf'.length);
    it(`${seed}: every page is OCR'd with a confidence, and its key statement comes back`, { timeout: OCR_TIMEOUT }, async () => {
      const progress: Array<[number, number]> = [];
      const extracted = await extract(join(SCANNED, name), { ocr: OCR, onPageProgress: (done, total) => progress.push([done, total]) });

      expect(extracted.kind).toBe('pdf');
      expect(extracted.pages.map((page) => page.page)).toEqual(extracted.pages.map((_, index) => index + 1));
      expectRecognised(extracted, 70);
      // Once after the text layer (no page had one), then once per recognised page.
      const total = extracted.pages.length;
      expect(progress).toEqual(Array.from({ length: total + 1 }, (_, done) => [done, total]));

      const text = fold(extracted.pages.map((page) => page.text).join('\n'));
      expect(text).toContain(fold(KEY_PHRASES[seed]!));
      recognised.set(seed, extracted);
    });
  }

  it("give at least 90% of the text versions' commune counts and criteria lists exactly; the rest are flagged or missing, never wrong unflagged", () => {
    expect([...recognised.keys()].sort()).toEqual(Object.keys(KEY_PHRASES).sort());
    let expectedCount = 0;
    let exact = 0;
    for (const [seed, extracted] of recognised) {
      const isStatus = (statement: { kind: unknown }) => statement.kind === 'commune_count' || statement.kind === 'criteria_list';
      const expected = (
        JSON.parse(readFileSync(projectPath('fixtures', 'expected', `${seed}.json`), 'utf8')) as { statements: Array<Record<string, unknown>> }
      ).statements
        .filter(isStatus)
        .map((statement) => JSON.stringify(statement));
      const { statements, flags } = extractStatements(extracted.pages);
      const flagged = new Set(flags.flatMap((flag) => flag.statements));
      const unmatched = [...expected];
      for (const statement of statements.filter(isStatus)) {
        const at = unmatched.indexOf(JSON.stringify(compactStatement(statement)));
        if (at >= 0) {
          unmatched.splice(at, 1);
          exact += 1;
        } else {
          expect(
            flagged.has(statement.index),
            `${seed}: unflagged statement that the text version does not have: ${JSON.stringify(compactStatement(statement))}`,
          ).toBe(true);
        }
      }
      expectedCount += expected.length;
    }
    expect(exact / expectedCount, `${exact} of ${expectedCount} exact`).toBeGreaterThanOrEqual(0.9);
  });
});

describe('images', () => {
  it('a photographed page (JPEG, darker, turned 3°) is read by tesseract.js', { timeout: OCR_TIMEOUT }, async () => {
    const extracted = await extract(join(SCANNED, 'photo-page.jpg'), { ocr: { engine: 'tesseractjs' } });
    expect(extracted).toMatchObject({ kind: 'image', mime: 'image/jpeg' });
    expect(extracted.pages).toHaveLength(1);
    expectRecognised(extracted, 70);
    expect(extracted.pages[0]?.ocrEngine).toBe('tesseractjs');
    expect(fold(extracted.pages[0]!.text)).toContain(fold('Kế hoạch số 23/KH-UBND ngày 29/01/2022'));
  });

  it('a multi-page TIFF gives one recognised page per image', { timeout: OCR_TIMEOUT }, async () => {
    const extracted = await extract(join(SCANNED, 'two-pages.tif'), { ocr: OCR });
    expect(extracted).toMatchObject({ kind: 'image', mime: 'image/tiff' });
    expect(extracted.pages.map((page) => page.page)).toEqual([1, 2]);
    expectRecognised(extracted, 70);
    expect(fold(extracted.pages[0]!.text)).toContain(fold('HUYỆN HỮU LŨNG'));
  });

  it('with ocr: false an image is accepted and its page left empty', async () => {
    const extracted = await extract(join(SCANNED, 'two-pages.tif'), { ocr: false });
    expect(extracted.kind).toBe('image');
    expect(extracted.pages).toEqual([
      { page: 1, text: '', hasTextLayer: false },
      { page: 2, text: '', hasTextLayer: false },
    ]);
  });

  it('a truncated image is corrupt, naming the file', async () => {
    const bytes = (await readFile(join(SCANNED, 'photo-page.jpg'))).subarray(0, 2000);
    const error = await extractText(bytes, 'cut.jpg', { maxBytes: DEFAULT_MAX_BYTES, ocr: false }).catch((caught: unknown) => caught);
    expect(isUnsupportedInputError(error) && error.reason).toBe('corrupt');
    expect(String(error)).toMatch(/Cannot read cut\.jpg: the image is damaged/);
  });
});

describe('ocr: false, for callers that only sniff', () => {
  it('leaves a scanned PDF as pages without text layer, with no OCR fields', async () => {
    const extracted = await extract(join(SCANNED, SCANNED_SEEDS[0]!), { ocr: false });
    expect(extracted.pages.length).toBeGreaterThan(1);
    extracted.pages.forEach((page, index) => expect(page).toEqual({ page: index + 1, text: '', hasTextLayer: false }));
  });
});

describe('blank pages', () => {
  it('an empty PDF page, or one holding only its number, is blank; one line of text is not; dust on white paper is blank', async () => {
    const blank: boolean[] = [];
    for (const text of [undefined, '- 2 -', 'Xa Dong Son dat 17/19 tieu chi.']) {
      for await (const { image } of renderPdfPages(await blankPagesPdf(text ? 0 : 1, text), [1], DEFAULT_PDF_OCR_DPI, 'page.pdf'))
        blank.push(isBlankPage(image));
    }
    expect(blank).toEqual([true, true, false]);

    const dusty: GreyImage = { width: 1654, height: 2339, data: new Uint8Array(1654 * 2339).fill(250) };
    for (let speck = 0; speck < 60; speck++) dusty.data[(speck * 7919 * 131) % dusty.data.length] = 40;
    expect(isBlankPage(dusty)).toBe(true);
  });
});

describe('rotated and skewed pages', () => {
  const scan = join(SCANNED, '000_528222cdabe6b09e.scan.pdf');

  it('finds the skew the fixture script gave each page (1.98°, -1.89°…) to 0.1°', async () => {
    const angles: number[] = [];
    for await (const { image } of renderPdfPages(await readFile(scan), [1, 2, 3, 4], 150, 'scan.pdf')) angles.push(estimateSkewDegrees(image));
    [1.98, -1.89, 1.28, 1.93].forEach((expected, index) => expect(Math.abs(angles[index]! - expected)).toBeLessThan(0.1));
  });

  it('tells a page turned a quarter from an upright one', async () => {
    const page = await renderFirstPage(scan);
    expect([0, 1, 2, 3].map((turns) => isTurnedSideways(turns === 0 ? page : turnGrey(page, turns as 1 | 2 | 3)))).toEqual([false, true, false, true]);
  });

  it('reads a page scanned upside down (retried turned 180° when the first reading is doubtful)', { timeout: OCR_TIMEOUT }, async () => {
    const engine = NATIVE ? new NativeTesseractEngine() : new TesseractJsEngine();
    try {
      const result = await recognizePage(engine, turnGrey(await renderFirstPage(scan), 2), 150);
      // 180° turned back, less the page's own skew (1.98°).
      expect(Math.abs(result.correctedDegrees - 180)).toBeLessThan(5);
      expect(result.confidence).toBeGreaterThan(70);
      expect(fold(result.text)).toContain(fold('Kết quả kiểm tra Chương trình mục tiêu quốc gia'));
    } finally {
      await engine.close();
    }
  });
});

describe('PDF renderers', () => {
  const saved = process.env['NTM_PDF_RENDERER'];
  afterEach(() => {
    if (saved === undefined) delete process.env['NTM_PDF_RENDERER'];
    else process.env['NTM_PDF_RENDERER'] = saved;
  });

  async function render(renderer: string, path: string, pages: number[]): Promise<GreyImage[]> {
    process.env['NTM_PDF_RENDERER'] = renderer;
    const images: GreyImage[] = [];
    for await (const { image } of renderPdfPages(await readFile(path), pages, DEFAULT_PDF_OCR_DPI, 'scan.pdf')) images.push(image);
    return images;
  }

  it.skipIf(!POPPLER)(
    'poppler (pdftoppm) and pdf.js draw a scanned page alike: the same size to a pixel, grey levels under 8 apart on average (two JPEG decoders)',
    async () => {
      const scan = join(SCANNED, '003_208c7acc8bb6c444.scan.pdf');
      const [fromPdfJs, fromPoppler] = [await render('pdfjs', scan, [1, 4]), await render('poppler', scan, [1, 4])];
      for (const [index, a] of fromPdfJs.entries()) {
        const b = fromPoppler[index]!;
        expect(Math.abs(a.width - b.width)).toBeLessThanOrEqual(1);
        expect(Math.abs(a.height - b.height)).toBeLessThanOrEqual(1);
        let difference = 0;
        for (let y = 0; y < Math.min(a.height, b.height); y++) {
          for (let x = 0; x < Math.min(a.width, b.width); x++) difference += Math.abs(a.data[y * a.width + x]! - b.data[y * b.width + x]!);
        }
        expect(difference / (Math.min(a.width, b.width) * Math.min(a.height, b.height))).toBeLessThan(8);
      }
    },
  );

  it('NTM_PDF_RENDERER picks one; a wrong value is an OcrEngineError naming the variable', async () => {
    const images = await render('pdfjs', join(SCANNED, 'no-text-layer.pdf'), [1]);
    expect(images[0]!.width).toBeGreaterThan(1000);
    await expect(render('ghostscript', join(SCANNED, 'no-text-layer.pdf'), [1])).rejects.toThrow(OcrEngineError);
    await expect(render('ghostscript', join(SCANNED, 'no-text-layer.pdf'), [1])).rejects.toThrow(/NTM_PDF_RENDERER/);
  });

  it.skipIf(!POPPLER)('a page poppler cannot render is a corrupt input naming the file and the page', async () => {
    process.env['NTM_PDF_RENDERER'] = 'poppler';
    const pages = renderPdfPages(Buffer.from('%PDF-1.4\n% nothing else\n'), [1], DEFAULT_PDF_OCR_DPI, 'broken.pdf');
    const failure = await pages.next().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isUnsupportedInputError(failure) && failure.reason).toBe('corrupt');
    expect(String(failure)).toMatch(/broken\.pdf.*page 1 of the PDF cannot be rendered for OCR/);
  });
});

describe('engines', () => {
  const saved = process.env['NTM_OCR_ENGINE'];
  afterEach(() => {
    if (saved === undefined) delete process.env['NTM_OCR_ENGINE'];
    else process.env['NTM_OCR_ENGINE'] = saved;
  });

  it('defaults to native tesseract when installed, else tesseract.js', async () => {
    delete process.env['NTM_OCR_ENGINE'];
    expect(await chooseOcrEngine()).toBe(NATIVE ? 'native' : 'tesseractjs');
  });

  it('NTM_OCR_ENGINE overrides the choice, and a wrong value is an OcrEngineError', async () => {
    process.env['NTM_OCR_ENGINE'] = 'tesseractjs';
    expect(await chooseOcrEngine()).toBe('tesseractjs');
    process.env['NTM_OCR_ENGINE'] = 'cuneiform';
    await expect(chooseOcrEngine()).rejects.toBeInstanceOf(OcrEngineError);
    await expect(chooseOcrEngine()).rejects.toThrow(/NTM_OCR_ENGINE/);
  });

  it('asking for native tesseract where it is missing fails clearly', async () => {
    if (NATIVE) {
      expect(await chooseOcrEngine('native')).toBe('native');
    } else {
      await expect(chooseOcrEngine('native')).rejects.toThrow(/tesseract-ocr-vie/);
    }
  });

  it('tesseract.js reads its Vietnamese model from node_modules: nothing is downloaded', () => {
    const folder = vieLanguageFolder();
    expect(folder).toMatch(/node_modules[\\/]@tesseract\.js-data[\\/]vie[\\/]/);
    expect(existsSync(join(folder, 'vie.traineddata.gz'))).toBe(true);
  });

  it.skipIf(!NATIVE)('native tesseract reads a TIFF page like tesseract.js does (native only)', { timeout: OCR_TIMEOUT }, async () => {
    const [native, wasm] = await Promise.all([
      extract(join(SCANNED, 'two-pages.tif'), { ocr: { engine: 'native' } }),
      extract(join(SCANNED, 'two-pages.tif'), { ocr: { engine: 'tesseractjs' } }),
    ]);
    expect(native.pages.map((page) => page.ocrEngine)).toEqual(['native', 'native']);
    expect(wasm.pages.map((page) => page.ocrEngine)).toEqual(['tesseractjs', 'tesseractjs']);
    for (const extracted of [native, wasm]) expect(fold(extracted.pages[0]!.text)).toContain(fold('HUYỆN HỮU LŨNG'));
  });
});
