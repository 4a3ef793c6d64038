import { PDFParse } from 'pdf-parse';
import { UnsupportedInputError } from '../../errors/unsupported-input.error.js';
import { decodeImagePages } from './decode-image.js';
import type { GreyImage } from './grey-image.js';

/** PDF user-space units per inch. */
const POINTS_PER_INCH = 72;

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
const PAGES_PER_PARSER = 8;

/**
 * Renders the given 1-based pages of a PDF to grey rasters, one at a time, so that memory holds
 * one page and the caller can report progress between pages. pdf-parse's getScreenshot is the
 * only public render API; it returns PNG, which costs ~0.3 s a page to encode and decode,
 * small next to the 2–8 s of recognising it.
 */
export async function* renderPdfPages(bytes: Uint8Array, pages: readonly number[], dpi: number, fileName: string): AsyncGenerator<RenderedPage> {
  for (let start = 0; start < pages.length; start += PAGES_PER_PARSER) {
    // A copy: pdf.js may take ownership of (detach) the array it is given.
    const parser = new PDFParse({ data: new Uint8Array(bytes) });
    try {
      for (const page of pages.slice(start, start + PAGES_PER_PARSER)) {
        yield { page, image: await renderPage(parser, page, dpi, fileName), dpi };
      }
    } finally {
      await parser.destroy();
    }
  }
}

async function renderPage(parser: PDFParse, page: number, dpi: number, fileName: string): Promise<GreyImage> {
  let png: Uint8Array | undefined;
  try {
    const shot = await parser.getScreenshot({ partial: [page], scale: dpi / POINTS_PER_INCH, imageDataUrl: false, imageBuffer: true });
    png = shot.pages[0]?.data;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UnsupportedInputError(fileName, 'corrupt', `page ${page} of the PDF cannot be rendered for OCR (${reason})`, { cause: error });
  }
  if (!png || png.length === 0) throw new Error(`pdf-parse rendered no image for page ${page} of ${fileName}`);
  const [image] = await decodeImagePages(png, 'image/png', fileName);
  return image!;
}
