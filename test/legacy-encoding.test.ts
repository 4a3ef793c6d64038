import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { isUnsupportedInputError } from '../src/errors/unsupported-input.error.js';
import { DEFAULT_MAX_BYTES, extractText } from '../src/text/extract-text.js';
import { decodeLegacyBytes, encodeLegacyBytes, tcvn3ToUnicode, unicodeToTcvn3Text, unicodeToVniText, vniToUnicode } from '../src/text/legacy/convert-legacy.js';
import { legacyTables } from '../src/text/legacy/legacy-tables.js';
import { detectLegacyPlainText, repairLegacyPages, repairLegacyText } from '../src/text/legacy/repair-legacy-pages.js';
import { isVietnameseSyllable } from '../src/text/legacy/vietnamese-syllable.js';
import { sniffFileKind } from '../src/text/sniff-file-kind.js';

const SEEDS = 'fixtures/seeds';
const LEGACY = 'fixtures/legacy';
const LEGACY_SEED = '003_208c7acc8bb6c444';
const SEED_NAMES = readdirSync(SEEDS)
  .filter((name) => /^\d{3}_[0-9a-f]+\.txt$/.test(name))
  .sort();
const seedText = (name: string): string => readFileSync(`${SEEDS}/${name}`, 'utf8');

describe('mapping tables: known pairs', () => {
  it.each([
    ['hép møt tÕt', 'hộp mứt tết'],
    ['Céng hoµ x· héi chñ nghÜa ViÖt Nam', 'Cộng hoà xã hội chủ nghĩa Việt Nam'],
    ['§éc lËp - Tù do - H¹nh phóc', 'Độc lập - Tự do - Hạnh phúc'],
    ['Th\u00adîng C\u00adêng ®¹t 13/19 tiªu chÝ', 'Thượng Cường đạt 13/19 tiêu chí'],
  ])('TCVN3 %s → %s', (legacy, unicode) => {
    expect(tcvn3ToUnicode(legacy)).toBe(unicode);
  });

  it.each([
    ['chaøo', 'chào'],
    ['Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam', 'Cộng hòa xã hội chủ nghĩa Việt Nam'],
    ['Ñoäc laäp - Töï do - Haïnh phuùc', 'Độc lập - Tự do - Hạnh phúc'],
    ['Thöôïng Cöôøng ñaït 13/19 tieâu chí', 'Thượng Cường đạt 13/19 tiêu chí'],
    ['THÖÔÏNG CÖÔØNG', 'THƯỢNG CƯỜNG'],
    ['kyõ thuaät, yù kieán, tyû leä, möùc ñoä, Mî Thò', 'kỹ thuật, ý kiến, tỷ lệ, mức độ, Mỵ Thị'],
  ])('VNI %s → %s', (legacy, unicode) => {
    expect(vniToUnicode(legacy)).toBe(unicode);
  });

  it('cover all 134 Vietnamese letters with a tone or a modifier, once each', () => {
    const { tcvn3, vni } = legacyTables();
    expect(new Set(tcvn3.plainTextByteToLetter.values()).size).toBe(134);
    expect(tcvn3.plainTextByteToLetter.size).toBe(134);
    expect(new Set(vni.letterToSpelling.keys()).size).toBe(134);
    expect(new Set(vni.letterToSpelling.values()).size).toBe(134);
  });
});

describe('round trips: every seed encoded with the inverse table decodes to itself', () => {
  for (const name of SEED_NAMES) {
    const text = seedText(name);
    it(`${name}: VNI text and VNI bytes`, () => {
      expect(vniToUnicode(unicodeToVniText(text))).toBe(text);
      // "≥" (seed 004) has no Windows-1252 byte: only the other seeds can be VNI files.
      if (!text.includes('≥')) expect(decodeLegacyBytes(encodeLegacyBytes(text, 'vni'), 'vni')).toBe(text);
    });

    it(`${name}: TCVN3 as a .VnTime run (capitals with tone marks lost to .VnTimeH)`, () => {
      expect(tcvn3ToUnicode(unicodeToTcvn3Text(text))).toBe(
        text.replace(/\p{Lu}/gu, (capital) => (/[ĂÂÊÔƠƯĐ]/u.test(capital) || capital <= 'Z' ? capital : capital.toLowerCase())),
      );
    });
  }

  it('TCVN3 bytes hold every capital through the VN1 slots, but not "–" (the slot of "Ọ")', () => {
    const text = seedText(`${LEGACY_SEED}.txt`);
    expect(decodeLegacyBytes(encodeLegacyBytes(text, 'tcvn3'), 'tcvn3')).toBe(text);
    expect(() => encodeLegacyBytes('Số 1 – Quy hoạch', 'tcvn3')).toThrow(/"–" cannot be written in TCVN3/);
  });
});

