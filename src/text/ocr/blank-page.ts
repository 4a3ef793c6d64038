import type { GreyImage } from './grey-image.js';
import { renderPdfPages } from './render-pdf-pages.js';

/** Darker than this (0 black … 255 white) is ink; paper, scanner haze and JPEG noise are lighter. */
const INK = 160;
/**
 * A page is blank when under 1 in 10 000 of its pixels is ink: a page number alone ("- 2 -")
 * is a few hundred ink pixels at the check's 50 dpi, dust on a scanned blank page a handful.
 */
const MAX_INK_FRACTION = 1e-4;
/** Resolution of the blank check for PDF pages: ~0.1 of the pixels of an OCR render. */
export const BLANK_CHECK_DPI = 50;

/** True when the page has (almost) no ink: nothing for OCR to read. */
export function isBlankPage(image: GreyImage): boolean {
  const allowed = Math.floor(image.data.length * MAX_INK_FRACTION);
  let ink = 0;
  for (let i = 0; i < image.data.length; i++) {
    if (image.data[i]! < INK && ++ink > allowed) return false;
  }
  return true;
}

/**
 * Of the given PDF pages, those that render blank at a low resolution: skipped by OCR, which
 * takes about a second a page even on an empty one (3,000 blank pages, an hour).
 */
export async function blankPdfPages(bytes: Uint8Array, pages: readonly number[], fileName: string): Promise<Set<number>> {
  const blank = new Set<number>();
  for await (const { page, image } of renderPdfPages(bytes, pages, BLANK_CHECK_DPI, fileName)) {
    if (isBlankPage(image)) blank.add(page);
  }
  return blank;
}
