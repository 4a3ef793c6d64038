/**
 * What the review page shows for an OCR'd page: each tesseract word placed in the page text
 * (offsets) with its box, and the page image stored small enough to keep.
 */
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { encodePageImage, PAGE_IMAGE_MAX_WIDTH } from '../src/text/ocr/page-image.js';
import { placeWords, tsvWords } from '../src/text/ocr/page-words.js';

const HEADER = 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext';
/** A TSV as tesseract writes it: a line row, then one row per word. */
function tsv(words: Array<[string, number, number, number, number, number]>): string {
  const rows = words.map(([text, left, top, width, height, conf], n) => `5\t1\t1\t1\t1\t${n + 1}\t${left}\t${top}\t${width}\t${height}\t${conf}\t${text}`);
  return [HEADER, '4\t1\t1\t1\t1\t0\t10\t10\t500\t30\t-1\t', ...rows, ''].join('\n');
}

describe('placing OCR words in the page text', () => {
  it('gives each word its span of the text, repeated words their own, boxes scaled', () => {
    const text = 'Xã Hữu Lễ đạt 17/19 tiêu chí,\nxã Hữu Lễ đạt chuẩn.\n';
    const words = tsvWords(
      tsv([
        ['Xã', 10, 10, 30, 20, 96.5],
        ['Hữu', 50, 10, 40, 20, 95],
        ['Lễ', 100, 10, 30, 20, 91],
        ['đạt', 140, 10, 40, 20, 93],
        ['17/19', 190, 10, 60, 20, 41.25],
        ['tiêu', 260, 10, 40, 20, 90],
        ['chí,', 310, 10, 40, 20, 90],
        ['xã', 10, 40, 30, 20, 96],
        ['Hữu', 50, 40, 40, 20, 96],
        ['Lễ', 100, 40, 30, 20, 96],
        ['đạt', 140, 40, 40, 20, 96],
        ['chuẩn.', 190, 40, 70, 20, 96],
      ]),
    );
    expect(words).toHaveLength(12);
    const placed = placeWords(words, text, 0.5);
    expect(placed.map((w) => text.slice(w.start, w.end))).toEqual(['Xã', 'Hữu', 'Lễ', 'đạt', '17/19', 'tiêu', 'chí,', 'xã', 'Hữu', 'Lễ', 'đạt', 'chuẩn.']);
    // The second "Hữu" is the one on the second line, not the first again.
    expect(placed[8]).toEqual({ start: text.lastIndexOf('Hữu'), end: text.lastIndexOf('Hữu') + 3, left: 25, top: 20, width: 20, height: 10, confidence: 96 });
    expect(placed[4]).toMatchObject({ left: 95, top: 5, width: 30, confidence: 41.25 });
  });

  it('tidies a word as the page text was tidied (Icelandic Ð read for Đ), and leaves out a word the text does not have', () => {
    const text = 'ĐẠT CHUẨN\n';
    const placed = placeWords(
      tsvWords(
        tsv([
          ['ÐẠT', 0, 0, 10, 10, 90],
          ['~', 20, 0, 5, 10, 10],
          ['CHUẨN', 30, 0, 10, 10, 90],
        ]),
      ),
      text,
    );
    expect(placed.map((w) => text.slice(w.start, w.end))).toEqual(['ĐẠT', 'CHUẨN']);
  });

  it('finds words the text gives in another order (a table rebuilt cell by cell), each place taken once', () => {
    const text = 'Tên xã | Số tiêu chí\nHữu Lễ | 17\nTân Đoàn | 17\n';
    // Tesseract read the header cells column by column: the second column comes after the rows.
    const placed = placeWords(
      tsvWords(
        tsv([
          ['Tên', 0, 0, 10, 10, 90],
          ['xã', 12, 0, 10, 10, 90],
          ['Hữu', 0, 20, 10, 10, 90],
          ['Lễ', 12, 20, 10, 10, 90],
          ['Tân', 0, 40, 10, 10, 90],
          ['Đoàn', 12, 40, 10, 10, 90],
          ['Số', 50, 0, 10, 10, 90],
          ['17', 50, 20, 10, 10, 90],
          ['17', 50, 40, 10, 10, 90],
        ]),
      ),
      text,
    );
    expect(placed.map((w) => text.slice(w.start, w.end))).toEqual(['Tên', 'xã', 'Số', 'Hữu', 'Lễ', '17', 'Tân', 'Đoàn', '17']);
    expect(new Set(placed.map((w) => w.start)).size).toBe(placed.length);
  });

  it('ignores rows that are not words (blocks, lines, empty words, no confidence)', () => {
    const table = [HEADER, '1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t', '5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t-1\t ', '5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t95\txã'].join(
      '\n',
    );
    expect(tsvWords(table)).toEqual([{ text: 'xã', left: 0, top: 0, width: 10, height: 10, confidence: 95 }]);
  });
});

describe('the stored page image', () => {
  it('shrinks a wide page to the stored width, as a JPEG whose ink stays where it was', () => {
    const [width, height] = [2480, 600];
    const data = new Uint8Array(width * height).fill(255);
    // A black block at (1240..1440, 200..300): at half size, (620..720, 100..150).
    for (let y = 200; y < 300; y++) data.fill(0, y * width + 1240, y * width + 1440);
    const encoded = encodePageImage({ width, height, data });
    expect(encoded).toMatchObject({ width: PAGE_IMAGE_MAX_WIDTH, height: 300, scale: 0.5 });
    const decoded = jpeg.decode(encoded.jpeg, { useTArray: true });
    expect([decoded.width, decoded.height]).toEqual([1240, 300]);
    const grey = (x: number, y: number) => decoded.data[(y * decoded.width + x) * 4]!;
    expect(grey(670, 125)).toBeLessThan(40);
    expect(grey(600, 125)).toBeGreaterThan(215);
    expect(grey(670, 90)).toBeGreaterThan(215);
    expect(encoded.jpeg.length).toBeLessThan(width * height * 0.05);
  });

  it('keeps a page narrower than the limit at its size', () => {
    const encoded = encodePageImage({ width: 800, height: 1100, data: new Uint8Array(800 * 1100).fill(250) });
    expect(encoded).toMatchObject({ width: 800, height: 1100, scale: 1 });
    expect([...encoded.jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  });
});
