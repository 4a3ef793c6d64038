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
const HAS_COMBINING_MARK = /\p{M}/u;

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

/** NFC-composes `raw` one grapheme cluster at a time, remembering where each unit came from. */
function composeWithOffsets(raw: string): { nfc: string; map: Int32Array | null } {
  // Fast path: already NFC and without stray combining marks, the identity map is exact.
  if (!HAS_COMBINING_MARK.test(raw) && raw.normalize('NFC') === raw) return { nfc: raw, map: null };

  const parts: string[] = [];
  const starts: number[] = [];
  let i = 0;
  while (i < raw.length) {
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

/** One replacement per character, so lengths never change. */
const SINGLE_CHAR_FOLDS: Record<string, string> = {
  'đ': 'd', 'Đ': 'd', 'Ð': 'd', 'ð': 'd', // U+00D0/F0: Tesseract's Vietnamese model emits Ð for Đ
  '–': '-', '—': '-', '‐': '-', '‑': '-', '‒': '-', '―': '-', '−': '-', '─': '-',
  '*': ' ', '_': ' ', '\u00a0': ' ', '\u2007': ' ', '\u202f': ' ', '\t': ' ', '\f': ' ', '\r': ' ',
  '“': '"', '”': '"', '„': '"', '‘': "'", '’': "'",
};
const SINGLE_CHAR_FOLD_PATTERN = /[đĐÐð–—‐‑‒―−─*_\u00a0\u2007\u202f\t\f\r“”„‘’]/g;

export function foldForMatching(nfc: string): string {
  let folded = nfc.normalize('NFD').replace(/\p{M}/gu, '');
  if (folded.length !== nfc.length) folded = foldCharByChar(nfc);
  let lower = folded.toLowerCase();
  if (lower.length !== nfc.length) lower = [...folded].map((c) => (c.toLowerCase().length === c.length ? c.toLowerCase() : c)).join('');
  return lower.replace(SINGLE_CHAR_FOLD_PATTERN, (c) => SINGLE_CHAR_FOLDS[c] ?? c);
}

/** Slow path for the rare characters whose decomposition is not one base character. */
function foldCharByChar(nfc: string): string {
  let out = '';
  for (let i = 0; i < nfc.length; i += 1) {
    const unit = nfc[i] ?? '';
    const base = unit.normalize('NFD').replace(/\p{M}/gu, '');
    out += base.length === 1 ? base : unit;
  }
  return out;
}

/** Folds a short phrase (a name, a keyword) the same way, for comparisons. */
export function foldPhrase(text: string): string {
  return foldForMatching(text.normalize('NFC')).replace(/\s+/g, ' ').trim();
}
