import { foldPhrase } from '../text/match-view.js';

/** How a written name matched a gazetteer name. */
export type NameMatch = 'exact' | 'folded' | 'fuzzy';

/** Combining tone marks: grave, acute, tilde, hook above, dot below. Other marks (â, ă, ơ, ư) are letters. */
const TONE_MARK = /[\u0300\u0301\u0303\u0309\u0323]/gu;

/**
 * A key equal for two spellings that differ only in where the tone mark sits ("Hoà"/"Hòa",
 * "Thuỷ"/"Thủy") or in case: each word keeps its letters (with â, ă, ê, ô, ơ, ư, đ) and its one
 * tone mark, wherever the mark was written. OCR's Ð (U+00D0) reads as Đ.
 */
export function toneKey(name: string): string {
  return name
    .normalize('NFC')
    .replace(/[Ðð]/g, 'đ')
    .toLowerCase()
    .normalize('NFD')
    .split(/\s+/u)
    .filter(Boolean)
    .map((word) => {
      const tones = word.match(TONE_MARK)?.join('') ?? '';
      return `${word.replace(TONE_MARK, '')}${tones}`;
    })
    .join(' ')
    .normalize('NFC');
}

const folded = new Map<string, string>();

/** Lower case, no diacritics, đ/Ð → d, spaces collapsed: what missing or damaged marks still match. */
export function foldName(name: string): string {
  let result = folded.get(name);
  if (result === undefined) {
    result = foldPhrase(name)
      .replace(/[^a-z0-9 ]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    // Documents repeat their names; a bound keeps a long run from growing the cache without end.
    if (folded.size > 20_000) folded.clear();
    folded.set(name, result);
  }
  return result;
}
