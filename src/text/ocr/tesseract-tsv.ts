/** TSV level of a word row (page 1, block 2, paragraph 3, line 4, word 5). */
const WORD_LEVEL = '5';

/**
 * Mean word confidence from tesseract's TSV output, weighted by word length so that a stray
 * low-confidence "." does not count as much as "Thượng". Both engines emit the same TSV, so
 * their confidences are comparable.
 */
export function confidenceFromTsv(tsv: string): { confidence: number; words: number } {
  let [weighted, weight, words] = [0, 0, 0];
  for (const line of tsv.split('\n')) {
    const columns = line.split('\t');
    // level page_num block_num par_num line_num word_num left top width height conf text
    if (columns[0] !== WORD_LEVEL || columns.length < 12) continue;
    const confidence = Number(columns[10]);
    const text = columns.slice(11).join('\t').trim();
    if (!(confidence >= 0) || text === '') continue;
    const length = [...text].length;
    weighted += confidence * length;
    weight += length;
    words++;
  }
  return { confidence: weight === 0 ? 0 : Math.round((weighted / weight) * 10) / 10, words };
}

/**
 * Tidies tesseract's text: it ends a page with a form feed, and the Vietnamese model sometimes
 * reads Đ/đ as the Icelandic Ð/ð (U+00D0/U+00F0), letters that never occur in Vietnamese.
 */
export function tidyRecognizedText(text: string): string {
  const tidy = text.replace(/\f/g, '').replace(/Ð/g, 'Đ').replace(/ð/g, 'đ').trimEnd();
  return tidy === '' ? '' : `${tidy}\n`;
}
