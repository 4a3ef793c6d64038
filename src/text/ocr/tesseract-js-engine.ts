import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Worker } from 'tesseract.js';
import { encodePgm, type GreyImage } from './grey-image.js';
import { OcrEngineError, type OcrEngine, type OcrLayout, type RecognizedText } from './ocr-engine.js';
import { confidenceFromTsv, tidyRecognizedText } from './tesseract-tsv.js';

/**
 * The Vietnamese model shipped by the npm package @tesseract.js-data/vie, as a local folder.
 * The package holds two gzipped models: 4.0.0 (tessdata: LSTM + legacy) and 4.0.0_best_int
 * (tessdata_best, LSTM only). See TESSERACT_JS_MODEL for the choice.
 */
export function vieLanguageFolder(model: string = TESSERACT_JS_MODEL): string {
  const packageMain = createRequire(import.meta.url).resolve('@tesseract.js-data/vie');
  return join(dirname(packageMain), model);
}

/** Measured on the scanned seeds: see test/bench/ocr-benchmark.ts and fixtures/README.md. */
export const TESSERACT_JS_MODEL = '4.0.0';

/**
 * Tesseract compiled to WebAssembly, in a worker thread: always available after `npm ci`.
 *
 * Nothing is downloaded at run time: the WASM core is required from the tesseract.js-core
 * package; `langPath` is a local folder, which tesseract.js reads with fs (it only fetches
 * when langPath is a URL or unset — unset means a CDN); `gzip: true` matches the package's
 * `.traineddata.gz` files; `cacheMethod: 'none'` stops it reading or writing a
 * `vie.traineddata` cache in the current directory.
 */
export class TesseractJsEngine implements OcrEngine {
  readonly name = 'tesseractjs' as const;
  private worker: Promise<Worker> | undefined;

  /** `model`: a folder of @tesseract.js-data/vie (the benchmark compares them). */
  constructor(private readonly model: string = TESSERACT_JS_MODEL) {}

  async recognize(image: GreyImage, dpi: number | undefined, layout: OcrLayout = 'page'): Promise<RecognizedText> {
    try {
      // Loaded on first use: a pool thread that reads with native tesseract never needs it (0.2 s of its start-up).
      const { createWorker, OEM, PSM } = await import('tesseract.js');
      this.worker ??= createWorker('vie', OEM.LSTM_ONLY, { langPath: vieLanguageFolder(this.model), gzip: true, cacheMethod: 'none' });
      const worker = await this.worker;
      // user_defined_dpi persists between pages: reset it when unknown so tesseract estimates it.
      await worker.setParameters({
        user_defined_dpi: dpi ? String(Math.round(dpi)) : '0',
        tessedit_pageseg_mode: layout === 'line' ? PSM.SINGLE_LINE : PSM.SINGLE_BLOCK,
      });
      const { data } = await worker.recognize(encodePgm(image), {}, { text: true, tsv: true });
      return { text: tidyRecognizedText(data.text), ...confidenceFromTsv(data.tsv ?? ''), tsv: data.tsv ?? '' };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new OcrEngineError(`tesseract.js failed: ${reason}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await (await worker.catch(() => undefined))?.terminate();
  }
}
