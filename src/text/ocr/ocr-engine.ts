import { loadOcrSettings, type OcrSettings } from '../../config.js';
import type { GreyImage } from './grey-image.js';

export type OcrEngineName = 'tesseractjs' | 'native';

/** Resolution PDF pages are rendered at for OCR, unless OcrOptions.pdfDpi says otherwise. */
export const DEFAULT_PDF_OCR_DPI = 200;

export interface RecognizedText {
  /** Tesseract's plain-text rendering: words, line breaks, and a blank line between paragraphs. */
  text: string;
  /** Mean word confidence 0–100, weighted by word length; 0 when nothing was recognised. */
  confidence: number;
  /** Words with a confidence, for callers that judge a result by more than its mean. */
  words: number;
  /** Tesseract's TSV: every word with its box, for reading tables (scanned-tables.ts). */
  tsv?: string;
}

/** `page`: the engine's page layout as before (native --psm 3, tesseract.js its default 6); `line`: one line of text (--psm 7), a table cell. */
export type OcrLayout = 'page' | 'line';

export interface OcrEngine {
  readonly name: OcrEngineName;
  /** `dpi` when known (rendered PDF pages): tesseract otherwise estimates it from the text size. */
  recognize(image: GreyImage, dpi: number | undefined, layout?: OcrLayout): Promise<RecognizedText>;
  /** Frees the engine (worker thread, temporary files). Safe to call twice. */
  close(): Promise<void>;
}

/** The OCR machinery failed (engine missing or crashed): not the file's fault, so not an UnsupportedInputError. */
export class OcrEngineError extends Error {
  override readonly name = 'OcrEngineError';
}

/** The OCR settings as src/config.ts reads them; a bad value is an OcrEngineError naming the variable (the machine's setup, not the file's fault). */
export function ocrSettings(): OcrSettings {
  try {
    return loadOcrSettings();
  } catch (error) {
    throw new OcrEngineError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}
