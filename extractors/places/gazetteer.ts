import { readFileSync } from 'node:fs';
import { projectPath } from '../util/project-root.js';
import { editDistance, jaroWinkler } from '../util/string-distance.js';
import type { NameLexicon } from '../tokens/commune-groups.js';
import { foldName, toneKey, type NameMatch } from './place-names.js';

/** 1 = province (tỉnh, thành phố trung ương), 2 = district (huyện, quận, thị xã, thành phố), 3 = commune (xã, phường, thị trấn). */
export type GazetteerLevel = 1 | 2 | 3;

/** One version of a unit: its name, type and parent over a period (db/reference/units_history.csv). */
export interface UnitVersion {
  /** GSO code, a string: leading zeros matter. */
  code: string;
  name: string;
  /** The lower-case type word: "xã", "phường", "thị trấn", "huyện", "tỉnh", … */
  type: string;
  fullName: string;
  parentCode: string | null;
  level: GazetteerLevel;
  /** "YYYY-MM-DD"; approximate (the GSO snapshot or decree date). */
  validFrom: string;
  /** First day it no longer held; null when still valid on 01/03/2025. */
  validTo: string | null;
  /** Part of the 01/05/2024 snapshot (units.csv). */
  inSnapshot: boolean;
  folded: string;
  toneKey: string;
}

/** A day range a document speaks of: "2020-06" is 2020-06-01 … 2020-06-30. */
export interface DateRange {
  from: string;
  to: string;
}

export interface NameLookup {
  versions: UnitVersion[];
  match: NameMatch;
  /** Jaro–Winkler similarity for a fuzzy match, 1 otherwise. */
  similarity: number;
}

export const REFERENCE_FILE = ['db', 'reference', 'units_history.csv'] as const;
const COLUMNS = 'code,name,type,full_name,parent_code,level,valid_from,valid_to,in_units_csv';

/** Parses units_history.csv (no quoted fields in it; checked). */
export function parseUnitVersions(csv: string): UnitVersion[] {
  const lines = csv.split('\n').filter((line) => line.trim() !== '');
  if (lines[0]?.trim() !== COLUMNS) throw new Error(`Unexpected gazetteer header: ${lines[0] ?? '(empty file)'}`);
  return lines.slice(1).map((line, index) => {
    const cells = line.split(',');
    if (cells.length !== 9) throw new Error(`Gazetteer line ${index + 2} has ${cells.length} fields, not 9: ${line}`);
    const [code, name, type, fullName, parentCode, level, validFrom, validTo, inSnapshot] = cells as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (level !== '1' && level !== '2' && level !== '3') throw new Error(`Gazetteer line ${index + 2}: level ${level}`);
    return {
      code,
      name,
      type,
      fullName,
      parentCode: parentCode || null,
      level: Number(level) as GazetteerLevel,
      validFrom,
      validTo: validTo || null,
      inSnapshot: inSnapshot.trim() === '1',
      folded: foldName(name),
      toneKey: toneKey(name),
    };
  });
}

/**
 * The administrative units of Vietnam before the 2025 reform, with every name they had since
 * 2012, indexed for matching the names a document writes. Loaded once per process.
 */
export class Gazetteer {
  private readonly byLevelAndName = new Map<string, UnitVersion[]>();
  private readonly latestByCode = new Map<string, UnitVersion>();
  private readonly childrenByParent = new Map<string, UnitVersion[]>();
  private readonly byLevel = new Map<GazetteerLevel, UnitVersion[]>();
  private readonly versionsByCode = new Map<string, UnitVersion[]>();

  constructor(readonly versions: readonly UnitVersion[]) {
    for (const version of versions) {
      push(this.byLevelAndName, `${version.level}|${version.folded}`, version);
      push(this.byLevel, version.level, version);
      push(this.versionsByCode, version.code, version);
      if (version.parentCode) push(this.childrenByParent, version.parentCode, version);
      const latest = this.latestByCode.get(version.code);
      if (!latest || latest.validFrom < version.validFrom) this.latestByCode.set(version.code, version);
    }
  }

  /** The unit's latest version. */
  unit(code: string): UnitVersion | undefined {
    return this.latestByCode.get(code);
  }

  /** The version of a unit in force during `range` (else its latest). */
  unitAt(code: string, range: DateRange | null): UnitVersion | undefined {
    if (!range) return this.unit(code);
    const versions = this.versionsByCode.get(code) ?? [];
    return versions.findLast((version) => validDuring(version, range)) ?? this.unit(code);
  }

  /** The province a unit lies in (itself for a province). */
  provinceOf(version: UnitVersion): UnitVersion | undefined {
    if (version.level === 1) return version;
    const parent = version.parentCode ? this.unit(version.parentCode) : undefined;
    return parent ? this.provinceOf(parent) : undefined;
  }

  /** The district a commune lies in (itself for a district). */
  districtOf(version: UnitVersion): UnitVersion | undefined {
    if (version.level === 2) return version;
    if (version.level === 1 || !version.parentCode) return undefined;
    return this.unit(version.parentCode);
  }

  /** The units directly under a unit during `range` (one version per code). */
  childrenOf(parentCode: string, range: DateRange | null): UnitVersion[] {
    const children = (this.childrenByParent.get(parentCode) ?? []).filter((version) => !range || validDuring(version, range));
    return uniqueByCode(children);
  }

