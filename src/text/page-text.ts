/** The file formats the text layer reads, sniffed from the bytes, never from the name. */
export type FileKind = 'pdf' | 'docx' | 'doc' | 'txt';

/**
 * One page of a document as it was extracted. `text` is stored verbatim: every citation is
 * an offset range into it, so it is never normalised here (matching normalises a copy).
 */
export interface PageText {
  /** 1-based page number. Word files and plain text are one page. */
  page: number;
  text: string;
  /** False for a page with no text layer (a scanned page): it needs OCR, which comes later. */
  hasTextLayer: boolean;
}

export interface ExtractedText {
  kind: FileKind;
  mime: string;
  pages: PageText[];
}
