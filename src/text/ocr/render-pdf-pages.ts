import { createCanvas } from '@napi-rs/canvas';
import { getDocument, VerbosityLevel, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { UnsupportedInputError } from '../../errors/unsupported-input.error.js';
import type { PdfRenderer } from '../../config.js';
import { greyFromRgba, type GreyImage } from './grey-image.js';
import { OcrEngineError, ocrSettings } from './ocr-engine.js';
import { isPopplerAvailable, renderWithPoppler } from './poppler-render.js';

/** PDF user-space units per inch. */
const POINTS_PER_INCH = 72;

type RenderParameters = Parameters<PDFPageProxy['render']>[0];

export interface RenderedPage {
  page: number;
  image: GreyImage;
  dpi: number;
}

/**
 * pdf.js keeps about 1 MB per rendered page (fonts, image caches) until its document is
 * destroyed: reopening it every few pages keeps a 300-page scan's memory flat, for the cost of
 * reparsing the cross-reference table (milliseconds, next to seconds of OCR per page).
 */
const PAGES_PER_DOCUMENT = 8;

/**
 * Renders the given 1-based pages of a PDF to grey rasters, one at a time, so that memory holds
 * one page and the caller can report progress between pages: with poppler's pdftoppm when it is
 * installed (or NTM_PDF_RENDERER=poppler), else with pdf.js, which npm always provides
 * (NTM_PDF_RENDERER=pdfjs forces it).
 */
export async function* renderPdfPages(bytes: Uint8Array, pages: readonly number[], dpi: number, fileName: string): AsyncGenerator<RenderedPage> {
  const renderer = await chooseRenderer();
  yield* renderer === 'poppler' ? renderWithPoppler(bytes, pages, dpi, fileName) : renderWithPdfJs(bytes, pages, dpi, fileName);
}

async function chooseRenderer(): Promise<PdfRenderer> {
  const configured = ocrSettings().pdfRenderer;
  if (configured === 'poppler' && !(await isPopplerAvailable())) {
    throw new OcrEngineError('NTM_PDF_RENDERER=poppler was asked for but pdftoppm (Debian poppler-utils) is not installed');
  }
  return configured ?? ((await isPopplerAvailable()) ? 'poppler' : 'pdfjs');
}

/**
 * pdf.js (the engine pdf-parse wraps) draws on a Skia canvas whose pixels are read directly:
 * pdf-parse's getScreenshot returns PNG only, and encoding then decoding it cost 0.4 s of a
 * 0.7 s page render.
 */
async function* renderWithPdfJs(bytes: Uint8Array, pages: readonly number[], dpi: number, fileName: string): AsyncGenerator<RenderedPage> {
  for (let start = 0; start < pages.length; start += PAGES_PER_DOCUMENT) {
    // A copy: pdf.js may take ownership of (detach) the array it is given.
    const document = await openPdf(new Uint8Array(bytes), fileName);
    try {
      for (const page of pages.slice(start, start + PAGES_PER_DOCUMENT)) {
        yield { page, image: await renderPage(document, page, dpi, fileName), dpi };
      }
    } finally {
      await document.destroy();
    }
  }
}

async function openPdf(data: Uint8Array, fileName: string): Promise<PDFDocumentProxy> {
  try {
    return await getDocument({ data, verbosity: VerbosityLevel.ERRORS }).promise;
  } catch (error) {
    throw cannotRender(fileName, 'the PDF cannot be opened for OCR', error);
  }
}

async function renderPage(document: PDFDocumentProxy, pageNumber: number, dpi: number, fileName: string): Promise<GreyImage> {
  try {
    const page = await document.getPage(pageNumber);
    const viewport = page.getViewport({ scale: dpi / POINTS_PER_INCH });
    const canvas = createCanvas(Math.floor(viewport.width), Math.floor(viewport.height));
    const context = canvas.getContext('2d');
    // pdf.js is typed for the DOM's canvas; Skia's implements the part it draws with.
    await page.render({
      canvas: canvas as unknown as RenderParameters['canvas'],
      canvasContext: context as unknown as RenderParameters['canvasContext'],
      viewport,
    }).promise;
    page.cleanup();
    // The canvas's own RGBA pixels, not a copy: getImageData's copy (15 MB a page at 200 dpi)
    // is memory the collector is not told about, and 40 pages of it reached 700 MB. The view
    // is read before the canvas is emptied, which hands Skia's memory back at once.
    const grey = greyFromRgba(canvas.data(), canvas.width, canvas.height);
    canvas.width = canvas.height = 0;
    return grey;
  } catch (error) {
    throw cannotRender(fileName, `page ${pageNumber} of the PDF cannot be rendered for OCR`, error);
  }
}

function cannotRender(fileName: string, what: string, error: unknown): UnsupportedInputError {
  const reason = error instanceof Error ? error.message : String(error);
  return new UnsupportedInputError(fileName, 'corrupt', `${what} (${reason})`, { cause: error });
}
