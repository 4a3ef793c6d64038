const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/gu;
const ACUTE_OR_DOT = /[\u0301\u0323]/u;

const ONSET = '(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)?';
/** Vowel groups that may take a final consonant. ă and â never end a syllable on their own. */
const NUCLEUS_BEFORE_CODA = '(?:uyê|iê|yê|uô|ươ|oă|uâ|oa|oe|uê|uy|ua|ưa|ia|oo|a|ă|â|e|ê|i|o|ô|ơ|u|ư|y)';
const OPEN_NUCLEUS = '(?:uyê|iê|yê|uô|ươ|oa|oe|uê|uy|ua|ưa|ia|a|e|ê|i|o|ô|ơ|u|ư|y)';
/** Vowel groups ending in a glide (i, y, o, u): nothing may follow. */
const GLIDE_NUCLEUS = '(?:iêu|yêu|oai|oay|oao|oeo|uây|uôi|ươi|ươu|uya|uyu|ai|ao|au|ay|âu|ây|eo|êu|iu|oi|ôi|ơi|ui|ưi|ưu)';
const SYLLABLE = new RegExp(`^${ONSET}(?:${NUCLEUS_BEFORE_CODA}(?:ch|ng|nh|c|m|n|p|t)|${GLIDE_NUCLEUS}|${OPEN_NUCLEUS})$`, 'u');
const STOP_FINAL = /(?:c|ch|p|t)$/u;

/**
 * Whether a word is one well-formed Vietnamese syllable: onset, vowel group and final from
 * the language's inventory, at most one tone mark, and after a stop final (-c, -ch, -p, -t)
 * only the sắc or nặng tone. Wrongly decoded legacy text breaks these rules almost every
 * word ("cỏc", "nghÜa"), correctly decoded text keeps them.
 */
export function isVietnameseSyllable(word: string): boolean {
  const decomposed = word.toLowerCase().normalize('NFD');
  const tones = decomposed.match(TONE_MARKS) ?? [];
  if (tones.length > 1) return false;
  const base = decomposed.replace(TONE_MARKS, '').normalize('NFC');
  if (!SYLLABLE.test(base)) return false;
  return tones.length === 0 || !STOP_FINAL.test(base) || ACUTE_OR_DOT.test(tones[0]!);
}
