import type { GreyImage } from './grey-image.js';

/**
 * Ruled tables on a scanned page. Page-level OCR reads a ruled table as noise (the rules merge
 * with the letters and cells run together), so the grid is found first from the image — long
 * dark horizontal runs are the row rules, the columns of dark pixels between two rules are
 * the column rules — then the rules are whitened and the page is recognised once more, and
 * each word is put in the cell its centre falls in (tesseract's word boxes, TSV output).
 * The page text then gets each table as rows of " | "-separated cells, like a Word or PDF
 * table, between the lines of text around it.
 */

export interface TableGrid {
  /** y of each row rule, top to bottom. */
  rows: number[];
  /** x of each column rule, left to right (over all rows: merged cells lack some). */
  columns: number[];
  /** Per band between two row rules, the column rules it has. */
  bandColumns: number[][];
  /** Where each row rule runs: a cell merged down over two bands has no rule between them. */
  ruleSpans: Array<{ start: number; end: number }>;
  left: number;
  right: number;
}

const DARK = 150;
/** Lighter than this inside a table is paper. */
const PAPER = 170;
/** A row rule runs over at least this share of the page width. */
const MIN_RULE_SHARE = 0.3;

function isDark(image: GreyImage, x: number, y: number): boolean {
  return x >= 0 && y >= 0 && x < image.width && y < image.height && image.data[y * image.width + x]! < DARK;
}

/** Longest dark run of row y (a pixel counts when it or the one above or below is dark: a rule a little off level). */
function longestRun(image: GreyImage, y: number): { start: number; end: number } {
  let best = { start: 0, end: 0 };
  let start = -1;
  let gap = 0;
  for (let x = 0; x <= image.width; x += 1) {
    const dark = x < image.width && (isDark(image, x, y) || isDark(image, x, y - 1) || isDark(image, x, y + 1));
    if (dark) {
      if (start < 0) start = x;
      gap = 0;
    } else if (start >= 0 && ++gap > 3) {
      const end = x - gap;
      if (end - start > best.end - best.start) best = { start, end };
      start = -1;
      gap = 0;
    }
  }
  return best;
}

/** Share of dark pixels in column x (or its neighbours) between two rows. */
function columnDarkShare(image: GreyImage, x: number, top: number, bottom: number): number {
  let dark = 0;
  for (let y = top; y < bottom; y += 1) if (isDark(image, x, y) || isDark(image, x - 1, y) || isDark(image, x + 1, y)) dark += 1;
  return bottom > top ? dark / (bottom - top) : 0;
}

export function findTableGrids(image: GreyImage): TableGrid[] {
  // Row rules: runs of neighbouring rows with a long dark run, each merged into one rule.
  const rules: Array<{ y: number; start: number; end: number }> = [];
  let group: Array<{ y: number; start: number; end: number }> = [];
  const close = () => {
    if (group.length === 0) return;
    rules.push({
      y: Math.round(group.reduce((sum, r) => sum + r.y, 0) / group.length),
      start: Math.min(...group.map((r) => r.start)),
      end: Math.max(...group.map((r) => r.end)),
    });
    group = [];
  };
  for (let y = 0; y < image.height; y += 1) {
    const run = longestRun(image, y);
    if (run.end - run.start >= image.width * MIN_RULE_SHARE) group.push({ y, ...run });
    else close();
  }
  close();

  // Consecutive rules joined by the table's left border belong to one table.
  const grids: TableGrid[] = [];
  let current: typeof rules = [];
  const finish = () => {
    if (current.length >= 3) {
      const grid = columnsOf(image, current);
      if (grid) grids.push(grid);
    }
    current = [];
  };
  for (const rule of rules) {
    const previous = current.at(-1);
    if (previous) {
      // The table's left border joins its rules (a rule under a merged cell starts further right).
      const left = Math.min(...current.map((r) => r.start));
      const joined = rule.start >= left - 12 && columnDarkShare(image, left + 1, previous.y + 3, rule.y - 2) > 0.85;
      if (!joined) finish();
    }
    current.push(rule);
  }
  finish();
  return grids;
}