describe('detection never fires on Unicode Vietnamese', () => {
  for (const name of SEED_NAMES) {
    const text = seedText(name);
    it(`${name}: no repair as NFC, NFD, upper case or line by line`, () => {
      expect(repairLegacyText(text)).toBeNull();
      expect(repairLegacyText(text.normalize('NFD'))).toBeNull();
      expect(repairLegacyText(text.toUpperCase())).toBeNull();
      expect(detectLegacyPlainText(Buffer.from(text, 'utf8'))).toBeNull();
      for (const line of text.split('\n')) expect(repairLegacyText(line), line).toBeNull();
    });
  }

  it('the seeds in every format come out of extractText untouched', async () => {
    for (const name of SEED_NAMES) {
      const base = name.slice(0, -'.txt'.length);
      for (const ext of ['txt', 'pdf', 'docx']) {
        const extracted = await extractText(await readFile(`${SEEDS}/${base}.${ext}`), `${base}.${ext}`, { maxBytes: DEFAULT_MAX_BYTES });
        for (const page of extracted.pages) expect(page.source, `${base}.${ext} page ${page.page}`).toBeUndefined();
      }
    }
  });

  it('a Windows-1258 file is still refused as undecodable, not taken for TCVN3 or VNI', async () => {
    const bytes = await readFile('fixtures/bad/latin1.txt');
    expect(detectLegacyPlainText(bytes)).toBeNull();
    const error = await sniffFileKind(bytes, 'latin1.txt').catch((caught: unknown) => caught);
    expect(isUnsupportedInputError(error) && error.reason).toBe('undecodable');
  });

  it('plain English or numbers stay as they are', () => {
    expect(repairLegacyText('Report 2024: 13/19 criteria met, 47.6% of communes.')).toBeNull();
    expect(repairLegacyText('© 2024 · ± 5 µm · 25°C')).toBeNull();
  });
});

