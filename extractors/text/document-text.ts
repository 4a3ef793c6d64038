import type { PageText } from './page-text.js';
import { createMatchView, type MatchView } from './match-view.js';

/** A range of one page's stored text: what a citation points at. */
export interface PageSpan {
  page: number;
  start: number;
  end: number;
  /** For a statement read from a table row: the row's number in its table on that page, header rows included (1-based). */
  row?: number;
}

/** Between pages: a paragraph break that no rule reads as part of a statement. */
const PAGE_SEPARATOR = '\n\n';

/**
 * All pages of a document as one text, so that a statement broken by a page break is still
 * read whole; spans are mapped back to (page, start, end) of the stored page texts.
 */
export class DocumentText {
  readonly view: MatchView;
  private readonly pageStarts: number[] = [];

  constructor(readonly pages: readonly PageText[]) {
    let offset = 0;
    const texts: string[] = [];
    for (const page of pages) {
      this.pageStarts.push(offset);
      texts.push(page.text);
      offset += page.text.length + PAGE_SEPARATOR.length;
    }
    this.view = createMatchView(texts.join(PAGE_SEPARATOR));
  }

  get fold(): string {
    return this.view.fold;
  }

  get nfc(): string {
    return this.view.nfc;
  }

  /**
   * Maps a range of the matching view to page spans: one for a range inside a page, one per
   * page for a range that runs over a page break. Whitespace at either end is left out.
   */
  toPageSpans(start: number, end: number): PageSpan[] {
    const rawStart = this.view.toRaw(start);
    const rawEnd = this.view.toRaw(end);
    const spans: PageSpan[] = [];
    this.pages.forEach((page, index) => {
      const pageStart = this.pageStarts[index] ?? 0;
      const pageEnd = pageStart + page.text.length;
      const from = Math.max(rawStart, pageStart);
      const to = Math.min(rawEnd, pageEnd);
      if (from >= to) return;
      const trimmed = trimSpan(page.text, from - pageStart, to - pageStart);
      if (trimmed) spans.push({ page: page.page, ...trimmed });
    });
    return spans;
  }

  /** The stored text a page span covers. */
  quote(span: PageSpan): string {
    const page = this.pages.find((candidate) => candidate.page === span.page);
    return page ? page.text.slice(span.start, span.end) : '';
  }
}

function trimSpan(text: string, start: number, end: number): { start: number; end: number } | null {
  let from = start;
  let to = end;
  while (from < to && /\s/.test(text[from] ?? '')) from += 1;
  while (to > from && /\s/.test(text[to - 1] ?? '')) to -= 1;
  return from < to ? { start: from, end: to } : null;
}