  /** Whether some unit of this level ever had this folded name ("tan lap"). */
  hasFoldedName(level: GazetteerLevel, folded: string): boolean {
    return this.byLevelAndName.has(`${level}|${folded}`);
  }

  /**
   * The units a written name may be, at one level: the spelling as written (tone placement
   * aside) when some unit has it, else the same letters without diacritics. Versions that were
   * valid during `range` are preferred; `types` ("xã") narrow the result when any unit has them.
   */
  lookup(level: GazetteerLevel, written: string, options: { range?: DateRange | null; types?: readonly string[] } = {}): NameLookup | null {
    const { folded, key } = writtenKeys(written);
    if (!folded) return null;
    const all = this.byLevelAndName.get(`${level}|${folded}`) ?? [];
    if (all.length === 0) return null;
    const exact = all.filter((version) => version.toneKey === key);
    const versions = narrow(exact.length > 0 ? exact : all, options);
    return { versions, match: exact.length > 0 ? 'exact' : 'folded', similarity: 1 };
  }

  /**
   * A name within a small edit distance of exactly one unit's name among `pool` (the units of the
   * document's province, say): "Tú Xuên" → Tú Xuyên. Null when none or several are as close.
   */
  fuzzy(
    level: GazetteerLevel,
    written: string,
    pool: readonly UnitVersion[] | null,
    options: { range?: DateRange | null; types?: readonly string[] } = {},
  ): NameLookup | null {
    const { folded } = writtenKeys(written);
    if (folded.length < 4) return null;
    const limit = folded.replace(/ /g, '').length <= 8 ? 1 : 2;
    const candidates = pool ?? this.byLevel.get(level) ?? [];
    let best: UnitVersion[] = [];
    let bestDistance = Infinity;
    let bestSimilarity = 0;
    for (const version of candidates) {
      if (version.level !== level || Math.abs(version.folded.length - folded.length) > limit) continue;
      const distance = editDistance(folded, version.folded);
      if (distance > limit || distance > bestDistance) continue;
      const similarity = jaroWinkler(folded, version.folded);
      if (similarity < 0.9) continue;
      if (distance < bestDistance) {
        best = [];
        bestDistance = distance;
        bestSimilarity = similarity;
      }
      best.push(version);
    }
    const versions = narrow(best, options);
    if (uniqueByCode(versions).length !== 1) return null;
    return { versions, match: 'fuzzy', similarity: bestSimilarity };
  }

  /** Every unit of a level under a province (one version per code), for fuzzy matching. */
  unitsInProvince(level: GazetteerLevel, provinceCode: string, range: DateRange | null): UnitVersion[] {
    if (level === 1) return uniqueByCode((this.byLevel.get(1) ?? []).filter((version) => !range || validDuring(version, range)));
    const districts = this.childrenOf(provinceCode, range);
    return level === 2 ? districts : districts.flatMap((district) => this.childrenOf(district.code, range));
  }
}

const keysOfWritten = new Map<string, { folded: string; key: string }>();

/** Folded name and tone key of a written name; documents repeat their names, so both are kept. */
function writtenKeys(written: string): { folded: string; key: string } {
  let keys = keysOfWritten.get(written);
  if (!keys) {
    keys = { folded: foldName(written), key: toneKey(written) };
    if (keysOfWritten.size > 10_000) keysOfWritten.clear();
    keysOfWritten.set(written, keys);
  }
  return keys;
}

function narrow(versions: UnitVersion[], options: { range?: DateRange | null; types?: readonly string[] }): UnitVersion[] {
  let result = versions;
  if (options.range) {
    const range = options.range;
    const valid = result.filter((version) => validDuring(version, range));
    if (valid.length > 0) result = valid;
  }
  if (options.types && options.types.length > 0) {
    const types = options.types;
    const typed = result.filter((version) => types.includes(version.type));
    if (typed.length > 0) result = typed;
  }
  return uniqueByCode(result);
}

/** One version per code: the latest of those given. */
export function uniqueByCode(versions: UnitVersion[]): UnitVersion[] {
  const byCode = new Map<string, UnitVersion>();
  for (const version of versions) {
    const seen = byCode.get(version.code);
    if (!seen || seen.validFrom < version.validFrom) byCode.set(version.code, version);
  }
  return [...byCode.values()];
}

export function validDuring(version: UnitVersion, range: DateRange): boolean {
  return version.validFrom <= range.to && (version.validTo === null || range.from < version.validTo);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

let loaded: Gazetteer | null = null;

/** The gazetteer shipped in db/reference/ (sources and licence in SOURCE.md there). */
export function gazetteer(): Gazetteer {
  loaded ??= new Gazetteer(parseUnitVersions(readFileSync(projectPath(...REFERENCE_FILE), 'utf8')));
  return loaded;
}

/** The gazetteer's names as the group reader asks for them (folded, any period). */
export function nameLexicon(places: Gazetteer = gazetteer()): NameLexicon {
  const has = (level: GazetteerLevel) => (name: string) => places.hasFoldedName(level, foldName(name));
  return { isCommune: has(3), isDistrict: has(2), isProvince: has(1) };
}
