import { isNativeTesseractAvailable, NativeTesseractEngine } from './native-tesseract-engine.js';
import { OcrEngineError, ocrSettings, type OcrEngine, type OcrEngineName } from './ocr-engine.js';
import { TesseractJsEngine } from './tesseract-js-engine.js';

/**
 * Which engine recognises pages: `requested` (an option), else env NTM_OCR_ENGINE, else native
 * tesseract when it is installed with Vietnamese (about 2–3× faster, see the OCR benchmark),
 * else tesseract.js, which `npm ci` always provides.
 */
export async function chooseOcrEngine(requested?: OcrEngineName): Promise<OcrEngineName> {
  const configured = requested ?? ocrSettings().engine;
  if (configured === 'native' && !(await isNativeTesseractAvailable())) {
    throw new OcrEngineError('OCR engine "native" was requested but the tesseract command with Vietnamese (tesseract-ocr-vie) is not installed');
  }
  if (configured) return configured;
  return (await isNativeTesseractAvailable()) ? 'native' : 'tesseractjs';
}

/** A new engine (tesseract.js itself is loaded only when a TesseractJsEngine reads its first page). */
export function createOcrEngine(name: OcrEngineName): OcrEngine {
  return name === 'native' ? new NativeTesseractEngine() : new TesseractJsEngine();
}
