import { isUnsupportedInputError, UnsupportedInputError } from '../errors/unsupported-input.error.js';
import { decodePlainText } from './decode-plain-text.js';
import { readLegacyPlainText, repairLegacyPages } from './legacy/repair-legacy-pages.js';
import { inputLimits, type InputLimits } from './input-limits.js';
import { isBlankPage } from './ocr/blank-page.js';
import { assertPdfPagesRenderWithin } from './ocr/pdf-page-size.js';
import type { EncodedPageImage } from './ocr/page-image.js';
import { DEFAULT_PDF_OCR_DPI } from './ocr/ocr-engine.js';
import { recognizePages, type EngineSupply, type OcrOptions, type PageImage } from './ocr/recognize-pages.js';
import { renderPdfPages } from './ocr/render-pdf-pages.js';
import type { ExtractedText, FileKind, PageText } from '../../extractors/text/page-text.js';
import { readPdfPages } from './read-pdf-pages.js';
import { sniffFileKind } from './sniff-file-kind.js';
import { changedProgress } from './page-progress.js';

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

/** The image of an OCR'd page, for the blob store (its words' boxes are on its PageText). */
export type OcrPageImage = EncodedPageImage & { page: number };

/** The text, and the image of each OCR'd page. */
export interface ExtractedPages extends ExtractedText {
  pageImages: OcrPageImage[];
}

/** Pages recognised by OCR, and the images their words were read from. */
export interface RecognizedPages {
  pages: PageText[];
  images: OcrPageImage[];
}

type Reader = (bytes: Buffer, fileName: string, mime: string, limits: InputLimits, onPages?: (done: number, total: number) => void) => Promise<PageText[]>;

/**
 * One reader per kind: a new FileKind fails to compile until it has one. The readers of Word
 * files and images load their libraries (mammoth, word-extractor, the image decoders) on first
 * use: every extraction thread loads this module, and a batch of scans never needs them.
 */
const READERS: Record<FileKind, Reader> = {
  pdf: (bytes, fileName, _mime, _limits, onPages) => readPdfPages(bytes, fileName, onPages),
  docx: async (bytes, fileName, _mime, limits) => (await import('./read-docx-text.js')).readDocxText(bytes, fileName, limits.maxInflatedBytes),
  doc: async (bytes, fileName) => (await import('./read-doc-text.js')).readDocText(bytes, fileName),
  // UTF-8/UTF-16, or a legacy TCVN3/VNI file that sniffFileKind recognised (charset x-tcvn3/x-vni).
  txt: async (bytes, fileName, mime) => [readLegacyPlainText(bytes, mime) ?? { page: 1, text: decodePlainText(bytes, fileName).text, hasTextLayer: true }],
  image: async (bytes, fileName, mime, limits) => {
    // Decoded once up front (and again when recognised): a damaged image is refused before any OCR starts.
    const { decodeImagePages } = await import('./ocr/decode-image.js');
    const images = await decodeImagePages(bytes, mime, fileName, limits);
    return images.map((_, index) => ({ page: index + 1, text: '', hasTextLayer: false }));
  },
};

type ImageSource = (
  bytes: Uint8Array,
  fileName: string,
  mime: string,
  limits: InputLimits,
  pages: readonly number[],
  pdfDpi: number,
) => AsyncIterable<PageImage>;

/** Renders or decodes the pages listed, for OCR; only the kinds whose pages may need it have one. */
const IMAGE_SOURCES: Partial<Record<FileKind, ImageSource>> = {
  pdf: (bytes, fileName, _mime, _limits, pages, dpi) => renderPdfPages(bytes, pages, dpi, fileName),
  image: async function* (bytes, fileName, mime, limits, pages) {
    const { decodeImagePages } = await import('./ocr/decode-image.js');
    const images = await decodeImagePages(bytes, mime, fileName, limits);
    for (const page of pages) yield { page, image: images[page - 1]! };
  },
};

/** A document's own text, before OCR: what the pool's first task returns. */
export interface ReadDocument extends ExtractedText {
  /** Pages without a text layer, to recognise (empty when the kind never needs OCR). */
  toRecognize: number[];
}

/**
 * Sniffs and reads a file's text layer (PDF, DOCX, DOC, plain text), and lists the pages that
 * need OCR, or throws UnsupportedInputError saying why it can't. Text is stored verbatim, line
 * endings included (\r\n stays \r\n): citations are offsets into this text, so any
 * normalisation belongs to matching, which works on a copy. Text in a legacy font encoding is
 * converted to Unicode (source 'legacy_repaired').
 *
 * NTM_MAX_PAGES bounds the pages to render and recognise, not the text pages: a 2,000-page
 * text PDF is read in a few seconds and little memory, a 2,000-page scan would take an hour.
 */
