import { readName } from './places.js';

/**
 * A run of communes written together, with the districts written after them:
 * "xã A, B (huyện X) và C (Y)", "Xã A, B - thành phố X; xã C - huyện Y", "A, B huyện X",
 * "xã A, huyện B", "A (đạt 16/19 tiêu chí), B (đạt 17/19 tiêu chí)".
 * Positions are offsets in the matching view (`fold`, same length as `nfc`).
 */
export interface GroupItem {
  name: string;
  /** The district written for it ("(huyện X)", "- TP X", "(X)"), or null. */
  district: string | null;
  province: string | null;
  /** "(đạt 16/19 tiêu chí)" written right after the name: its own count. */
  ownCount: { met: number; total: number | null } | null;
  start: number;
  end: number;
  /** Written with its unit word ("xã A") rather than a bare name. */
  prefixed: boolean;
}

export interface CommuneGroup {
  items: GroupItem[];
  start: number;
  end: number;
}

/** Tells whether a name (as written or folded) is a commune (or district, province) of the gazetteer. */
export interface NameLexicon {
  isCommune(name: string): boolean;
  isDistrict(name: string): boolean;
  isProvince(name: string): boolean;
}

const COMMUNE_WORD = /^(?:cac\s+)?(?:xa|phuong|thi\s+tran)\s*:?[ \t\u00a0]+/;
const DISTRICT_WORD = /^(?:huyen|thi\s+xa|thanh\s+pho|quan|tp\s*\.?|tx\s*\.?)[ \t\u00a0]*/;
const PROVINCE_WORD = /^tinh[ \t\u00a0]+/;
/** Between two items: ",", ";", "và", ", và", "; và" (with a line break in PDFs), then maybe "xã". */
const SEPARATOR = /^[ \t\u00a0]*(?:[,;][ \t\u00a0\n]*(?:va[ \t\u00a0]+)?|va[ \t\u00a0]+|\n(?=[ \t]*(?:xa\s+)?\p{L}))/u;
/** "(đạt 16/19 tiêu chí)", "(16/19 tiêu chí)" right after a name. */
const OWN_COUNT = /^[ \t\u00a0]*\(\s*(?:da\s+)?(?:dat\s+)?(\d{1,2})(?:\s*\/\s*(\d{1,2}))?\s+tieu\s+chi[^()]{0,60}\)/;
const MAX_ITEMS = 60;
const FUNCTION_WORD = /^(?:tu|den|toi|nam|trong|theo|tai|hien|sau|truoc|rieng|toan|ca|cac|nhung|voi|qua|nho|do|vi|ngay|thang|dot|giai|ket|con|da|dat|ve)\b/;
const NAME_WORD_BEFORE = /\p{Lu}[\p{L}\p{M}]*[ \t\u00a0]+$/u;
const HIGHER_UNIT_BEFORE = /\b(?:huyen|thi\s+xa|thanh\s+pho|tp|tx|tinh|quan)\s*\.?\s*$/;

export interface ReadGroupOptions {
  /** A list is expected here ("gồm: …", "các xã …"): bare names need not be known to the gazetteer. */
  expected: boolean;
  /** Nothing is read at or past this position (default: the end of the text). */
  limit?: number;
}

/**
 * Reads a group of communes starting at `start`. Returns null when no commune is read. A bare
 * name (no "xã" before it) is taken only when the gazetteer knows it as a commune, or when a
 * list is expected there and an item before it was read.
 */
