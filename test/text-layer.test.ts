import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { isUnsupportedInputError, type UnsupportedInputReason } from '../src/errors/unsupported-input.error.js';
import { decodePlainText } from '../src/text/decode-plain-text.js';
import { DEFAULT_MAX_BYTES, extractText } from '../src/text/extract-text.js';
import type { ExtractedText } from '../extractors/text/page-text.js';
import { readDocText } from '../src/text/read-doc-text.js';
import { sniffFileKind } from '../src/text/sniff-file-kind.js';
import { projectPath } from '../extractors/util/project-root.js';

const SEEDS = 'fixtures/seeds';
const PRIMARY = '000_528222cdabe6b09e';
const SEED_NAMES = readdirSync(SEEDS)
  .filter((name) => /^\d{3}_[0-9a-f]+\.txt$/.test(name))
  .map((name) => name.slice(0, -'.txt'.length))
  .sort();

async function extractFile(path: string, maxBytes = DEFAULT_MAX_BYTES): Promise<ExtractedText> {
  return extractText(await readFile(path), path.split('/').pop()!, { maxBytes });
}

function joined(extracted: ExtractedText): string {
  return extracted.pages.map((page) => page.text).join('\n');
}

/** For phrase search: NFC and runs of whitespace as one space. */
function collapse(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ');
}

/**
 * For comparing whole documents across formats: layout moves whitespace around (PDF line
 * wraps, run boundaries), so all of it is dropped.
 */
function lettersOnly(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, '');
}

/**
 * For comparing a DOCX with its seed: Word keeps the lines (paragraphs and soft breaks), so
 * only blank lines and the spaces at either end of a line (Markdown "  \n" hard breaks) go.
 */