describe('legacy fixtures decode to exactly the seed', () => {
  const seed = seedText(`${LEGACY_SEED}.txt`);

  it.each(['tcvn3', 'vni'] as const)('%s .txt: sniffed as legacy text, converted, marked, not doubtful', async (encoding) => {
    const bytes = await readFile(`${LEGACY}/${LEGACY_SEED}.${encoding}.txt`);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow(); // single-byte, not UTF-8
    const extracted = await extractText(bytes, `${LEGACY_SEED}.${encoding}.txt`, { maxBytes: DEFAULT_MAX_BYTES });
    expect(extracted.kind).toBe('txt');
    expect(extracted.mime).toBe(`text/plain; charset=x-${encoding}`);
    expect(extracted.pages).toEqual([{ page: 1, text: seed, hasTextLayer: true, source: 'legacy_repaired', encoding: { from: encoding, doubtful: false } }]);
  });

  it('DOCX with TCVN3 runs in .VnTime/.VnTimeH: converted to the seed text (capitals of .VnTimeH lines in small letters)', async () => {
    const extracted = await extractText(await readFile(`${LEGACY}/${LEGACY_SEED}.tcvn3.docx`), 'legacy.docx', { maxBytes: DEFAULT_MAX_BYTES });
    const [page] = extracted.pages;
    expect(page).toMatchObject({ source: 'legacy_repaired', encoding: { from: 'tcvn3', doubtful: false } });
    const lines = (text: string): string[] =>
      text
        .split('\n')
        .map((line) => line.replace(/^#+\s*|\*/g, '').trim())
        .filter(Boolean);
    expect(lines(page!.text).map((line) => line.toLowerCase())).toEqual(lines(seed).map((line) => line.toLowerCase()));
    expect(page!.text).toContain('Thực hiện');
  });

  it('a UTF-8 file holding pasted TCVN3 text is repaired too', async () => {
    const mojibake = unicodeToTcvn3Text(seed);
    const extracted = await extractText(Buffer.from(mojibake, 'utf8'), 'pasted.txt', { maxBytes: DEFAULT_MAX_BYTES });
    expect(extracted.mime).toBe('text/plain; charset=utf-8');
    expect(extracted.pages[0]).toMatchObject({ source: 'legacy_repaired', encoding: { from: 'tcvn3', doubtful: false } });
    expect(extracted.pages[0]!.text.toLowerCase()).toBe(seed.toLowerCase());
  });
});

describe('runs and doubtful conversions', () => {
  const unicodeLine = 'Xã Thượng Cường đạt 13/19 tiêu chí nông thôn mới.';
  const tcvn3Paragraph = 'Qua kÕt qu¶ rµ so¸t ®¸nh gi¸, x· Chi L¨ng ®¹t 10/19 tiªu chÝ n«ng th«n míi.';

  it('a TCVN3 paragraph inside a Unicode page is converted, the Unicode lines kept, and the page flagged as mixed', () => {
    const repaired = repairLegacyText(`${unicodeLine}\n${tcvn3Paragraph}\n`);
    expect(repaired?.text).toBe(`${unicodeLine}\nQua kết quả rà soát đánh giá, xã Chi Lăng đạt 10/19 tiêu chí nông thôn mới.\n`);
    expect(repaired?.encoding).toEqual({ from: 'tcvn3', doubtful: true });
  });

  it('TCVN3 and VNI on one page are both converted and flagged', () => {
    const vniParagraph = 'Qua keát quaû raø soaùt ñaùnh giaù, xaõ Thöôïng Cöôøng ñaït 13/19 tieâu chí.';
    const repaired = repairLegacyText(`${tcvn3Paragraph}\n${vniParagraph}\n`);
    expect(repaired?.text).toBe(
      'Qua kết quả rà soát đánh giá, xã Chi Lăng đạt 10/19 tiêu chí nông thôn mới.\nQua kết quả rà soát đánh giá, xã Thượng Cường đạt 13/19 tiêu chí.\n',
    );
    expect(repaired?.encoding.doubtful).toBe(true);
  });

  it('a conversion that leaves few Vietnamese syllables is doubtful', () => {
    // TCVN3 words among abbreviations and codes: converted, but the page reads badly.
    const repaired = repairLegacyText('§¹t tiªu chÝ n«ng th«n: UBND XDNTM TTHC PCTT BHYT ATTP MTQG CTMT THCS PTNT KT-XH');
    expect(repaired).not.toBeNull();
    expect(repaired?.encoding.doubtful).toBe(true);
  });

  it('repairLegacyPages leaves Unicode and OCR pages alone (the same objects)', () => {
    const pages = [
      { page: 1, text: unicodeLine, hasTextLayer: true },
      { page: 2, text: tcvn3Paragraph, hasTextLayer: false, source: 'ocr' as const, ocrConfidence: 50 },
      { page: 3, text: tcvn3Paragraph, hasTextLayer: true },
    ];
    const repaired = repairLegacyPages(pages);
    expect(repaired[0]).toBe(pages[0]);
    expect(repaired[1]).toBe(pages[1]);
    expect(repaired[2]).toMatchObject({ source: 'legacy_repaired', encoding: { from: 'tcvn3', doubtful: false } });
  });
});

describe('Vietnamese syllables', () => {
  it.each(['nghiêng', 'thượng', 'cường', 'quyết', 'giữa', 'khuya', 'xã', 'gì', 'đạt', 'oải', 'tuyển', 'hoặc'])('%s is a syllable', (word) => {
    expect(isVietnameseSyllable(word)).toBe(true);
  });
  it.each(['cỏc', 'nghÜa', 'ẳnn', 'â', 'hộpp', 'kh', 'UBND', 'ấtt', 'tiếngg', 'hõac'])('%s is not', (word) => {
    expect(isVietnameseSyllable(word)).toBe(false);
  });
});
