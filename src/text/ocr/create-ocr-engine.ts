import { NativeTesseractEngine } from './native-tesseract-engine.js';
import type { OcrEngine, OcrEngineName } from './ocr-engine.js';
import { TesseractJsEngine } from './tesseract-js-engine.js';

/** A new engine. Apart from chooseOcrEngine, so that choosing one (the pool's main thread does) does not load tesseract.js. */
export function createOcrEngine(name: OcrEngineName): OcrEngine {
  return name === 'native' ? new NativeTesseractEngine() : new TesseractJsEngine();
}
