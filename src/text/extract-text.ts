import { isUnsupportedInputError, UnsupportedInputError } from '../errors/unsupported-input.error.js';
import { decodePlainText } from './decode-plain-text.js';
import type { ExtractedText, FileKind, PageText } from './page-text.js';
import { readDocText } from './read-doc-text.js';
import { readDocxText } from './read-docx-text.js';
import { readPdfPages } from './read-pdf-pages.js';
import { sniffFileKind } from './sniff-file-kind.js';

/** Official PDFs with scanned annexes can be large; past this the parser's memory use is the risk. */
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

export interface ExtractTextOptions {
  maxBytes: number;
}

type Reader = (bytes: Buffer, fileName: string) => Promise<PageText[]>;

/** One reader per kind: a new FileKind (images, for OCR) fails to compile until it has one. */
const READERS: Record<FileKind, Reader> = {
  pdf: readPdfPages,
  docx: readDocxText,
  doc: readDocText,
  txt: async (bytes, fileName) => [{ page: 1, text: decodePlainText(bytes, fileName).text, hasTextLayer: true }],
};

/**
 * Turns an uploaded file into page texts, or throws UnsupportedInputError saying why it can't.
 *
 * Text is stored verbatim, line endings included (\r\n stays \r\n): citations are offsets
 * into this text, so any normalisation belongs to matching, which works on a copy.
 */
export async function extractText(bytes: Buffer, fileName: string, options: ExtractTextOptions): Promise<ExtractedText> {
  if (bytes.length === 0) {
    throw new UnsupportedInputError(fileName, 'empty', 'the file is empty');
  }
  if (bytes.length > options.maxBytes) {
    throw new UnsupportedInputError(fileName, 'too_large', describeTooLarge(bytes.length, options.maxBytes));
  }

  try {
    const { kind, mime } = await sniffFileKind(bytes, fileName);
    const pages = await READERS[kind](bytes, fileName);
    if (kind === 'txt' && pages.every((page) => !/\S/u.test(page.text))) {
      throw new UnsupportedInputError(fileName, 'empty', 'the file contains only whitespace');
    }
    return { kind, mime, pages };
  } catch (error) {
    if (isUnsupportedInputError(error)) throw error;
    // A parser crashing on its input (RangeError on a bad offset…) means the file is damaged.
    const reason = error instanceof Error ? error.message : String(error);
    throw new UnsupportedInputError(fileName, 'corrupt', `the file is damaged (${reason})`, { cause: error });
  }
}

function describeTooLarge(size: number, limit: number): string {
  const [shownSize, shownLimit] = [formatMegabytes(size), formatMegabytes(limit)];
  // When rounding hides the difference ("50 MB, over the 50 MB limit"), give exact byte counts too.
  if (shownSize === shownLimit) {
    return `the file is ${shownSize} (${size} bytes), over the ${shownLimit} limit (${limit} bytes)`;
  }
  return `the file is ${shownSize}, over the ${shownLimit} limit`;
}

function formatMegabytes(bytes: number): string {
  const megabytes = bytes / (1024 * 1024);
  // Two significant digits below 1 MB so that small limits still read sensibly.
  const shown = megabytes >= 1 ? megabytes.toFixed(1).replace(/\.0$/, '') : megabytes.toPrecision(2);
  return `${shown} MB`;
}