export async function readDocument(
  bytes: Buffer,
  fileName: string,
  options: Pick<ExtractTextOptions, 'maxBytes' | 'limits' | 'onPageProgress'> & { pdfDpi?: number },
): Promise<ReadDocument> {
  if (bytes.length === 0) {
    throw new UnsupportedInputError(fileName, 'empty', 'the file is empty');
  }
  if (bytes.length > options.maxBytes) {
    throw new UnsupportedInputError(fileName, 'too_large', describeTooLarge(bytes.length, options.maxBytes));
  }

  const limits = inputLimits(options.limits);
  try {
    const { kind, mime } = await sniffFileKind(bytes, fileName);
    const read = await READERS[kind](bytes, fileName, mime, limits, options.onPageProgress);
    const toRecognize = IMAGE_SOURCES[kind] ? read.filter((page) => !page.hasTextLayer).map((page) => page.page) : [];
    if (toRecognize.length > limits.maxPages) {
      const what = toRecognize.length === read.length ? 'pages' : `pages without a text layer (of ${read.length})`;
      throw new UnsupportedInputError(
        fileName,
        'too_large',
        `the document has ${toRecognize.length} ${what} to recognise, over the ${limits.maxPages}-page limit (NTM_MAX_PAGES)`,
      );
    }
    if (kind === 'txt' && read.every((page) => !/\S/u.test(page.text))) {
      throw new UnsupportedInputError(fileName, 'empty', 'the file contains only whitespace');
    }
    // Page sizes from the page dictionaries, nothing drawn: a bomb page is refused before any page is recognised.
    if (kind === 'pdf') await assertPdfPagesRenderWithin(bytes, toRecognize, options.pdfDpi ?? DEFAULT_PDF_OCR_DPI, limits.maxPixels, fileName);
    return { kind, mime, pages: repairLegacyPages(read), toRecognize };
  } catch (error) {
    throw asInputError(error, fileName);
  }
}

/**
 * Recognises some of a document's pages (`pages`, 1-based, from ReadDocument.toRecognize):
 * renders or decodes them one at a time, skips blank ones, straightens and recognises the rest.
 * Calls `onPage` after each page, blank ones included. Returns only the pages that were read.
 * A page that cannot be rendered throws UnsupportedInputError; engine failures throw OcrEngineError.
 */
export async function recognizeDocumentPages(
  bytes: Uint8Array,
  fileName: string,
  document: Pick<ReadDocument, 'kind' | 'mime'>,
  pages: readonly number[],
  options: { ocr: OcrOptions; limits?: Partial<InputLimits>; onPage?: () => void; engines?: EngineSupply },
): Promise<RecognizedPages> {
  const source = IMAGE_SOURCES[document.kind];
  if (!source || pages.length === 0) return { pages: [], images: [] };
  const images = source(bytes, fileName, document.mime, inputLimits(options.limits), pages, options.ocr.pdfDpi ?? DEFAULT_PDF_OCR_DPI);
  // A page without ink has nothing to recognise: it stays empty, and counts as done.
  const inked = async function* () {
    for await (const image of images) {
      if (isBlankPage(image.image)) options.onPage?.();
      else yield image;
    }
  };
  const recognized = await recognizePages(inked(), options.ocr, () => options.onPage?.(), options.engines);
  return {
    pages: recognized.map(({ page, text, confidence, engine, view }) => ({
      page,
      text,
      hasTextLayer: false,
      source: 'ocr',
      ocrConfidence: confidence,
      ocrEngine: engine,
      ocrWords: view.words,
    })),
    images: recognized.map(({ page, view }) => ({ page, ...view.image })),
  };
}

/**
 * Turns an uploaded file into page texts in this thread, or throws UnsupportedInputError saying
 * why it can't: readDocument, then every page without a text layer recognised (source 'ocr').
 * OCR engine failures are thrown as OcrEngineError, not as a problem with the file. The
 * extraction pool (src/pipeline/extraction-pool.ts) runs the same two steps, the pages of a
 * scan spread over its threads.
 */
export async function extractText(bytes: Buffer, fileName: string, options: ExtractTextOptions): Promise<ExtractedPages> {
  const ocr: OcrOptions = typeof options.ocr === 'object' ? options.ocr : {};
  const onPageProgress = changedProgress(options.onPageProgress);
  const read = await readDocument(bytes, fileName, { ...options, onPageProgress, pdfDpi: ocr.pdfDpi ?? DEFAULT_PDF_OCR_DPI });
  const { kind, mime, pages, toRecognize } = read;
  const total = pages.length;
  onPageProgress(total - toRecognize.length, total);
  if (options.ocr === false || toRecognize.length === 0) return { kind, mime, pages, pageImages: [] };

  let done = total - toRecognize.length;
  const recognized = await recognizeDocumentPages(bytes, fileName, read, toRecognize, {
    ocr,
    ...(options.limits ? { limits: options.limits } : {}),
    onPage: () => onPageProgress(++done, total),
  });
  for (const page of recognized.pages) pages[page.page - 1] = page;
  return { kind, mime, pages, pageImages: recognized.images };
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
