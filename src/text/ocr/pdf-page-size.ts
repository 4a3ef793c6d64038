import { PDFParse } from 'pdf-parse';
import { UnsupportedInputError } from '../../errors/unsupported-input.error.js';

/** PDF user-space units per inch. */
const POINTS_PER_INCH = 72;

/**
 * Refuses a PDF whose pages to be recognised would render past `maxPixels` at `dpi`: a page
 * can declare a MediaBox of 200 × 200 inches (40000² pixels at 200 dpi) in a few bytes, an
 * image bomb the renderer would allocate. Sizes come from the page dictionaries, nothing is drawn.
 */
export async function assertPdfPagesRenderWithin(bytes: Uint8Array, pages: readonly number[], dpi: number, maxPixels: number, fileName: string): Promise<void> {
  if (pages.length === 0) return;
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  let sizes: Array<{ pageNumber: number; width: number; height: number }>;
  try {
    sizes = (await parser.getInfo({ parsePageInfo: true, partial: [...pages] })).pages;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UnsupportedInputError(fileName, 'corrupt', `the PDF's page sizes cannot be read (${reason})`, { cause: error });
  } finally {
    await parser.destroy();
  }
  for (const { pageNumber, width, height } of sizes) {
    const [columns, rows] = [Math.ceil((width / POINTS_PER_INCH) * dpi), Math.ceil((height / POINTS_PER_INCH) * dpi)];
    if (columns * rows > maxPixels) {
      throw new UnsupportedInputError(
        fileName,
        'too_large',
        `page ${pageNumber} of the PDF would render at ${columns}×${rows} pixels for OCR (${Math.round((columns * rows) / 1e5) / 10} megapixels at ${dpi} dpi), over the ${Math.round(maxPixels / 1e5) / 10} megapixels limit (NTM_MAX_MEGAPIXELS)`,
      );
    }
  }
}
