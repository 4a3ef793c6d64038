/** Settings read from the environment by src/config.ts: defaults, and a clear error naming a bad variable. */
import { describe, expect, it } from 'vitest';
import { loadConfig, loadOcrSettings } from '../src/config.js';

describe('the OCR settings in the config', () => {
  it('default to the engine chosen by what is installed and the tesseract on PATH', () => {
    expect(loadConfig({}).ocr).toEqual({ engine: undefined, tesseractPath: 'tesseract', pdfRenderer: undefined });
    expect(loadOcrSettings({})).toEqual({ engine: undefined, tesseractPath: 'tesseract', pdfRenderer: undefined });
  });

  it('read NTM_OCR_ENGINE and NTM_PDF_RENDERER in any case, blank as unset, and NTM_TESSERACT_PATH', () => {
    expect(loadConfig({ NTM_OCR_ENGINE: ' Native ', NTM_TESSERACT_PATH: '/opt/tesseract/bin/tesseract', NTM_PDF_RENDERER: 'PDFJS' }).ocr).toEqual({
      engine: 'native',
      tesseractPath: '/opt/tesseract/bin/tesseract',
      pdfRenderer: 'pdfjs',
    });
    expect(loadOcrSettings({ NTM_OCR_ENGINE: 'tesseractjs' }).engine).toBe('tesseractjs');
    expect(loadOcrSettings({ NTM_OCR_ENGINE: '  ' }).engine).toBeUndefined();
  });

  it('refuse a bad value naming the variable, in the whole config and the OCR settings alike', () => {
    for (const load of [loadConfig, loadOcrSettings]) {
      expect(() => load({ NTM_OCR_ENGINE: 'cuneiform' })).toThrow(/^Invalid environment: NTM_OCR_ENGINE: .*"tesseractjs"\|"native"/);
      expect(() => load({ NTM_TESSERACT_PATH: '   ' })).toThrow(/^Invalid environment: NTM_TESSERACT_PATH: a command or a path to it/);
      expect(() => load({ NTM_PDF_RENDERER: 'ghostscript' })).toThrow(/^Invalid environment: NTM_PDF_RENDERER: .*"poppler"\|"pdfjs"/);
    }
  });
});
