/** Villages (thôn, bản) are no units of the gazetteer, but a statement about one is not about its commune. */
export type UnitLevel = 'village' | 'commune' | 'district' | 'province';

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

const UNIT_WORD = /\b(thi\s+tran|thi\s+xa|thanh\s+pho|xa|phuong|huyen|quan|tinh|thon|ban|khu\s+dan\s+cu|tp\.?|tx\.?)(?![a-z])\s*:?[ \t\u00a0]*/g;
const LEVEL_OF_UNIT: Record<string, UnitLevel> = {
  thon: 'village',
  ban: 'village',
  'khu dan cu': 'village',
  'thi tran': 'commune',
  xa: 'commune',
  phuong: 'commune',
  'thi xa': 'district',
  'thanh pho': 'district',
  huyen: 'district',
  quan: 'district',
  tp: 'district',
  tx: 'district',
  tinh: 'province',
};
/** A name word: capitalised, then lower case ("Thượng", "Lễ", "HRú", "H’leo"); "NTM" or "UBND" are not names. */
const NAME_WORD = /\p{Lu}(?:\p{Lu}(?=[\p{Ll}\p{M}]))?[\p{Ll}\p{M}]*(?:['’][\p{L}][\p{Ll}\p{M}]*)?(?:-\p{Lu}?[\p{Ll}\p{M}]+)?(?![\p{L}\p{M}])/uy;
/**
 * Capitalised words that follow a name without belonging to it ("tỉnh Lạng Sơn Ban hành …",
 * an OCR'd "xã Tân Lập Ðạt 13/19"), compared in lower case with their diacritics: "Thắng" is a
 * name, "tháng" a month.
 */
const NOT_IN_NAME = new Set([
  'ban',
  'sở',
  'ủy',
  'uỷ',
  'phòng',
  'đảng',
  'huyện',
  'tỉnh',
  'xã',
  'thôn',
  'về',
  'theo',
  'tại',
  'của',
  'đạt',
  'ðạt',
  'đã',
  'có',
  'chưa',
  'gần',
  'hiện',
  'phấn',
  'là',
  'và',
  'được',
  'tự',
  'năm',
  'tháng',
  'ngày',
  'đến',
  'trong',
]);
/** Unaccented stop words that no commune name uses as a syllable (unaccented "Thang" may be "Thắng"). */
const UNACCENTED_STOPS = new Set(['dat', 'chua', 'gan', 'hien', 'duoc', 'trong', 'theo', 'cua']);

export function isStopWord(word: string): boolean {
  const lower = word.toLowerCase();
  return NOT_IN_NAME.has(lower) || UNACCENTED_STOPS.has(lower);
}

/** "các xã", "những xã", "02 xã": a count of one or two digits, not a year or a date. */
const PLURAL_BEFORE = /(?:\bcac|\bnhung|\bhai|\bba|(?:^|[^\d/.,-])\d{1,2})\s*$/;
const NOT_A_NAME = /^(?:nong thon|ntm|uy ban|dang uy)\b/;

/** Finds every unit word followed by a proper name, reading names from the NFC text. */
export function findPlaceMentions(fold: string, nfc: string): PlaceMention[] {
  const mentions: PlaceMention[] = [];
  for (const match of fold.matchAll(UNIT_WORD)) {
    const unit = (match[1] ?? '').replace(/\s+/g, ' ').replace('.', '');
    const level = LEVEL_OF_UNIT[unit];
    if (!level || !unitWordMeansPlace(unit, nfc.slice(match.index, match.index + unit.length))) continue;
    // "xã Phương Độ" (unaccented "xa Phuong Do"): a unit word right after another is part of the name.
    if (/\b(?:xa|huyen|tinh|thi\s+xa|thanh\s+pho)\s+$/.test(fold.slice(Math.max(0, match.index - 12), match.index))) continue;
    const plural = PLURAL_BEFORE.test(fold.slice(Math.max(0, match.index - 12), match.index));
    const nameStart = match.index + match[0].length;
    const written = nfc.slice(match.index, match.index + unit.length);
    const shouting = written.length > 1 && written === written.toUpperCase() && !/^t[px]$/.test(unit);
    const names = plural ? readNameList(nfc, fold, nameStart, shouting) : readOneName(nfc, fold, nameStart, shouting);
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
export function readName(nfc: string, fold: string, start: number, shouting = false): { name: string; end: number } | null {
  let position = start;
  let end = start;
  const words: string[] = [];
  while (words.length < 4) {
    const pattern = shouting ? UPPER_WORD : NAME_WORD;
    pattern.lastIndex = position;
    const word = pattern.exec(nfc);
    if (!word) break;
    if (!shouting && word[0].length > 1 && word[0] === word[0].toUpperCase()) break; // an acronym, not a name
    if (words.length > 0 && isStopWord(word[0])) break;
    words.push(word[0]);
    end = position + word[0].length;
    // A line break inside a name happens in PDFs; after one word only, since most names have two
    // or more and a capitalised word on the next line usually starts a new sentence.
    const gap = (words.length === 1 ? /^(?:[ \u00a0]|[ \u00a0]?\n)/ : /^[ \u00a0]/).exec(nfc.slice(end, end + 2));
    if (!gap) break;
    position = end + gap[0].length;
  }
  if (words.length === 0 || NOT_A_NAME.test(fold.slice(start, end))) return null;
  return { name: (shouting ? words.map(titleCase) : words).join(' '), end };
}

/**
 * "ban" is a board ("Ban Chỉ đạo") unless written "bản", and "quan" an office ("cơ quan")
 * unless written "quận": for these two the diacritics decide.
 */
function unitWordMeansPlace(unit: string, written: string): boolean {
  if (unit === 'ban') return /^bản$/iu.test(written);
  if (unit === 'quan') return /^quận$/iu.test(written);
  return true;
}

/** After a unit word in capitals ("XÃ TÂN LẬP ĐẠT 15/19"), names are capitals too. */
const UPPER_WORD = /\p{Lu}[\p{Lu}\p{M}]*(?![\p{L}\p{M}])/uy;

function titleCase(word: string): string {
  return word.charAt(0) + word.slice(1).toLowerCase();
}

function readOneName(nfc: string, fold: string, start: number, shouting: boolean): NameRun | null {
  const name = readName(nfc, fold, start, shouting);
  return name ? { names: [name.name], end: name.end } : null;
}

/** A list longer than this is no list of communes a sentence names (and reading on would be quadratic). */
const MAX_LIST_NAMES = 80;

/** Reads "A, B và C" (also "A, B, C" over a line break); stops at the first word that is no name. */
export function readNameList(nfc: string, fold: string, start: number, shouting = false): NameRun | null {
  const names: string[] = [];
  let position = start;
  let end = start;
  for (;;) {
    if (names.length >= MAX_LIST_NAMES) break;
    const name = readName(nfc, fold, position, shouting);
    if (!name) break;
    names.push(name.name);
    end = name.end;
    const separator = /^(?:\s*,\s*(?:va\s+)?|\s+va\s+)(?:(?:xa|phuong|thi\s+tran)\s+)?/.exec(fold.slice(end, end + 16));
    if (!separator) break;
    position = end + separator[0].length;
  }
  return names.length > 0 ? { names, end } : null;
}

/** Place mentions in document order, searchable by position in O(log n): long documents name thousands. */
export class MentionIndex {
  private readonly singleByLevel = new Map<UnitLevel, PlaceMention[]>();

  constructor(readonly all: readonly PlaceMention[]) {
    for (const mention of all) {
      if (mention.plural) continue;
      const list = this.singleByLevel.get(mention.level) ?? [];
      list.push(mention);
      this.singleByLevel.set(mention.level, list);
    }
  }

  /** Mentions that lie entirely in [from, to). */
  within(from: number, to: number): PlaceMention[] {
    const found: PlaceMention[] = [];
    for (let index = firstStartingAtOrAfter(this.all, from); index < this.all.length; index += 1) {
      const mention = this.all[index];
      if (!mention || mention.start >= to) break;
      if (mention.end <= to) found.push(mention);
    }
    return found;
  }

  /** The last single (not "các xã …") mention of a level that ends at or before `position`. */
  lastSingleBefore(level: UnitLevel, position: number): PlaceMention | undefined {
    const list = this.singleByLevel.get(level) ?? [];
    let index = firstStartingAtOrAfter(list, position) - 1;
    while (index >= 0 && (list[index]?.end ?? 0) > position) index -= 1;
    return list[index];
  }

  firstSingle(level: UnitLevel): PlaceMention | undefined {
    return this.singleByLevel.get(level)?.[0];
  }

  /** Index of the last mention that ends at or before `position`, or -1. */
  lastIndexEndingBefore(position: number): number {
    let index = firstStartingAtOrAfter(this.all, position) - 1;
    while (index >= 0 && (this.all[index]?.end ?? 0) > position) index -= 1;
    return index;
  }
}

/** Binary search: the first index whose mention starts at or after `position`. */
function firstStartingAtOrAfter(list: readonly PlaceMention[], position: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((list[middle]?.start ?? 0) < position) low = middle + 1;
    else high = middle;
  }
  return low;
}
