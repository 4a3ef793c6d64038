import { PasswordException, PDFParse } from 'pdf-parse';
import { UnsupportedInputError } from '../errors/unsupported-input.error.js';
import type { PageText } from '../../extractors/text/page-text.js';
import { mayHoldTable, readBorderlessPageTables, readPageTables, spliceTables } from './pdf-tables.js';

/** Pages read per pdf-parse call; progress is reported after each window. */
const PAGES_PER_READ = 50;

/**
 * Reads the text layer of every page of a PDF, one PageText per page (1-based).
 * Page texts come from pdf-parse's per-page results, not its joined `text`, which inserts
 * "-- 1 of 3 --" markers. Text is kept exactly as extracted: citations are offsets into it.
 */
export async function readPdfPages(bytes: Uint8Array, fileName: string, onProgress?: (withText: number, total: number) => void): Promise<PageText[]> {
  // A copy: pdf.js may take ownership of (detach) the array it is given.
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    const total = (await parser.getInfo()).total;
    const pages: PageText[] = [];
    let previousHadTable = false;
    let withText = 0;
    // A window of pages at a time: progress on a long PDF, and pdf.js's page objects freed (cleanup) between windows.
    for (let first = 1; first <= total; first += PAGES_PER_READ) {
      const last = Math.min(total, first + PAGES_PER_READ - 1);
      const result = await parser.getText({ first, last });
      for (const { num, text } of result.pages) {
        // No visible character on the page: a scanned image (or a blank page) that needs OCR.
        const hasTextLayer = /\S/u.test(text);
        // Ruled tables are written as rows of " | "-separated cells (pdf-tables.ts); without a
        // ruled one, a borderless table under a status table's header is.
        const search = hasTextLayer && mayHoldTable(text, previousHadTable);
        let tables: string[][][] = search ? await readPageTables(parser, num) : [];
        if (search && tables.length === 0) tables = await readBorderlessPageTables(parser, num);
        previousHadTable = tables.length > 0;
        pages.push({ page: num, text: hasTextLayer ? spliceTables(text, tables) : '', hasTextLayer });
        if (hasTextLayer) withText += 1;
      }
      onProgress?.(withText, total);
    }
    return pages;
  } catch (error) {
    throw toInputError(error, fileName);
  } finally {
    await parser.destroy();
  }
}

function toInputError(error: unknown, fileName: string): UnsupportedInputError {
  // pdf-parse maps pdf.js errors to its own classes only while loading; errors thrown later
  // (reading a page) keep pdf.js's classes, which carry the same names.
  const name = error instanceof Error ? error.name : '';
  if (error instanceof PasswordException || name === 'PasswordException') {
    return new UnsupportedInputError(fileName, 'encrypted', 'the PDF is password-protected', { cause: error });
  }
  // InvalidPDFException, FormatError, UnknownErrorException and anything else: the file is damaged.
  const reason = error instanceof Error ? error.message : String(error);
  return new UnsupportedInputError(fileName, 'corrupt', `the PDF is damaged or incomplete (${reason})`, { cause: error });
}