function columnsOf(image: GreyImage, rules: Array<{ y: number; start: number; end: number }>): TableGrid | null {
  const left = Math.min(...rules.map((r) => r.start));
  const right = Math.max(...rules.map((r) => r.end));
  const perBand: number[][] = [];
  for (let band = 0; band + 1 < rules.length; band += 1) {
    const top = rules[band]!.y + 4;
    const bottom = rules[band + 1]!.y - 3;
    const found: number[] = [];
    if (bottom - top >= 6) for (let x = left - 2; x <= right + 2; x += 1) if (columnDarkShare(image, x, top, bottom) > 0.9) found.push(x);
    perBand.push(cluster(found));
  }
  const columns = cluster(perBand.flat());
  if (columns.length < 3) return null;
  // Each band keeps the rules it has: a cell merged across columns spans from one to the next.
  const bandColumns = perBand.map((found) => columns.filter((x) => found.some((f) => Math.abs(f - x) <= 6)));
  return { rows: rules.map((r) => r.y), columns, bandColumns, ruleSpans: rules.map((r) => ({ start: r.start, end: r.end })), left, right };
}

/** Neighbouring x (a rule is a few pixels wide, and a little off vertical) are one rule. */
function cluster(xs: number[]): number[] {
  const out: number[] = [];
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    const last = out.at(-1);
    if (last !== undefined && x - last <= 6) continue;
    out.push(x);
  }
  return out;
}

/** The band a point falls in; the band above when no rule runs between them there (a cell merged down). */
function bandAt(grid: TableGrid, x: number, y: number): number {
  let band = indexIn(grid.rows, y);
  while (band > 0 && !covers(grid.ruleSpans[band]!, x)) band -= 1;
  return band;
}

function covers(span: { start: number; end: number }, x: number): boolean {
  return x >= span.start - 4 && x <= span.end + 4;
}

/** The grid column a point of a band falls in: the first column of the (merged) cell holding it. */
function cellColumn(grid: TableGrid, band: number, x: number): number {
  const local = grid.bandColumns[band] ?? grid.columns;
  const index = indexIn(local, x);
  if (index < 0) return -1;
  return grid.columns.indexOf(local[index]!);
}

export interface CellImage {
  table: number;
  row: number;
  column: number;
  /** Null for a cell without ink: blank, whatever page OCR made of the rules' remains. */
  image: GreyImage | null;
}

/**
 * Cells too narrow for page OCR to keep apart (a matrix's marks run together into one "word"):
 * each is cut out, cleaned, and read alone as one line. Cells without ink are blank.
 */
export function narrowCells(image: GreyImage, grids: TableGrid[]): CellImage[] {
  const cells: CellImage[] = [];
  grids.forEach((grid, table) => {
    // Narrow against a row of one line of text: the lowest band.
    const narrow = 2.5 * Math.min(...grid.rows.slice(1).map((y, i) => y - grid.rows[i]!));
    grid.bandColumns.forEach((local, row) => {
      for (let i = 0; i + 1 < local.length; i += 1) {
        const center = (local[i]! + local[i + 1]!) / 2;
        // The lower part of a cell merged down is read with its top.
        if (row > 0 && !covers(grid.ruleSpans[row]!, center)) continue;
        let below = row + 1;
        while (below < grid.rows.length - 1 && !covers(grid.ruleSpans[below]!, center)) below += 1;
        const top = grid.rows[row]! + 5;
        const bottom = grid.rows[below]! - 4;
        const [x0, x1] = [local[i]! + 7, local[i + 1]! - 6];
        if (x1 - x0 > narrow || x1 <= x0 || bottom <= top) continue;
        const pad = 12;
        const crop: GreyImage = {
          width: x1 - x0 + 2 * pad,
          height: bottom - top + 2 * pad,
          data: new Uint8Array((x1 - x0 + 2 * pad) * (bottom - top + 2 * pad)).fill(255),
        };
        // Ink is counted in the middle of the cell, where a mark is: a rule's remains hug the edges.
        const [inkFrom, inkTo] = [x0 + (x1 - x0) * 0.2, x1 - (x1 - x0) * 0.2];
        let ink = 0;
        for (let y = top; y < bottom; y += 1)
          for (let x = x0; x < x1; x += 1) {
            const value = image.data[y * image.width + x]!;
            if (value < DARK && x >= inkFrom && x <= inkTo) ink += 1;
            crop.data[(y - top + pad) * crop.width + (x - x0 + pad)] = value >= PAPER ? 255 : value;
          }
        cells.push({ table, row, column: grid.columns.indexOf(local[i]!), image: ink >= 12 ? crop : null });
      }
    });
  });
  return cells;
}

