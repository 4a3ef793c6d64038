/** A sentence-like stretch of the matching view: statements and their cues live inside one. */
export interface Sentence {
  start: number;
  end: number;
}

/**
 * Ends of sentences: a full stop before a capital, a line that starts a list item or a
 * numbered heading, or a line that ends with a colon. Blank lines are not boundaries: converted documents break paragraphs in
 * the middle of sentences, and PDF text has no blank lines at all.
 */
const FULL_STOP = /[.!?](?=\s+[*#"'(\s]*(\S))/dg;
/** "TP. Hà Giang", "TX. Kỳ Anh", "TT. Chi Lăng": a unit's abbreviation ends no sentence. */
const ABBREVIATION = /(?:^|[\s(,;-])(?:tp|tx|tt)\.$/;
const LIST_OR_HEADING_LINE = /\n(?=[ \t*#>]*(?:[-+•]\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|[a-z]\)\s|[ivx]{1,4}\.\s|#))/g;
/** A line that ends with a colon introduces what follows ("… (xã Thượng Cường):" then a paragraph). */
const COLON_LINE_END = /:[ \t*_]*\n/g;

export class Sentences {
  private readonly boundaries: number[];

  constructor(fold: string, nfc: string) {
    const cuts = new Set<number>([0, fold.length]);
    for (const match of fold.matchAll(FULL_STOP)) {
      const nextChar = nfc[match.indices?.[1]?.[0] ?? -1] ?? '';
      if (ABBREVIATION.test(fold.slice(Math.max(0, match.index - 4), match.index + 1))) continue;
      if (nextChar !== nextChar.toLowerCase() || /\d/.test(nextChar)) cuts.add(match.index + 1);
    }
    for (const match of fold.matchAll(LIST_OR_HEADING_LINE)) cuts.add(match.index);
    for (const match of fold.matchAll(COLON_LINE_END)) cuts.add(match.index + match[0].length - 1);
    this.boundaries = [...cuts].sort((a, b) => a - b);
  }

  /** The sentence holding `position`. */
  at(position: number): Sentence {
    let low = 0;
    let high = this.boundaries.length - 1;
    while (high - low > 1) {
      const middle = (low + high) >> 1;
      if ((this.boundaries[middle] ?? 0) <= position) low = middle;
      else high = middle;
    }
    return { start: this.boundaries[low] ?? 0, end: this.boundaries[high] ?? position };
  }

  all(): Sentence[] {
    return this.boundaries.slice(1).map((end, index) => ({ start: this.boundaries[index] ?? 0, end }));
  }
}
