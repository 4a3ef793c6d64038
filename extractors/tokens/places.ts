export type UnitLevel = 'commune' | 'district' | 'province';

/** "xã Thượng Cường", "huyện Văn Quan", "các xã Minh Tiến, Quyết Thắng" in a document. */
export interface PlaceMention {
  level: UnitLevel;
  /** Names as written; one for a singular mention. */
  names: string[];
  /** "các xã …", "02 xã …": a group, never the subject of a commune's statement. */
  plural: boolean;
  start: number;
  end: number;
}

const UNIT_WORD = /\b(thi\s+tran|thi\s+xa|thanh\s+pho|xa|phuong|huyen|quan|tinh)\b\s*:?[ \t\u00a0]*/g;
const LEVEL_OF_UNIT: Record<string, UnitLevel> = {
  'thi tran': 'commune', xa: 'commune', phuong: 'commune',
  'thi xa': 'district', 'thanh pho': 'district', huyen: 'district', quan: 'district',
  tinh: 'province',
};
/** A name word: capitalised, then lower case ("Thượng", "Lễ"); "NTM" or "UBND" are not names. */
const NAME_WORD = /\p{Lu}[\p{Ll}\p{M}]*(?:-\p{Lu}?[\p{Ll}\p{M}]+)?(?![\p{L}\p{M}])/uy;
/** Capitalised words that follow a name without belonging to it ("tỉnh Lạng Sơn Ban hành …"). */
const NOT_IN_NAME = new Set(['Ban', 'Sở', 'Ủy', 'Uỷ', 'Phòng', 'Đảng', 'Huyện', 'Tỉnh', 'Xã', 'Thôn', 'Về', 'Theo', 'Tại', 'Của']);
const PLURAL_BEFORE = /(?:\bcac|\bnhung|\bhai|\bba|\d)\s*$/;
const NOT_A_NAME = /^(?:nong thon|ntm|uy ban|dang uy)\b/;

/** Finds every unit word followed by a proper name, reading names from the NFC text. */
export function findPlaceMentions(fold: string, nfc: string): PlaceMention[] {
  const mentions: PlaceMention[] = [];
  for (const match of fold.matchAll(UNIT_WORD)) {
    const unit = (match[1] ?? '').replace(/\s+/g, ' ');
    const level = LEVEL_OF_UNIT[unit];
    if (!level) continue;
    const plural = PLURAL_BEFORE.test(fold.slice(Math.max(0, match.index - 8), match.index));
    const nameStart = match.index + match[0].length;
    const names = plural ? readNameList(nfc, fold, nameStart) : readOneName(nfc, fold, nameStart);
    if (!names) continue;
    mentions.push({ level, names: names.names, plural, start: match.index, end: names.end });
  }
  return mentions;
}

interface NameRun {
  names: string[];
  end: number;
}

/** Reads one name of 1–4 capitalised words starting at `start`. */
export function readName(nfc: string, fold: string, start: number): { name: string; end: number } | null {
  let position = start;
  let end = start;
  const words: string[] = [];
  while (words.length < 4) {
    NAME_WORD.lastIndex = position;
    const word = NAME_WORD.exec(nfc);
    if (!word) break;
    if (word[0].length > 1 && word[0] === word[0].toUpperCase()) break; // an acronym, not a name
    if (words.length > 0 && NOT_IN_NAME.has(word[0])) break;
    words.push(word[0]);
    end = position + word[0].length;
    // A line break inside a name happens in PDFs; after one word only, since most names have two
    // or more and a capitalised word on the next line usually starts a new sentence.
    const gap = (words.length === 1 ? /^(?:[ \u00a0]|[ \u00a0]?\n)/ : /^[ \u00a0]/).exec(nfc.slice(end, end + 2));
    if (!gap) break;
    position = end + gap[0].length;
  }
  if (words.length === 0 || NOT_A_NAME.test(fold.slice(start, end))) return null;
  return { name: words.join(' '), end };
}

function readOneName(nfc: string, fold: string, start: number): NameRun | null {
  const name = readName(nfc, fold, start);
  return name ? { names: [name.name], end: name.end } : null;
}

/** Reads "A, B và C" (also "A, B, C" over a line break); stops at the first word that is no name. */
export function readNameList(nfc: string, fold: string, start: number): NameRun | null {
  const names: string[] = [];
  let position = start;
  let end = start;
  for (;;) {
    const name = readName(nfc, fold, position);
    if (!name) break;
    names.push(name.name);
    end = name.end;
    const separator = /^(?:\s*,\s*(?:va\s+)?|\s+va\s+)(?:(?:xa|phuong|thi\s+tran)\s+)?/.exec(fold.slice(end, end + 16));
    if (!separator) break;
    position = end + separator[0].length;
  }
  return names.length > 0 ? { names, end } : null;
}
