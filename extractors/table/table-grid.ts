/**
 * Tables as the text layer writes them: one line per row, cells separated by "|" (Word tables,
 * src/text/docx-table-text.ts) or by tabs (PDF text, where pdf-parse puts a tab at a wide
 * horizontal gap). Rows are read back from the text itself, so a stored page is all a
 * re-extraction needs, and every cell has its range in the matching view.
 */

export interface TableCell {
  /** The cell as written (NFC), trimmed. */
  text: string;
  /** Folded for matching (extractors/text/match-view.ts); the same length as `text`. */
  fold: string;
  /** Range in the matching view; start === end for an empty cell. */
  start: number;
  end: number;
}

export interface TableRow {
  cells: TableCell[];
  /** Its number in the table (1-based, header rows included): a table on a new page starts again at 1. */
  number: number;
  /** The row's line in the matching view, what a statement read from it cites. */
  start: number;
  end: number;
}

export interface TableBlock {
  rows: TableRow[];
  start: number;
  end: number;
  separator: '|' | '\t';
  /** Folded text of the lines just before the table (its title: "Biểu số 01: …"). */
  title: string;
  /** True when only blank lines or a page break stand between this table and the previous one. */
  continuesPrevious: boolean;
}

const MIN_CELLS = 3;
const TITLE_LINES = 3;

/** Every run of consecutive table lines in the document, in order. */
export function findTables(nfc: string, fold: string): TableBlock[] {
  // Most documents have no table at all: one scan for a separator answers that.
  if (!nfc.includes('|') && !nfc.includes('\t')) return [];
  const lines = splitLines(nfc);
  const blocks: TableBlock[] = [];
  let index = 0;
  let lastEnd = -1;
  while (index < lines.length) {
    const line = lines[index]!;
    const separator = separatorOf(line.text);
    if (!separator) {
      index += 1;
      continue;
    }
    const first = index;
    const rows: TableRow[] = [];
    while (index < lines.length && separatorOf(lines[index]!.text) === separator) {
      rows.push(readRow(lines[index]!, separator, fold, rows.length + 1));
      index += 1;
    }
    const start = rows[0]!.start;
    const end = rows.at(-1)!.end;
    const continuesPrevious = lastEnd >= 0 && /^\s*$/u.test(nfc.slice(lastEnd, start));
    blocks.push({ rows, start, end, separator, title: titleBefore(lines, first, fold), continuesPrevious });
    lastEnd = end;
  }
  return blocks;
}

interface Line {
  text: string;
  start: number;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const part of text.split('\n')) {
    lines.push({ text: part, start });
    start += part.length + 1;
  }
  return lines;
}

function separatorOf(line: string): '|' | '\t' | null {
  if (count(line, '|') >= MIN_CELLS - 1) return '|';
  if (count(line.trim(), '\t') >= MIN_CELLS - 1) return '\t';
  return null;
}

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n += 1;
  return n;
}

function readRow(line: Line, separator: string, fold: string, number: number): TableRow {
  const cells: TableCell[] = [];
  let from = 0;
  const text = line.text.replace(/\r$/u, '');
  // A tab-separated row may start with the first cell's indent; it is not an empty cell.
  const parts = text.split(separator);
  if (separator === '\t')
    while (parts.length > 1 && parts[0]!.trim() === '' && cells.length === 0) {
      from += parts.shift()!.length + 1;
    }
  for (const part of parts) {
    const lead = part.length - part.trimStart().length;
    const trimmed = part.trim();
    const start = line.start + from + lead;
    const end = start + trimmed.length;
    cells.push({ text: trimmed, fold: fold.slice(start, end), start, end });
    from += part.length + 1;
  }
  const first = cells.find((cell) => cell.text !== '') ?? cells[0]!;
  const last = [...cells].reverse().find((cell) => cell.text !== '') ?? first;
  return { cells, number, start: first.start, end: last.end };
}

/** The few non-empty lines just before the table (line `first`), folded: where its title and level are written. */
function titleBefore(lines: Line[], first: number, fold: string): string {
  const title: Line[] = [];
  for (let i = first - 1; i >= 0 && title.length < TITLE_LINES; i -= 1) {
    const line = lines[i]!;
    if (line.text.trim() === '') continue;
    if (separatorOf(line.text)) break;
    title.unshift(line);
  }
  return title
    .map((line) => fold.slice(line.start, line.start + line.text.length))
    .join(' ')
    .replace(/\s+/gu, ' ')
    .trim();
}
