/** The file formats the text layer reads, sniffed from the bytes, never from the name. */
export type FileKind = 'pdf' | 'docx' | 'doc' | 'txt' | 'image';

/** Where a page's text came from; absent means the file's own text layer, as extracted. */
export type PageTextSource = 'text_layer' | 'ocr' | 'legacy_repaired';

/** The legacy Vietnamese font encodings whose text is converted to Unicode (see legacy/). */
export type LegacyEncoding = 'tcvn3' | 'vni';

/**
 * One page of a document as it was extracted. `text` is stored verbatim: every citation is
 * an offset range into it, so it is never normalised here (matching normalises a copy).
 * For a recognised (OCR) or repaired (legacy encoding) page, the stored text is the
 * recognised or converted text, and citations point into that.
 */
export interface PageText {
  /** 1-based page number. Word files and plain text are one page; a TIFF has one per image. */
  page: number;
  text: string;
  /** False for a page with no text layer (a scanned page or an image), even once OCR has read it. */
  hasTextLayer: boolean;
  /** Set for pages whose text did not come straight from the text layer. */
  source?: PageTextSource;
  /** OCR pages: mean word confidence 0–100 (tesseract's, weighted by word length). */
  ocrConfidence?: number;
  /** OCR pages: which engine read the page. */
  ocrEngine?: 'tesseractjs' | 'native';
  /**
   * Legacy-encoded text converted to Unicode: from which encoding, and whether the result is
   * doubtful (few Vietnamese syllables after conversion, or encodings mixed) and needs review.
   */
  encoding?: { from: LegacyEncoding; doubtful: boolean };
  /** OCR pages: every word tesseract read, with its box on `ocrImage` and its place in `text`. */
  ocrWords?: OcrWordBox[];
  /** OCR pages: the page image the words were read from (straightened), as stored in the blob store. */
  ocrImage?: PageImageRef;
}

/**
 * A word read by OCR: `text.slice(start, end)` of its page is the word, and its box is in pixels
 * of the page's stored image (left, top, width, height). `confidence` is tesseract's, 0–100.
 */
export interface OcrWordBox {
  start: number;
  end: number;
  left: number;
  top: number;
  width: number;
  height: number;
  confidence: number;
}

/** A stored page image: a JPEG in the blob store under its SHA-256, and its size in pixels. */
export interface PageImageRef {
  sha256: string;
  width: number;
  height: number;
}

export interface ExtractedText {
  kind: FileKind;
  mime: string;
  pages: PageText[];
}
