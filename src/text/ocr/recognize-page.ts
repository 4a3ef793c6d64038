import { straighten, turnGrey } from './deskew.js';
import type { GreyImage } from './grey-image.js';
import type { OcrEngine, RecognizedText } from './ocr-engine.js';
import { pageView, type PageView } from './page-view.js';
import { readBorderlessTables } from './scanned-borderless-tables.js';
import { cellKey, cellStrips, eraseRules, findTableGrids, narrowCells, pageTextWithTables, stripCellTexts } from './scanned-tables.js';

/**
 * Below this mean confidence the page may be upside down (or a quarter turn the wrong way):
 * a straight page of typed text scores 85–95, an inverted one under 40.
 */
const DOUBTFUL_CONFIDENCE = 60;

export interface PageRecognition extends RecognizedText {
  /** Clockwise degrees the page was turned before recognition: quarter turns plus the deskew angle. */
  correctedDegrees: number;
  /** The image the words were read from, and each word's box on it and place in `text` (for the review page). */
  view: PageView;
}

/**
 * Straightens a page and recognises it. Sideways pages are found from the ink's projection
 * profiles and skew by a projection search (see deskew.ts), both engine-independent and cheap.
 * Upside-down pages look straight to both, so a doubtful result is retried turned 180° and the
 * more confident reading wins: it costs a second pass only on pages that read badly anyway.
 */
export async function recognizePage(engine: OcrEngine, page: GreyImage, dpi: number | undefined): Promise<PageRecognition> {
  const straight = straighten(page);
  const { correctedDegrees } = straight;
  // A ruled table: its rules found and whitened first, its words put back into cells.
  const grids = findTableGrids(straight.image);
  if (grids.length > 0) {
    const erased = eraseRules(straight.image, grids);
    const read = await engine.recognize(erased, dpi);
    // Narrow cells (a matrix's marks) read again row by row, blank ones left blank.
    const narrow = narrowCells(erased, grids);
    const reread = new Map<string, string>(narrow.filter((cell) => !cell.image).map((cell) => [cellKey(cell.table, cell.row, cell.column), '']));
    for (const strip of cellStrips(narrow)) {
      for (const [key, text] of stripCellTexts(strip, (await engine.recognize(strip.image, dpi, 'line')).tsv ?? '')) reread.set(key, text);
    }
    const text = pageTextWithTables(read.tsv ?? '', grids, reread);
    // The image shown keeps its rules (same geometry as the erased one the words were read from).
    return { ...read, text, correctedDegrees, view: pageView(straight.image, text, read.tsv ?? '') };
  }
  const first = await engine.recognize(straight.image, dpi);
  // Without ruling lines, a table kept by alignment alone is read from the word boxes.
  const withView = async (image: GreyImage, read: RecognizedText, degrees: number): Promise<PageRecognition> => {
    const tabled = await readBorderlessTables(engine, image, dpi, { ...read, correctedDegrees: degrees });
    return { ...tabled, view: pageView(image, tabled.text, tabled.tsv ?? '') };
  };
  if (first.confidence >= DOUBTFUL_CONFIDENCE || first.words === 0) return withView(straight.image, first, correctedDegrees);

  const upsideDown = turnGrey(straight.image, 2);
  const turned = await engine.recognize(upsideDown, dpi);
  return turned.confidence > first.confidence ? withView(upsideDown, turned, correctedDegrees + 180) : withView(straight.image, first, correctedDegrees);
}
