import type { GreyImage } from './grey-image.js';

/** Darker than this (0 black … 255 white) is ink; paper, scanner haze and JPEG noise are lighter. */
const INK = 160;
/**
 * A page is blank when under 1 in 10 000 of its pixels is ink, a share that holds at any
 * resolution: dust, or a page number alone ("- 2 -", half the share at 12 points), stays under
 * it; one line of 12-point text is eight times over.
 */
const MAX_INK_FRACTION = 1e-4;

/**
 * True when the page has (almost) no ink: nothing for OCR to read, which would take about a
 * second even on an empty page (3,000 blank pages, an hour). Checked on the page as rendered
 * for OCR: a PDF render costs mostly decoding the scan's own image, whatever the resolution,
 * so a first low-resolution pass to find blank pages cost nearly as much as the render itself.
 */
export function isBlankPage(image: GreyImage): boolean {
  const allowed = Math.floor(image.data.length * MAX_INK_FRACTION);
  let ink = 0;
  for (let i = 0; i < image.data.length; i++) {
    if (image.data[i]! < INK && ++ink > allowed) return false;
  }
  return true;
}
