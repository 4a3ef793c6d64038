import { isUnsupportedInputError, UnsupportedInputError } from '../errors/unsupported-input.error.js';
import { decodePlainText } from './decode-plain-text.js';
import { readLegacyPlainText, repairLegacyPages } from './legacy/repair-legacy-pages.js';
import { inputLimits, type InputLimits } from './input-limits.js';
import { blankPdfPages, isBlankPage } from './ocr/blank-page.js';
import { decodeImagePages } from './ocr/decode-image.js';
import { assertPdfPagesRenderWithin } from './ocr/pdf-page-size.js';
import type { EncodedPageImage } from './ocr/page-image.js';
import { DEFAULT_PDF_OCR_DPI, recognizePages, type OcrOptions, type PageImage } from './ocr/recognize-pages.js';
import { renderPdfPages } from './ocr/render-pdf-pages.js';
import type { ExtractedText, FileKind, PageText } from '../../extractors/text/page-text.js';
import { readDocText } from './read-doc-text.js';
import { readDocxText } from './read-docx-text.js';
import { readPdfPages } from './read-pdf-pages.js';
import { sniffFileKind } from './sniff-file-kind.js';

/** Official PDFs with scanned annexes can be large; past this the parser's memory use is the risk. */
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

export interface ExtractTextOptions {
  maxBytes: number;
  /** Inflated size, pixels and pages a document may have (defaults: DEFAULT_INPUT_LIMITS; NTM_MAX_* in config). */
  limits?: Partial<InputLimits>;
  /**
   * Recognise pages without a text layer (scanned PDF pages, images). Default true; `false`
   * leaves them empty with hasTextLayer false, for callers that only sniff. An object turns
   * OCR on with options (engine, concurrency, PDF render dpi).
   */
  ocr?: boolean | OcrOptions;
  /**
   * Called with (pages done, pages in the document): once when the text layer has been read,
   * then after each recognised page. A worker reports OCR progress through it.
   */
  onPageProgress?: (done: number, total: number) => void;
}

interface ReadPages {
  pages: PageText[];
  /** Renders or decodes the pages listed, for OCR; absent when the kind never needs OCR. */
  images?: (pages: readonly number[], pdfDpi: number) => AsyncIterable<PageImage>;
}

/** The text, and the image of each OCR'd page for the blob store (its words' boxes are on its PageText). */
export interface ExtractedPages extends ExtractedText {
  pageImages: Array<EncodedPageImage & { page: number }>;
}

type Reader = (bytes: Buffer, fileName: string, mime: string, limits: InputLimits) => Promise<ReadPages>;

/** One reader per kind: a new FileKind fails to compile until it has one. */
const READERS: Record<FileKind, Reader> = {
  pdf: async (bytes, fileName, _mime, limits) => ({
    pages: await readPdfPages(bytes, fileName),
    images: async function* (pages, dpi) {
      await assertPdfPagesRenderWithin(bytes, pages, dpi, limits.maxPixels, fileName);
      // Blank pages are found at a low resolution and never rendered for OCR; they pass as one
      // white pixel, so that they count as done below.
      const blank = await blankPdfPages(bytes, pages, fileName);
      for (const page of blank) yield { page, image: { width: 1, height: 1, data: new Uint8Array([255]) } };
      yield* renderPdfPages(
        bytes,
        pages.filter((page) => !blank.has(page)),
        dpi,
        fileName,
      );
    },
  }),
  docx: async (bytes, fileName, _mime, limits) => ({ pages: await readDocxText(bytes, fileName, limits.maxInflatedBytes) }),
  doc: async (bytes, fileName) => ({ pages: await readDocText(bytes, fileName) }),
  // UTF-8/UTF-16, or a legacy TCVN3/VNI file that sniffFileKind recognised (charset x-tcvn3/x-vni).
  txt: async (bytes, fileName, mime) => ({
    pages: [readLegacyPlainText(bytes, mime) ?? { page: 1, text: decodePlainText(bytes, fileName).text, hasTextLayer: true }],
  }),
  image: async (bytes, fileName, mime, limits) => {
    // Decoded once up front: a damaged image is refused before any OCR starts.
    const images = await decodeImagePages(bytes, mime, fileName, limits);
    return {
      pages: images.map((_, index) => ({ page: index + 1, text: '', hasTextLayer: false })),
      images: async function* (pages) {
        for (const page of pages) yield { page, image: images[page - 1]! };
      },
    };
  },
};