function nonBlankLines(text: string): string[] {
  return text
    .normalize('NFC')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/**
 * The seed TXT is Markdown-ish: fixtures/make-fixtures.ts drops the #/** markers and prints
 * the few LaTeX spans as a typist would ("$\\geq 90\\%$" → "≥ 90%") when it renders PDF/DOCX.
 */
function seedAsTyped(markdown: string): string {
  const typed = markdown.replace(/\$([^$\n]+)\$/g, (_, math: string) =>
    math
      .replace(/\\geq\b/g, '≥')
      .replace(/\\leq\b/g, '≤')
      .replace(/\\%/g, '%'),
  );
  return typed.replace(/[#*]/g, '');
}

function seedLettersOnly(markdown: string): string {
  return lettersOnly(seedAsTyped(markdown));
}

async function expectRejected(promise: Promise<unknown>, reason: UnsupportedInputReason, fileName: string): Promise<Error> {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${fileName} to be rejected with '${reason}'`);
    },
    (caught: unknown) => caught,
  );
  expect(isUnsupportedInputError(error), String(error)).toBe(true);
  if (!isUnsupportedInputError(error)) throw error;
  expect(error.reason).toBe(reason);
  expect(error.fileName).toBe(fileName);
  expect(error.message).toMatch(new RegExp(`^Cannot read ${fileName.replace(/\./g, '\\.')}: \\S`));
  return error;
}

describe('seed documents: the same words in every format', () => {
  it('finds the seeds', () => {
    expect(SEED_NAMES.length).toBeGreaterThanOrEqual(5);
  });

  for (const seed of SEED_NAMES) {
    it(`${seed}: TXT, PDF and DOCX hold the same text`, async () => {
      const txt = await extractFile(`${SEEDS}/${seed}.txt`);
      const pdf = await extractFile(`${SEEDS}/${seed}.pdf`);
      const docx = await extractFile(`${SEEDS}/${seed}.docx`);

      expect(txt.kind).toBe('txt');
      expect(txt.mime).toBe('text/plain; charset=utf-8');
      expect(txt.pages).toHaveLength(1);
      expect(pdf.kind).toBe('pdf');
      expect(pdf.mime).toBe('application/pdf');
      expect(docx.kind).toBe('docx');
      expect(docx.pages).toEqual([expect.objectContaining({ page: 1, hasTextLayer: true })]);

      // Several pages, numbered from 1, all with text, and none with pdf-parse's "-- 1 of 3 --" marker.
      expect(pdf.pages.length).toBeGreaterThan(1);
      expect(pdf.pages.map((page) => page.page)).toEqual(pdf.pages.map((_, index) => index + 1));
      for (const page of pdf.pages) {
        expect(page.hasTextLayer).toBe(true);
        expect(page.text).not.toMatch(/--\s*\d+ of \d+\s*--/);
      }

      const expected = seedLettersOnly(joined(txt));
      expect(expected.length).toBeGreaterThan(1000);
      expect(lettersOnly(joined(pdf))).toBe(expected);
      expect(lettersOnly(joined(docx))).toBe(expected);
      // Stricter for DOCX: the same lines, so soft line breaks (<w:br/>) must not glue words.
      expect(nonBlankLines(joined(docx))).toEqual(nonBlankLines(seedAsTyped(joined(txt))));
    });
  }

  it('002: a Word soft line break in the header stays a line break, not glued words', async () => {
    const seed = '002_208071814d246b50';
    // In the fixture the two header lines are one paragraph split by <w:br/>.
    const text = joined(await extractFile(`${SEEDS}/${seed}.docx`));
    expect(text).toContain('ỦY BAN NHÂN DÂN\nHUYỆN HỮU LŨNG');
    expect(text).not.toContain('DÂNHUYỆN');
    const lines = text.split('\n');
    expect(lines).toContain('ỦY BAN NHÂN DÂN');
    expect(lines).toContain('HUYỆN HỮU LŨNG');
  });

  it('key phrases of the primary seed are found verbatim (after NFC + whitespace collapse) in every format', async () => {
    const phrases = [
      'xã Thượng Cường đạt 13/19 tiêu chí',
      'Kết quả kiểm tra Chương trình mục tiêu quốc gia xây dựng nông thôn mới tại huyện Chi Lăng năm 2022',
      'Kế hoạch số 23/KH-UBND ngày 29/01/2022',
      'Phạm Đức Huân',
    ];
    for (const ext of ['txt', 'utf16.txt', 'pdf', 'docx', 'doc']) {
      const text = collapse(joined(await extractFile(`${SEEDS}/${PRIMARY}.${ext}`)));
      for (const phrase of phrases) {
        expect(text, `${phrase} in .${ext}`).toContain(phrase);
      }
    }
  });

  it('keeps text verbatim: the TXT page is the file content, byte for byte', async () => {
    const bytes = await readFile(`${SEEDS}/${PRIMARY}.txt`);
    const extracted = await extractText(bytes, `${PRIMARY}.txt`, { maxBytes: DEFAULT_MAX_BYTES });
    expect(extracted.pages[0]?.text).toBe(bytes.toString('utf8'));
  });

  it('keeps \\r\\n line endings and strips only the UTF-8 BOM', async () => {
    const text = 'Xã Thượng Cường\r\nđạt 13/19 tiêu chí\r\n';
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    const extracted = await extractText(bytes, 'crlf.txt', { maxBytes: DEFAULT_MAX_BYTES });
    expect(extracted.pages).toEqual([{ page: 1, text, hasTextLayer: true }]);
  });
});

describe('UTF-16 text', () => {
  it('UTF-16LE with BOM decodes to the same text as the UTF-8 seed', async () => {
    const utf8 = await extractFile(`${SEEDS}/${PRIMARY}.txt`);
    const utf16 = await extractFile(`${SEEDS}/${PRIMARY}.utf16.txt`);
    expect(utf16.kind).toBe('txt');
    expect(utf16.mime).toBe('text/plain; charset=utf-16le');
    expect(utf16.pages).toEqual(utf8.pages);
  });

  it('UTF-16BE with BOM decodes too', async () => {
    const utf8 = await extractFile(`${SEEDS}/${PRIMARY}.txt`);
    // The same file with every code unit byte-swapped (the BOM FF FE becomes FE FF).
    const bigEndian = Buffer.from(await readFile(`${SEEDS}/${PRIMARY}.utf16.txt`)).swap16();
    const utf16 = await extractText(bigEndian, 'be.txt', { maxBytes: DEFAULT_MAX_BYTES });
    expect(utf16.mime).toBe('text/plain; charset=utf-16be');
    expect(utf16.pages).toEqual(utf8.pages);
  });

  it('UTF-16 without a BOM is refused (NUL bytes), not guessed', () => {
    const bytes = Buffer.from('Xã Thượng Cường', 'utf16le');
    expect(() => decodePlainText(bytes, 'nobom.txt')).toThrow(/Cannot read nobom\.txt: .*not UTF-8 or UTF-16 text/);
  });
});

describe('legacy Word (.doc)', () => {
  it('reads the .doc fixture as one page with the seed text, curly punctuation kept', async () => {
    const txt = await extractFile(`${SEEDS}/${PRIMARY}.txt`);
    const doc = await extractFile(`${SEEDS}/${PRIMARY}.doc`);
    expect(doc.kind).toBe('doc');
    expect(doc.mime).toBe('application/msword');
    expect(doc.pages).toEqual([expect.objectContaining({ page: 1, hasTextLayer: true })]);
    expect(lettersOnly(joined(doc))).toBe(seedLettersOnly(joined(txt)));
    // word-extractor's default filter would turn the seed's en dashes into ASCII hyphens.
    const enDashes = (text: string) => text.split('–').length - 1;
    expect(enDashes(joined(txt))).toBeGreaterThan(0);
    expect(enDashes(joined(doc))).toBe(enDashes(joined(txt)));
  });

  it('a truncated .doc is corrupt', async () => {
    const bytes = (await readFile(`${SEEDS}/${PRIMARY}.doc`)).subarray(0, 4096);
    await expectRejected(extractText(bytes, 'cut.doc', { maxBytes: DEFAULT_MAX_BYTES }), 'corrupt', 'cut.doc');
  });

  it('an OLE signature followed by garbage is corrupt, with the parser error as cause', async () => {
    const header = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const bytes = Buffer.concat([header, Buffer.alloc(600, 7)]);
    expect(await sniffFileKind(bytes, 'fake.doc')).toEqual({ kind: 'doc', mime: 'application/msword' });
    const error = await expectRejected(extractText(bytes, 'fake.doc', { maxBytes: DEFAULT_MAX_BYTES }), 'corrupt', 'fake.doc');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('word-extractor refuses a file that is not an OLE compound file', async () => {
    await expectRejected(readDocText(Buffer.from('not a Word file '.repeat(64)), 'plain.doc'), 'corrupt', 'plain.doc');
  });
});

describe('scanned PDF', () => {
  it('yields numbered pages without a text layer when OCR is off', async () => {
    const bytes = readFileSync(projectPath('fixtures', 'scanned', 'no-text-layer.pdf'));
    const extracted = await extractText(bytes, 'no-text-layer.pdf', { maxBytes: DEFAULT_MAX_BYTES, ocr: false });
    expect(extracted.kind).toBe('pdf');
    expect(extracted.pages).toHaveLength(2);
    extracted.pages.forEach((page, index) => {
      expect(page).toEqual({ page: index + 1, text: '', hasTextLayer: false });
    });
  });

  it('marks pages that went through OCR, with their confidence, even when nothing is recognised', async () => {
    const extracted = await extractFile('fixtures/scanned/no-text-layer.pdf');
    for (const page of extracted.pages) {
      expect(page).toMatchObject({ hasTextLayer: false, source: 'ocr' });
      expect(page.ocrConfidence).toBeTypeOf('number');
    }
  });
});

describe('bad inputs fail with the right reason and name the file', () => {
  const cases: Array<[file: string, reason: UnsupportedInputReason, message: RegExp]> = [
    ['empty.txt', 'empty', /the file is empty/],
    ['truncated.pdf', 'corrupt', /the PDF is damaged or incomplete \(.+\)/],
    ['encrypted.pdf', 'encrypted', /the PDF is password-protected/],
    ['not-a-docx.zip', 'unsupported_type', /a ZIP archive, not a Word document/],
    ['renamed-zip.docx', 'unsupported_type', /a ZIP archive, not a Word document/],
    ['spreadsheet.xlsx', 'unsupported_type', /an Excel spreadsheet \(xlsx\) is not supported/],
    ['latin1.txt', 'undecodable', /not UTF-8 or UTF-16 text/],
    ['binary.txt', 'undecodable', /not UTF-8 or UTF-16 text/],
  ];
  for (const [file, reason, message] of cases) {
    it(`${file} → ${reason}`, async () => {
      const error = await expectRejected(extractFile(`fixtures/bad/${file}`), reason, file);
      expect(error.message).toMatch(message);
    });
  }

  it('the password error keeps pdf-parse PasswordException as cause', async () => {
    const error = await expectRejected(extractFile('fixtures/bad/encrypted.pdf'), 'encrypted', 'encrypted.pdf');
    expect((error.cause as Error).name).toBe('PasswordException');
  });

  it('a file of only whitespace is empty', async () => {
    await expectRejected(extractText(Buffer.from(' \r\n\t\n'), 'blank.txt', { maxBytes: DEFAULT_MAX_BYTES }), 'empty', 'blank.txt');
  });

  it('a size limit below the file size gives too_large with both sizes in MB', async () => {
    const path = `${SEEDS}/${PRIMARY}.pdf`;
    const size = (await readFile(path)).length;
    const limit = Math.floor(size / 2);
    const error = await expectRejected(extractFile(path, limit), 'too_large', `${PRIMARY}.pdf`);
    const [, shownSize, shownLimit] = /the file is ([\d.]+) MB, over the ([\d.]+) MB limit$/.exec(error.message) ?? [];
    expect(Number(shownSize)).toBeCloseTo(size / 2 ** 20, 2);
    expect(Number(shownLimit)).toBeCloseTo(limit / 2 ** 20, 2);
  });

  it('one byte over the limit still reads clearly (exact byte counts), and exactly at the limit is allowed', async () => {
    const path = `${SEEDS}/${PRIMARY}.pdf`;
    const size = (await readFile(path)).length;
    const error = await expectRejected(extractFile(path, size - 1), 'too_large', `${PRIMARY}.pdf`);
    expect(error.message).toContain(`(${size} bytes), over the`);
    expect(error.message).toContain(`limit (${size - 1} bytes)`);
    await expect(extractFile(path, size)).resolves.toMatchObject({ kind: 'pdf' });
  });

  it('DEFAULT_MAX_BYTES is 50 MB', () => {
    expect(DEFAULT_MAX_BYTES).toBe(50 * 1024 * 1024);
  });
});

describe('sniffing uses the bytes, never the name', () => {
  it('a PDF named .txt is read as a PDF, a DOCX named .pdf as a DOCX', async () => {
    expect((await sniffFileKind(await readFile(`${SEEDS}/${PRIMARY}.pdf`), 'x.txt')).kind).toBe('pdf');
    expect((await sniffFileKind(await readFile(`${SEEDS}/${PRIMARY}.docx`), 'x.pdf')).kind).toBe('docx');
  });

  it('a cut-off image is refused as damaged, naming the file', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    await expectRejected(extractText(png, 'scan.pdf', { maxBytes: DEFAULT_MAX_BYTES }), 'corrupt', 'scan.pdf');
  });

  it('text that happens to start with a binary signature ("BM" = BMP) is still text', async () => {
    const text = 'BM-01 Biểu mẫu báo cáo kết quả xây dựng nông thôn mới\n';
    const extracted = await extractText(Buffer.from(text), 'bieu-mau.txt', { maxBytes: DEFAULT_MAX_BYTES });
    expect(extracted).toEqual({ kind: 'txt', mime: 'text/plain; charset=utf-8', pages: [{ page: 1, text, hasTextLayer: true }], pageImages: [] });
  });
});
