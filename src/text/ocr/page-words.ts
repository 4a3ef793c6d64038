import type { OcrWordBox } from '../../../extractors/text/page-text.js';
import { wordsOf, type Word } from './scanned-tables.js';
import { tidyRecognizedText } from './tesseract-tsv.js';

/** A word of tesseract's TSV with its box, before it is placed in the page text. */
export type TsvWord = Omit<Word, 'line'>;

/** The recognised words of tesseract's TSV (wordsOf), without the rows tesseract gives no confidence (-1). */
export function tsvWords(tsv: string): TsvWord[] {
  return wordsOf(tsv)
    .filter((word) => word.confidence >= 0)
    .map(({ line: _line, ...word }) => word);
}

/**
 * Places each TSV word in the page text: the plain-text rendering has the same words in the
 * same order, so each is looked for from where the previous one ended. A word not found there
 * (a table page, whose text is rebuilt cell by cell) is looked for once more from the start of
 * the page among the places no word took yet, else left out. Boxes are multiplied by `scale`
 * (the stored image's size over the recognised one's). Tesseract's own text is tidied
 * (tidyRecognizedText), so each word is tidied the same way before it is looked for.
 */
export function placeWords(words: readonly TsvWord[], text: string, scale = 1): OcrWordBox[] {
  const placed: OcrWordBox[] = [];
  const taken: Array<[number, number]> = [];
  let cursor = 0;
  const box = (word: TsvWord, start: number, length: number): OcrWordBox => ({
    start,
    end: start + length,
    left: Math.round(word.left * scale),
    top: Math.round(word.top * scale),
    width: Math.max(1, Math.round(word.width * scale)),
    height: Math.max(1, Math.round(word.height * scale)),
    confidence: word.confidence,
  });
  const free = (start: number, end: number) => taken.every(([a, b]) => end <= a || start >= b);
  for (const word of words) {
    const wanted = tidyRecognizedText(word.text).trimEnd();
    if (wanted === '') continue;
    let start = text.indexOf(wanted, cursor);
    if (start >= 0) {
      cursor = start + wanted.length;
    } else {
      start = text.indexOf(wanted);
      while (start >= 0 && !free(start, start + wanted.length)) start = text.indexOf(wanted, start + 1);
      if (start < 0) continue;
    }
    taken.push([start, start + wanted.length]);
    placed.push(box(word, start, wanted.length));
  }
  return placed.sort((a, b) => a.start - b.start);
}
