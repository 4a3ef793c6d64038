import { chooseOcrEngine, createOcrEngine } from './choose-ocr-engine.js';
import type { GreyImage } from './grey-image.js';
import type { OcrEngine, OcrEngineName } from './ocr-engine.js';
import { recognizePage, type PageRecognition } from './recognize-page.js';

export interface OcrOptions {
  /** Overrides env NTM_OCR_ENGINE and the availability check. */
  engine?: OcrEngineName;
  /**
   * Pages recognised at once, each by its own engine (a tesseract process or a tesseract.js
   * worker). Default 1: a queue worker is one process per core, and CPU work scales with
   * processes (../shared/MEASURED.md); a one-off CLI run on an idle machine may use more.
   */
  concurrency?: number;
  /** Resolution PDF pages are rendered at for OCR. Default 200 dpi. */
  pdfDpi?: number;
}

export interface PageImage {
  page: number;
  image: GreyImage;
  dpi?: number;
}

export interface RecognizedPage extends PageRecognition {
  page: number;
  engine: OcrEngineName;
}

/**
 * Where recognizePages gets its engines and returns them. By default each call creates its own
 * and closes them at the end; a pool thread keeps its tesseract.js worker from one task to the
 * next instead (its start-up, model loading, costs about a second).
 */
export interface EngineSupply {
  take(name: OcrEngineName): OcrEngine;
  /** Called once per taken engine when the call is done with it. */
  give(engine: OcrEngine): Promise<void>;
}

const OWN_ENGINES: EngineSupply = { take: createOcrEngine, give: (engine) => engine.close() };

/**
 * Recognises pages as they arrive from `images` (rendered or decoded lazily, so memory holds
 * about `concurrency` pages), calling `onPage` after each. Engines are created on first need
 * and always closed.
 */
export async function recognizePages(
  images: AsyncIterable<PageImage>,
  options: OcrOptions,
  onPage: (page: RecognizedPage) => void,
  supply: EngineSupply = OWN_ENGINES,
): Promise<RecognizedPage[]> {
  const engineName = await chooseOcrEngine(options.engine);
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
  const idle: OcrEngine[] = [];
  const engines: OcrEngine[] = [];
  const running = new Set<Promise<void>>();
  const results: RecognizedPage[] = [];

  const recognize = async ({ page, image, dpi }: PageImage): Promise<void> => {
    const engine = idle.pop() ?? supply.take(engineName);
    if (!engines.includes(engine)) engines.push(engine);
    try {
      const recognized: RecognizedPage = { page, engine: engineName, ...(await recognizePage(engine, image, dpi)) };
      results.push(recognized);
      onPage(recognized);
    } finally {
      idle.push(engine);
    }
  };

  // The first failure, kept rather than left as a rejected promise nobody awaits yet.
  let failure: { error: unknown } | undefined;
  try {
    for await (const image of images) {
      const task: Promise<void> = recognize(image)
        .catch((error: unknown) => void (failure ??= { error }))
        .finally(() => running.delete(task));
      running.add(task);
      if (running.size >= concurrency) await Promise.race(running);
      if (failure) break;
    }
    await Promise.all(running);
  } finally {
    // A failed page must not leave the others' processes or worker threads behind.
    await Promise.all(running);
    await Promise.all(engines.map((engine) => supply.give(engine)));
  }
  if (failure) throw failure.error;
  return results.sort((a, b) => a.page - b.page);
}
