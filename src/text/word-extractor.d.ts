// word-extractor ships no types; this declares only the part read-doc-text.ts uses.
declare module 'word-extractor' {
  namespace WordExtractor {
    interface Document {
      /** filterUnicode (default true) rewrites curly quotes and dashes to ASCII; pass false to keep the text verbatim. */
      getBody(options?: { filterUnicode?: boolean }): string;
      getFootnotes(options?: { filterUnicode?: boolean }): string;
      getEndnotes(options?: { filterUnicode?: boolean }): string;
      getHeaders(options?: { filterUnicode?: boolean; includeFooters?: boolean }): string;
      getFooters(options?: { filterUnicode?: boolean }): string;
      getAnnotations(options?: { filterUnicode?: boolean }): string;
      getTextboxes(options?: { filterUnicode?: boolean; includeHeadersAndFooters?: boolean; includeBody?: boolean }): string;
    }
  }
  class WordExtractor {
    /** Reads a legacy Word (.doc, OLE compound file) or an OOXML .docx from a buffer or a file path. */
    extract(source: Buffer | string): Promise<WordExtractor.Document>;
  }
  export = WordExtractor;
}