export function readCommuneGroup(fold: string, nfc: string, lexicon: NameLexicon, start: number, options: ReadGroupOptions): CommuneGroup | null {
  const items: GroupItem[] = [];
  const limit = options.limit ?? fold.length;
  let position = start;
  let pendingFrom = 0; // first item the next district annotation applies to
  let lastFrom = 0; // first item the last one applied to: a province after it ("…, huyện B (Hà Giang)") goes there too
  let groupPrefixed = false;
  let end = start;
  /** A district (or province) written after names locates every name since the last one. */
  const locate = (place: PlaceAnnotation) => {
    const from = pendingFrom < items.length ? pendingFrom : lastFrom;
    for (const earlier of items.slice(from)) {
      earlier.district ??= place.district;
      earlier.province ??= place.province;
    }
    lastFrom = from;
    pendingFrom = items.length;
    end = place.end;
  };
  while (items.length < MAX_ITEMS) {
    const unit = COMMUNE_WORD.exec(fold.slice(position, position + 20));
    const nameStart = position + (unit?.[0].length ?? 0);
    const read = readName(nfc, fold, nameStart);
    if (!read || read.end > limit) break;
    const name = withLowerCaseSyllable(nfc, fold, lexicon, nameStart, read, limit);
    // "Từ 5/19 tiêu chí …", "Đến nay …": a capitalised word that opens a sentence names nothing.
    if (!unit && !groupPrefixed && FUNCTION_WORD.test(fold.slice(nameStart, name.end))) break;
    const folded = fold.slice(nameStart, name.end).replace(/\s+/g, ' ');
    const known = lexicon.isCommune(folded);
    const acceptable = known || unit !== null || (items.length > 0 && (options.expected || groupPrefixed));
    if (!acceptable || (!known && !unit && looksLikeDistrictOrProvince(lexicon, folded) && items.length === 0)) break;
    if (unit) groupPrefixed = true;
    const item: GroupItem = {
      name: name.name,
      district: null,
      province: null,
      ownCount: null,
      start: unit ? position : nameStart,
      end: name.end,
      prefixed: Boolean(unit),
    };
    items.push(item);
    end = name.end;
    position = name.end;
    // Annotations after the name: its own count, its district (several forms), its province.
    for (;;) {
      const own = OWN_COUNT.exec(fold.slice(position, position + 90));
      if (own && position + own[0].length <= limit) {
        item.ownCount = { met: Number(own[1]), total: own[2] ? Number(own[2]) : null };
        position += own[0].length;
        end = position;
        continue;
      }
      const place = readPlaceAnnotation(fold, nfc, lexicon, position);
      if (place && place.end <= limit) {
        // "xã A, huyện B (Hà Giang)": after a district, a name that is a province is the province.
        if (item.district && place.district && !place.province && lexicon.isProvince(place.district)) {
          place.province = place.district;
          place.district = null;
        }
        locate(place);
        position = place.end;
        continue;
      }
      break;
    }
    const separator = SEPARATOR.exec(fold.slice(position, position + 24));
    if (!separator) break;
    // "Phong Thu, Phong Mỹ, (huyện Phong Điền)": a stray comma before the district.
    const afterSeparator = position + separator[0].length;
    const stray = readPlaceAnnotation(fold, nfc, lexicon, afterSeparator - 1);
    if (stray && stray.end <= limit && /^\s*\(/.test(fold.slice(afterSeparator - 1, afterSeparator + 2))) {
      locate(stray);
      const next = SEPARATOR.exec(fold.slice(stray.end, stray.end + 24));
      if (!next) break;
      position = stray.end + next[0].length;
      continue;
    }
    position = afterSeparator;
  }
  if (items.length === 0) return null;
  return { items, start: items[0]?.start ?? start, end };
}

/**
 * "Yên nhân" for Yên Nhân, as typed: a name that the gazetteer does not know, whose next word in
 * lower case makes one it does know, takes that word too.
 */
function withLowerCaseSyllable(
  nfc: string,
  fold: string,
  lexicon: NameLexicon,
  start: number,
  name: { name: string; end: number },
  limit: number,
): { name: string; end: number } {
  const next = /^[ \t\u00a0]([\p{Ll}][\p{Ll}\p{M}]*)(?![\p{L}\p{M}])/u.exec(nfc.slice(name.end, name.end + 12));
  if (!next?.[1] || name.end + next[0].length > limit) return name;
  const folded = fold.slice(start, name.end).replace(/\s+/g, ' ');
  const longer = `${folded} ${fold.slice(name.end + 1, name.end + next[0].length)}`;
  if (lexicon.isCommune(folded) || !lexicon.isCommune(longer)) return name;
  return { name: `${name.name} ${next[1].charAt(0).toUpperCase()}${next[1].slice(1)}`, end: name.end + next[0].length };
}

function looksLikeDistrictOrProvince(lexicon: NameLexicon, folded: string): boolean {
  return lexicon.isDistrict(folded) || lexicon.isProvince(folded);
}

interface PlaceAnnotation {
  district: string | null;
  province: string | null;
  end: number;
}

/**
 * What locates the names before it: "(huyện X)", "(X)", "(X, Y)" (district, province),
 * " - huyện X", " - TP X", " huyện X", ", huyện X", " thuộc huyện X", "(Hà Giang)" (a province).
 */
function readPlaceAnnotation(fold: string, nfc: string, lexicon: NameLexicon, at: number): PlaceAnnotation | null {
  const ahead = fold.slice(at, at + 16);
  const bracket = /^[ \t\u00a0]*\([ \t]*(?:(?:deu\s+)?(?:o|thuoc)\s+)?/.exec(fold.slice(at, at + 24));
  if (bracket) {
    const inner = readPlaces(fold, nfc, lexicon, at + bracket[0].length, true);
    if (!inner) return null;
    const close = /^[^()\n]{0,40}?\)/.exec(fold.slice(inner.end, inner.end + 42));
    if (!close) return null;
    return { ...inner, end: inner.end + close[0].length };
  }
  const lead =
    /^(?:[ \t\u00a0]*-[ \t\u00a0]*|[ \t\u00a0]*,[ \t\u00a0]*(?=(?:huyen|thi\s+xa|thanh\s+pho|tp|tx|tinh)\b)|[ \t\u00a0]+(?:thuoc[ \t\u00a0]+)?(?=(?:huyen|thi\s+xa|thanh\s+pho|tp|tx|tinh)\b))/.exec(
      ahead,
    );
  if (!lead) return null;
  return readPlaces(fold, nfc, lexicon, at + lead[0].length, false);
}

/** "huyện X", "X", "X, Y" (district then province) inside an annotation. */
function readPlaces(fold: string, nfc: string, lexicon: NameLexicon, at: number, bare: boolean): PlaceAnnotation | null {
  const district = DISTRICT_WORD.exec(fold.slice(at, at + 14));
  const province = district ? null : PROVINCE_WORD.exec(fold.slice(at, at + 8));
  if (!bare && !district && !province) return null;
  const nameStart = at + (district?.[0].length ?? province?.[0].length ?? 0);
  const name = readName(nfc, fold, nameStart);
  if (!name) return null;
  const folded = fold.slice(nameStart, name.end).replace(/\s+/g, ' ');
  if (province || (!district && !lexicon.isDistrict(folded) && lexicon.isProvince(folded))) {
    return { district: null, province: name.name, end: name.end };
  }
  if (!district && !lexicon.isDistrict(folded)) return null;
  // "(Long Mỹ, Hậu Giang)": the district, then its province.
  const then = /^[ \t\u00a0]*[,-][ \t\u00a0]*(?:tinh[ \t\u00a0]+)?/.exec(fold.slice(name.end, name.end + 10));
  if (then) {
    const provinceName = readName(nfc, fold, name.end + then[0].length);
    if (provinceName && lexicon.isProvince(fold.slice(name.end + then[0].length, provinceName.end).replace(/\s+/g, ' '))) {
      return { district: name.name, province: provinceName.name, end: provinceName.end };
    }
  }
  return { district: name.name, province: null, end: name.end };
}

/**
 * The group that ends right before `to` (only `connector` text between), starting at or after
 * `from`: "xã A và xã B đều đạt …", "A, B 8/19 tiêu chí". The earliest start that reads a
 * group reaching `to` wins, so "Luận Thành, Vạn Xuân 8/19" gives both names.
 */
export function groupEndingAt(fold: string, nfc: string, lexicon: NameLexicon, from: number, to: number, connector: RegExp): CommuneGroup | null {
  const starts = new Set<number>();
  for (const match of nfc.slice(from, to).matchAll(/(?<![\p{L}\p{M}\d])\p{Lu}/gu)) starts.add(from + match.index);
  for (const match of fold.slice(from, to).matchAll(/\b(?:xa|phuong|thi\s+tran)\s/g)) starts.add(from + match.index);
  for (const start of [...starts].sort((a, b) => a - b)) {
    // "huyện Cần Giuộc đạt 9/9 tiêu chí": a name after a district's or province's unit word is theirs.
    if (HIGHER_UNIT_BEFORE.test(fold.slice(Math.max(0, start - 14), start))) continue;
    // A capital inside a name ("Lãng" of "Văn Lãng") starts nothing.
    if (NAME_WORD_BEFORE.test(nfc.slice(Math.max(0, start - 12), start))) continue;
    const group = readCommuneGroup(fold, nfc, lexicon, start, { expected: false, limit: to });
    if (!group) continue;
    if (group.end > to) continue;
    if (!connector.test(fold.slice(group.end, to))) continue;
    return group;
  }
  return null;
}

/** Where a list of communes begins after its count: "gồm:", "gồm có", "là:", ":", "(xã …". */
export const LIST_OPENER = /(?:\b(?:bao\s+gom|gom(?:\s+co)?|la)\b(?:\s+cac\s+xa)?\s*:?|:|\((?=\s*(?:xa|phuong|thi\s+tran)\b))\s*/g;

/** The first list of communes opened between `from` and `to` ("…, gồm: A, B và C"); it may run past `to`. */
export function groupOpenedBetween(fold: string, nfc: string, lexicon: NameLexicon, from: number, to: number, limit = fold.length): CommuneGroup | null {
  for (const opener of fold.slice(from, to).matchAll(LIST_OPENER)) {
    const start = from + opener.index + opener[0].length;
    const group = readCommuneGroup(fold, nfc, lexicon, start, { expected: true, limit });
    if (group && group.start - start <= 2) return group;
  }
  return null;
}