/** The page with its table rules whitened, so that OCR reads the cells' words alone. */
export function eraseRules(image: GreyImage, grids: TableGrid[]): GreyImage {
  const data = new Uint8Array(image.data);
  const whiten = (x: number, y: number) => {
    if (x >= 0 && y >= 0 && x < image.width && y < image.height) data[y * image.width + x] = 255;
  };
  for (const grid of grids) {
    const top = grid.rows[0]!;
    const bottom = grid.rows.at(-1)!;
    // Paper grain and what is left of the rules, blank: with little ink in a cell, tesseract's
    // own threshold (Otsu) would turn that grey into marks ("2, 3, 5" read as "22375").
    for (let y = Math.max(0, top - 4); y <= Math.min(image.height - 1, bottom + 4); y += 1) {
      for (let x = Math.max(0, grid.left - 4); x <= Math.min(image.width - 1, grid.right + 4); x += 1)
        if (image.data[y * image.width + x]! >= PAPER) data[y * image.width + x] = 255;
    }
    for (const y of grid.rows)
      for (let dy = -4; dy <= 4; dy += 1)
        for (let x = grid.left - 4; x <= grid.right + 4; x += 1) if (image.data[(y + dy) * image.width + x]! < 200) whiten(x, y + dy);
    for (const x of grid.columns)
      for (let dx = -4; dx <= 4; dx += 1)
        for (let y = top - 4; y <= bottom + 4; y += 1) {
          // Only the rule: a letter touching it keeps its pixels where the rule is not dark above and below.
          if (isDark(image, x + dx, y - 3) && isDark(image, x + dx, y + 3)) whiten(x + dx, y);
        }
  }
  return { ...image, data };
}

export interface Word {
  text: string;
  left: number;
  top: number;
  width: number;
  height: number;
  confidence: number;
  line: string;
}

/** The words of tesseract's TSV with their boxes and line ('block.paragraph.line'). */
export function wordsOf(tsv: string): Word[] {
  const words: Word[] = [];
  for (const row of tsv.split('\n')) {
    const c = row.split('\t');
    if (c[0] !== '5' || c.length < 12) continue;
    const text = c.slice(11).join('\t').trim();
    if (text === '') continue;
    words.push({
      text,
      left: Number(c[6]),
      top: Number(c[7]),
      width: Number(c[8]),
      height: Number(c[9]),
      confidence: Number(c[10]),
      line: `${c[2]}.${c[3]}.${c[4]}`,
    });
  }
  return words;
}

/** Key of a cell read alone (narrowCells) in the map pageTextWithTables takes. */
export function cellKey(table: number, row: number, column: number): string {
  return `${table}:${row}:${column}`;
}

function indexIn(bounds: number[], value: number): number {
  for (let i = 0; i + 1 < bounds.length; i += 1) if (value >= bounds[i]! && value < bounds[i + 1]!) return i;
  return -1;
}

/**
 * The page text from the recognised words: lines of text as tesseract grouped them, and each
 * table as rows of cells, in reading order (top to bottom).
 */
