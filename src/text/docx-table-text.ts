/**
 * Writes a Word table as text a person reads: one line per row, cells separated by " | ",
 * a blank line before and after the table. The grid is kept: a cell merged across columns
 * (gridSpan) is written once followed by empty cells, a cell merged down rows (vMerge, which
 * mammoth turns into rowSpan and removes from the rows below) leaves an empty cell in those
 * rows, so every row of a table has the same number of cells and a column is a column.
 * extractors/table/ reads the rows back from this text, so the stored page text is the only
 * thing a re-extraction needs.
 */

export const CELL_SEPARATOR = ' | ';

/** The part of mammoth's document tree a table is made of (see mammoth/lib/documents.js). */
export interface DocxTableNode {
  type: string;
  value?: string;
  children?: DocxTableNode[];
  colSpan?: number;
  rowSpan?: number;
}

/** `cellText` writes one cell's content (paragraphs, runs, breaks) with the reader's own rule. */
export function tableToText(table: DocxTableNode, cellText: (cell: DocxTableNode) => string): string {
  const rows = (table.children ?? []).filter((row) => row.type === 'tableRow');
  // Columns still covered by a cell merged down from a row above: column → rows left.
  const covered = new Map<number, number>();
  const lines: string[] = [];
  for (const row of rows) {
    const cells: string[] = [];
    let column = 0;
    const skipCovered = () => {
      while ((covered.get(column) ?? 0) > 0) {
        covered.set(column, (covered.get(column) ?? 1) - 1);
        cells.push('');
        column += 1;
      }
    };
    for (const cell of (row.children ?? []).filter((child) => child.type === 'tableCell')) {
      skipCovered();
      const span = Math.max(1, cell.colSpan ?? 1);
      cells.push(flattenCell(cellText(cell)));
      for (let extra = 1; extra < span; extra += 1) cells.push('');
      if ((cell.rowSpan ?? 1) > 1) for (let k = 0; k < span; k += 1) covered.set(column + k, (cell.rowSpan ?? 1) - 1);
      column += span;
    }
    skipCovered();
    lines.push(cells.join(CELL_SEPARATOR));
  }
  return `${lines.join('\n')}\n\n`;
}

/**
 * One cell on one line: its paragraphs and line breaks joined by "; " (a list wrapped into
 * paragraphs stays a list) or by a space after a separator already written; a "|" inside a
 * cell becomes "/" so that it cannot be read as a cell boundary.
 */
function flattenCell(text: string): string {
  const parts = text
    .split(/\s*\n+\s*/u)
    .map((part) => part.replace(/[ \t]+/gu, ' ').trim())
    .filter((part) => part.length > 0);
  return parts
    .map((part) => part.replace(/\|/gu, '/'))
    .reduce((joined, part) => (joined === '' ? part : /[,;:.\-–]$/u.test(joined) ? `${joined} ${part}` : `${joined}; ${part}`), '');
}
