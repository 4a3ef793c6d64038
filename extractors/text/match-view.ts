/**
 * A text prepared for matching, with a way back to the stored text.
 *
 * Rules match on `fold`: lower case, diacritics and đ removed, every dash a '-', Markdown
 * emphasis blanked, so one ASCII pattern covers NFC, NFD, unaccented and OCR-damaged input.
 * `fold` has exactly the length of `nfc`, so a match in `fold` is the same range in `nfc`
 * (where names are read, as the document wrote them); `toRaw` maps it to the stored text.
 * No library does this offset-keeping normalisation, hence the hand-written code.
 */
export interface MatchView {
  readonly raw: string;
  readonly nfc: string;
  readonly fold: string;
  /** Position in `nfc`/`fold` → position in `raw` (valid for 0..nfc.length). */
  toRaw(index: number): number;
}

const COMBINING_MARK = /\p{M}/u;

export function createMatchView(raw: string): MatchView {
  const { nfc, map } = composeWithOffsets(raw);
  const fold = foldForMatching(nfc);
  return {
    raw,
    nfc,
    fold,
    toRaw: map ? (index) => map[index] ?? raw.length : (index) => index,
  };
}

/**
 * Characters text copied from web pages and Word carries inside words (zero-width space and
 * joiners, word joiner, byte-order mark, soft hyphen): the matching view leaves them out, the
 * stored text keeps them, and `toRaw` maps around them.
 */
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/;

/** NFC-composes `raw` one grapheme cluster at a time, remembering where each unit came from. */
function composeWithOffsets(raw: string): { nfc: string; map: Int32Array | null } {
  // Fast path: text that is already NFC and has nothing invisible maps to itself.
  if (!INVISIBLE.test(raw) && raw.normalize('NFC') === raw) return { nfc: raw, map: null };

  const parts: string[] = [];
  const starts: number[] = [];
  let i = 0;
  while (i < raw.length) {
    if (INVISIBLE.test(raw[i] ?? '')) {
      i += 1;
      continue;
    }
    let end = i + codePointLength(raw, i);
    while (end < raw.length && COMBINING_MARK.test(raw[end] ?? '')) end += 1;
    const composed = raw.slice(i, end).normalize('NFC');
    parts.push(composed);
    for (let k = 0; k < composed.length; k += 1) starts.push(i);
    i = end;
  }
  starts.push(raw.length);
  return { nfc: parts.join(''), map: Int32Array.from(starts) };
}

function codePointLength(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code >= 0xd800 && code <= 0xdbff && index + 1 < text.length ? 2 : 1;
}

/** Replacements that NFD decomposition does not give, one character each. */
const SPECIAL_FOLDS: Record<string, string> = {
  đ: 'd',
  Đ: 'd',
  Ð: 'd',
  ð: 'd', // U+00D0/F0: Tesseract's Vietnamese model emits Ð for Đ
  '–': '-',
  '—': '-',
  '‐': '-',
  '‑': '-',
  '‒': '-',
  '―': '-',
  '−': '-',
  '─': '-',
  '\u00a0': ' ',
  '\u2007': ' ',
  '\u202f': ' ',
  '“': '"',
  '”': '"',
  '„': '"',
  '‘': "'",
  '’': "'",
};
/** ASCII characters that matching ignores (Markdown emphasis) or treats as a space. */
const ASCII_BLANKS = new Set(['*', '_', '\t', '\f', '\r']);

const ASCII_FOLD = new Uint16Array(128).map((_, code) => {
  const char = String.fromCharCode(code);
  return (ASCII_BLANKS.has(char) ? ' ' : char.toLowerCase()).charCodeAt(0);
});
/** Folded unit per UTF-16 unit, filled on first use; 0 means not computed yet. */
const foldTable = new Uint16Array(0x10000);
const utf16 = new TextDecoder('utf-16le');

/** The folded form of one UTF-16 unit: lower case, without marks; itself when that is not one unit. */
function foldUnit(code: number): number {
  if (code < 128) return ASCII_FOLD[code] ?? code;
  if (code >= 0xd800 && code <= 0xdfff) return code; // half of an astral character: kept as is
  const cached = foldTable[code] ?? 0;
  if (cached !== 0) return cached;
  const char = String.fromCharCode(code);
  const special = SPECIAL_FOLDS[char];
  const base = special ?? char.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const folded = base.length === 1 ? base.charCodeAt(0) : /\p{M}/u.test(char) ? 0x20 : code;
  foldTable[code] = folded;
  return folded;
}

/**
 * Lower case, no diacritics, đ → d, dashes → '-', emphasis → ' ': one unit for one unit, so the
 * result has the length of its input. A cache per character keeps this near memory speed.
 */
export function foldForMatching(nfc: string): string {
  const out = new Uint16Array(nfc.length);
  for (let index = 0; index < nfc.length; index += 1) out[index] = foldUnit(nfc.charCodeAt(index));
  return mendOcrDigits(utf16.decode(out));
}

/** A count like "13/19" with a digit or two read as a letter by OCR ("l3/19", "1O/19"). */
const OCR_COUNT = /(?<![a-z\d])[\dlio|]{1,2}\s*\/\s*[\dlio|]{1,2}(?![a-z\d])/g;

/** Letters OCR reads for digits, mended inside counts only (one letter for one letter). */
function mendOcrDigits(fold: string): string {
  return fold.replace(OCR_COUNT, (count) => (/\d/.test(count) ? count.replace(/[li|]/g, '1').replace(/o/g, '0') : count));
}

/** Folds a short phrase (a name, a keyword) the same way, for comparisons. */
export function foldPhrase(text: string): string {
  return foldForMatching(text.normalize('NFC')).replace(/\s+/g, ' ').trim();
}
