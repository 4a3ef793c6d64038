import type { LegacyEncoding } from '../../../extractors/text/page-text.js';
import { legacyToUnicode } from './convert-legacy.js';
import { legacyTables } from './legacy-tables.js';
import { isVietnameseSyllable } from './vietnamese-syllable.js';

export const LEGACY_ENCODINGS: readonly LegacyEncoding[] = ['tcvn3', 'vni'];

/**
 * Latin-1 letters that Unicode Vietnamese uses. Every other Windows-1252 character in a word
 * ("µ", "ñ", "Ö", "ø"…) never occurs in Unicode Vietnamese, so it is the evidence that the word
 * is legacy text; a word made only of these letters ("kém", "có") is valid either way.
 */
const VIETNAMESE_LATIN1 = new Set('àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ');
/** Letters only Unicode Vietnamese has (ă đ ĩ ũ ơ ư, Latin Extended Additional), or NFD tone marks. */
const UNICODE_VIETNAMESE = /[ĂăĐđĨĩŨũƠơƯư\u1EA0-\u1EF9\u0300\u0301\u0303\u0309\u0323]/u;

/** Evidence in one run of text (a line) for each legacy encoding, and for Unicode Vietnamese. */
export interface EncodingEvidence {
  /** Words with Unicode Vietnamese letters: this text is (also) Unicode. */
  unicodeWords: number;
  byEncoding: Record<LegacyEncoding, WordCounts>;
}

export interface WordCounts {
  /** Words the encoding's table changes. */
  changed: number;
  /** Changed words that become a well-formed Vietnamese syllable. */
  valid: number;
  /** Valid words that also hold a character Unicode Vietnamese never uses: near-proof of the encoding. */
  proven: number;
}

let wordPattern: RegExp | undefined;

/** Letters plus the TCVN3 symbols that stand for letters ("µ" à, "·" ã, "©" â, soft hyphen ư…). */
function words(text: string): string[] {
  if (!wordPattern) {
    const symbols = [...legacyTables().tcvn3.fontCharToLetter.keys()].filter((char) => !/\p{L}/u.test(char));
    const escaped = symbols.map((char) => `\\u{${char.codePointAt(0)!.toString(16)}}`).join('');
    wordPattern = new RegExp(`[\\p{L}\\p{M}${escaped}]+`, 'gu');
  }
  return text.match(wordPattern) ?? [];
}

export function gatherEvidence(text: string): EncodingEvidence {
  const evidence: EncodingEvidence = {
    unicodeWords: 0,
    byEncoding: { tcvn3: { changed: 0, valid: 0, proven: 0 }, vni: { changed: 0, valid: 0, proven: 0 } },
  };
  for (const word of words(text)) {
    if (UNICODE_VIETNAMESE.test(word)) {
      evidence.unicodeWords++;
      continue;
    }
    const unusual = [...word].some((char) => char > '\u007f' && !VIETNAMESE_LATIN1.has(char));
    for (const encoding of LEGACY_ENCODINGS) {
      const converted = legacyToUnicode(word, encoding);
      if (converted === word) continue;
      const counts = evidence.byEncoding[encoding];
      counts.changed++;
      if (!isVietnameseSyllable(converted)) continue;
      counts.valid++;
      // One letter ("·" → "ã") proves little: a middle dot or a µ sign may be just that.
      if (unusual && [...word].length > 1) counts.proven++;
    }
  }
  return evidence;
}

/** Share of words (letters only, no digits) that are well-formed Vietnamese syllables. */
export function syllableShare(text: string): number {
  const all = text.match(/\p{L}+/gu) ?? [];
  if (all.length === 0) return 1;
  return all.filter(isVietnameseSyllable).length / all.length;
}
