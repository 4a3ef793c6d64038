import { findBorderlessTables, hasStatusTableHeader, type BorderlessTable, type TextBox } from '../borderless-tables.js';
import type { GreyImage } from './grey-image.js';
import type { OcrEngine, RecognizedText } from './ocr-engine.js';
import { CELL_SEPARATOR } from '../docx-table-text.js';
import { mayHoldTable } from '../pdf-tables.js';
import { wordsOf, type Word } from './scanned-tables.js';

/** A word box is about 0.7 of the font size high (from the tallest letter to the baseline, or a descender). */
const WORD_HEIGHT_IN_EM = 0.7;

const boxesOf = (words: Word[]): TextBox[] =>
  words.map((word) => ({ text: word.text, left: word.left, right: word.left + word.width, top: word.top, bottom: word.top + word.height }));

/** Lighter than this is paper (as in scanned-tables.ts): its grain, left grey, makes marks of a sparse cell's commas. */
const PAPER = 170;

/**
 * A page read without ruling lines found: when its text has a status table's header and its
 * word boxes a borderless table under it, the page is read once more with the paper's grain
 * whitened (numbers in a sparse cell, "2, 5, 13, 17", come out as "2719770131011" otherwise),
 * and its text is written with the table's rows. Pages without one cost nothing more.
 */
export async function readBorderlessTables<T extends RecognizedText>(engine: OcrEngine, image: GreyImage, dpi: number | undefined, read: T): Promise<T> {
  // The first reading runs a table's cells together and garbles its short numbers; its header's words are enough to tell.
  if (!read.tsv || !mayHoldTable(read.text, false) || !hasStatusTableHeader(boxesOf(wordsOf(read.tsv)), { heightInEm: WORD_HEIGHT_IN_EM })) return read;
  const again = await engine.recognize({ ...image, data: image.data.map((value) => (value >= PAPER ? 255 : value)) }, dpi);
  const text = again.tsv ? pageTextWithBorderlessTables(again.text, again.tsv) : null;
  return text ? { ...read, ...again, text } : read;
}

/**
 * A scanned page without ruling lines may still hold a table whose columns are kept by
 * alignment alone. Tesseract's page layout reads such a table column by column or runs its
 * cells together; its word boxes (TSV) say where each word stands, so the columns and rows are
 * found from them as for a PDF's text items (borderless-tables.ts). The page text is then
 * written again from the words: tesseract's lines around the table, the table as rows of
 * " | "-separated cells. Null when the page has no table header's words or no status table:
 * the page keeps tesseract's own text.
 */
export function pageTextWithBorderlessTables(text: string, tsv: string): string | null {
  if (!mayHoldTable(text, false)) return null;
  const words = wordsOf(tsv).map((word) => ({ ...word, text: word.text.replace(/Ð/g, 'Đ').replace(/ð/g, 'đ') }));
  const tables = findBorderlessTables(boxesOf(words), { heightInEm: WORD_HEIGHT_IN_EM });
  if (tables.length === 0) return null;
  const inTable = (word: Word) => {
    const middle = word.top + word.height / 2;
    return tables.some((table) => middle >= table.top && middle <= table.bottom);
  };
  const lines = new Map<string, Word[]>();
  for (const word of words) if (!inTable(word)) lines.set(word.line, [...(lines.get(word.line) ?? []), word]);
  const pieces: Array<{ y: number; text: string }> = [
    ...[...lines.values()].map((line) => ({
      y: Math.min(...line.map((word) => word.top)),
      text: line
        .sort((a, b) => a.left - b.left)
        .map((word) => word.text)
        .join(' '),
    })),
    ...tables.map((table: BorderlessTable) => ({ y: table.top, text: `\n${table.rows.map((row) => row.join(CELL_SEPARATOR)).join('\n')}\n` })),
  ];
  pieces.sort((a, b) => a.y - b.y);
  const joined = pieces
    .map((piece) => piece.text)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return joined === '' ? null : `${joined}\n`;
}