/**
 * Turns an uploaded file into page texts, or throws UnsupportedInputError saying why it can't.
 *
 * Text is stored verbatim, line endings included (\r\n stays \r\n): citations are offsets
 * into this text, so any normalisation belongs to matching, which works on a copy. Two
 * exceptions replace the text itself: a page without a text layer gets the text OCR
 * recognised (source 'ocr'), and text in a legacy font encoding is converted to Unicode
 * (source 'legacy_repaired'). OCR engine failures are thrown as OcrEngineError, not as a
 * problem with the file.
 */
export async function extractText(bytes: Buffer, fileName: string, options: ExtractTextOptions): Promise<ExtractedPages> {
  if (bytes.length === 0) {
    throw new UnsupportedInputError(fileName, 'empty', 'the file is empty');
  }
  if (bytes.length > options.maxBytes) {
    throw new UnsupportedInputError(fileName, 'too_large', describeTooLarge(bytes.length, options.maxBytes));
  }

  const limits = inputLimits(options.limits);
  let kind: FileKind;
  let mime: string;
  let read: ReadPages;
  try {
    ({ kind, mime } = await sniffFileKind(bytes, fileName));
    read = await READERS[kind](bytes, fileName, mime, limits);
    if (read.pages.length > limits.maxPages) {
      throw new UnsupportedInputError(
        fileName,
        'too_large',
        `the document has ${read.pages.length} pages, over the ${limits.maxPages}-page limit (NTM_MAX_PAGES)`,
      );
    }
    if (kind === 'txt' && read.pages.every((page) => !/\S/u.test(page.text))) {
      throw new UnsupportedInputError(fileName, 'empty', 'the file contains only whitespace');
    }
  } catch (error) {
    throw asInputError(error, fileName);
  }

  const pages = repairLegacyPages(read.pages);
  const total = pages.length;
  const blank = pages.filter((page) => !page.hasTextLayer).map((page) => page.page);
  options.onPageProgress?.(total - blank.length, total);
  if (options.ocr === false || blank.length === 0 || !read.images) return { kind, mime, pages, pageImages: [] };

  const ocr = options.ocr === true || options.ocr === undefined ? {} : options.ocr;
  let done = total - blank.length;
  // A page that cannot be rendered throws UnsupportedInputError; engine failures throw OcrEngineError.
  const images = read.images(blank, ocr.pdfDpi ?? DEFAULT_PDF_OCR_DPI);
  // A page without ink has nothing to recognise: it stays empty, and counts as done.
  const inked = async function* () {
    for await (const image of images) {
      if (isBlankPage(image.image)) options.onPageProgress?.(++done, total);
      else yield image;
    }
  };
  const recognized = await recognizePages(inked(), ocr, () => {
    options.onPageProgress?.(++done, total);
  });
  const pageImages: ExtractedPages['pageImages'] = [];
  for (const { page, text, confidence, engine, view } of recognized) {
    pages[page - 1] = { page, text, hasTextLayer: false, source: 'ocr', ocrConfidence: confidence, ocrEngine: engine, ocrWords: view.words };
    pageImages.push({ page, ...view.image });
  }
  return { kind, mime, pages, pageImages };
}

function asInputError(error: unknown, fileName: string): UnsupportedInputError {
  if (isUnsupportedInputError(error)) return error;
  // A parser crashing on its input (RangeError on a bad offset…) means the file is damaged.
  const reason = error instanceof Error ? error.message : String(error);
  return new UnsupportedInputError(fileName, 'corrupt', `the file is damaged (${reason})`, { cause: error });
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