export function pageTextWithTables(tsv: string, grids: TableGrid[], reread: ReadonlyMap<string, string> = new Map()): string {
  const words = wordsOf(tsv).map((word) => ({ ...word, text: word.text.replace(/Ð/g, 'Đ').replace(/ð/g, 'đ').replace(/\|/g, '/') }));
  const pieces: Array<{ y: number; text: string }> = [];
  const cells = grids.map((grid) => grid.rows.slice(1).map(() => grid.columns.slice(1).map(() => [] as Word[])));
  const lines = new Map<string, Word[]>();
  for (const word of words) {
    const cx = word.left + word.width / 2;
    const cy = word.top + word.height / 2;
    const table = grids.findIndex((grid) => cy >= grid.rows[0]! && cy < grid.rows.at(-1)! && cx >= grid.left - 4 && cx <= grid.right + 4);
    if (table >= 0) {
      const grid = grids[table]!;
      // A sliver beside a column rule is what is left of the rule, not a letter.
      if (word.width < 15 && grid.columns.some((x) => Math.abs(x - cx) < 10)) continue;
      const row = bandAt(grid, cx, cy);
      const column = row >= 0 ? cellColumn(grid, row, cx) : -1;
      if (row >= 0 && column >= 0) cells[table]![row]![column]!.push(word);
      continue;
    }
    lines.set(word.line, [...(lines.get(word.line) ?? []), word]);
  }
  for (const line of lines.values())
    pieces.push({
      y: Math.min(...line.map((w) => w.top)),
      text: line
        .sort((a, b) => a.left - b.left)
        .map((w) => w.text)
        .join(' '),
    });
  grids.forEach((grid, table) => {
    const rows = cells[table]!.map((row, r) =>
      row.map(
        (cell, c) =>
          reread.get(cellKey(table, r, c)) ??
          cell
            .sort((a, b) => (Math.abs(a.top - b.top) > a.height / 2 ? a.top - b.top : a.left - b.left))
            .map((w) => w.text)
            .join(' '),
      ),
    )
      .filter((row) => row.some((cell) => cell !== ''))
      .map((row) => row.join(' | '));
    pieces.push({ y: grid.rows[0]!, text: `\n${rows.join('\n')}\n` });
  });
  pieces.sort((a, b) => a.y - b.y);
  const text = pieces
    .map((piece) => piece.text)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return text === '' ? '' : `${text}\n`;
}

/** Gap between two cells laid side by side in a strip: wide enough that no word spans it. */
const STRIP_GAP = 48;

export interface CellStrip {
  image: GreyImage;
  /** Each cell's key and its x range in the strip. */
  cells: Array<{ key: string; start: number; end: number }>;
}

/**
 * The narrow cells of one table row that hold ink, side by side with wide gaps, to be read as
 * one line: one OCR call per row instead of one per cell (a 19-criterion matrix row has 19).
 */
export function cellStrips(cells: readonly CellImage[]): CellStrip[] {
  const rows = new Map<string, CellImage[]>();
  for (const cell of cells) if (cell.image) rows.set(`${cell.table}:${cell.row}`, [...(rows.get(`${cell.table}:${cell.row}`) ?? []), cell]);
  return [...rows.values()].map((row) => {
    const height = Math.max(...row.map((cell) => cell.image!.height));
    const width = row.reduce((sum, cell) => sum + cell.image!.width, 0) + STRIP_GAP * (row.length + 1);
    const data = new Uint8Array(width * height).fill(255);
    const placed: CellStrip['cells'] = [];
    let x = STRIP_GAP;
    for (const cell of row) {
      const image = cell.image!;
      const top = Math.floor((height - image.height) / 2);
      for (let y = 0; y < image.height; y += 1) data.set(image.data.subarray(y * image.width, (y + 1) * image.width), (y + top) * width + x);
      placed.push({ key: cellKey(cell.table, cell.row, cell.column), start: x - STRIP_GAP / 2, end: x + image.width + STRIP_GAP / 2 });
      x += image.width + STRIP_GAP;
    }
    return { image: { width, height, data }, cells: placed };
  });
}

/** The words of a strip's reading (its TSV) back in their cells. */
export function stripCellTexts(strip: CellStrip, tsv: string): Map<string, string> {
  const texts = new Map<string, string[]>(strip.cells.map((cell) => [cell.key, []]));
  for (const word of wordsOf(tsv)) {
    const center = word.left + word.width / 2;
    const cell = strip.cells.find((c) => center >= c.start && center < c.end);
    if (cell) texts.get(cell.key)!.push(word.text.replace(/Ð/g, 'Đ').replace(/ð/g, 'đ').replace(/\|/g, '/'));
  }
  return new Map([...texts].map(([key, words]) => [key, words.join(' ')]));
}
