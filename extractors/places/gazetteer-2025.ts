import { readFileSync } from 'node:fs';
import { projectPath } from '../util/project-root.js';
import { foldName, toneKey, type NameMatch } from './place-names.js';

/** The day the district level was abolished and the new provinces and communes took over. */
export const REFORM_DATE = '2025-07-01';

/** A unit in force from 1 July 2025: a province, or a commune directly under its province. */
export interface Unit2025 {
  code: string;
  name: string;
  /** "tỉnh", "thành phố", "xã", "phường", "đặc khu". */
  type: string;
  fullName: string;
  level: 1 | 3;
  /** The province of a commune; null for a province. */
  parentCode: string | null;
  folded: string;
  toneKey: string;
}

/** One row of the old→new mapping: a pre-reform commune and (all or part of it) the new one. */
export interface Succession {
  oldCode: string;
  /** With its unit word, as the mapping writes it: "Xã Thượng Cường". */
  oldFullName: string;
  /** The old district's code. */
  oldParentCode: string | null;
  newCode: string;
  newFullName: string;
  newProvinceCode: string;
  mergeType: 'full' | 'partial';
}

export const UNITS_2025_FILE = ['db', 'reference', 'units_2025.csv'] as const;
export const MAPPING_2025_FILE = ['db', 'reference', 'mapping_2025_old_to_new.csv'] as const;
const UNIT_COLUMNS = 'code,name,type,full_name,parent_code,level';
const MAPPING_COLUMNS = 'old_code,old_full_name,old_level,old_parent_code,new_code,new_full_name,new_province_code,new_province_full_name,merge_type';

/** Lines of a CSV without quoted fields, each with exactly `width` cells; errors name the file and line. */
function rows(csv: string, file: string, header: string): string[][] {
  const lines = csv.split('\n').filter((line) => line.trim() !== '');
  if (lines[0]?.trim() !== header) throw new Error(`${file}: unexpected header ${lines[0] ?? '(empty file)'}; expected ${header}`);
  const width = header.split(',').length;
  return lines.slice(1).map((line, index) => {
    const cells = line.split(',');
    if (cells.length !== width) throw new Error(`${file} line ${index + 2} has ${cells.length} fields, not ${width}: ${line}`);
    return cells.map((cell) => cell.trim());
  });
}

export function parseUnits2025(csv: string, file = 'units_2025.csv'): Unit2025[] {
  return rows(csv, file, UNIT_COLUMNS).map(([code, name, type, fullName, parentCode, level], index) => {
    if (level !== '1' && level !== '3')
      throw new Error(`${file} line ${index + 2}: level ${level ?? '(none)'}, expected 1 or 3 (no districts after the reform)`);
    const unitName = name ?? '';
    return {
      code: code ?? '',
      name: unitName,
      type: type ?? '',
      fullName: fullName ?? '',
      level: Number(level) as 1 | 3,
      parentCode: parentCode || null,
      folded: foldName(unitName),
      toneKey: toneKey(unitName),
    };
  });
}

export function parseSuccessions(csv: string, file = 'mapping_2025_old_to_new.csv'): Succession[] {
  return rows(csv, file, MAPPING_COLUMNS).map(([oldCode, oldFullName, , oldParentCode, newCode, newFullName, newProvinceCode, , mergeType], index) => {
    if (mergeType !== 'full' && mergeType !== 'partial')
      throw new Error(`${file} line ${index + 2}: merge_type ${mergeType ?? '(none)'}, expected full or partial`);
    return {
      oldCode: oldCode ?? '',
      oldFullName: oldFullName ?? '',
      oldParentCode: oldParentCode || null,
      newCode: newCode ?? '',
      newFullName: newFullName ?? '',
      newProvinceCode: newProvinceCode ?? '',
      mergeType,
    };
  });
}

export interface Lookup2025 {
  units: Unit2025[];
  match: NameMatch;
}

/**
 * The two-level units of 1 July 2025 and which old communes each was formed from. Codes here are
 * a separate namespace from the pre-reform gazetteer: a reused code may name another unit.
 */
export class Gazetteer2025 {
  private readonly byCode = new Map<string, Unit2025>();
  private readonly byLevelAndName = new Map<string, Unit2025[]>();
  private readonly predecessors = new Map<string, Succession[]>();
  private readonly successors = new Map<string, Succession[]>();

  constructor(
    readonly units: readonly Unit2025[],
    readonly successions: readonly Succession[],
  ) {
    for (const unit of units) {
      this.byCode.set(unit.code, unit);
      push(this.byLevelAndName, `${unit.level}|${unit.folded}`, unit);
    }
    for (const succession of successions) {
      push(this.predecessors, succession.newCode, succession);
      push(this.successors, succession.oldCode, succession);
    }
  }

  unit(code: string): Unit2025 | undefined {
    return this.byCode.get(code);
  }

  provinceOf(unit: Unit2025): Unit2025 | undefined {
    return unit.level === 1 ? unit : unit.parentCode ? this.byCode.get(unit.parentCode) : undefined;
  }

  /** The units of a level a written name may be, as written (tone placement aside) first, else without diacritics; narrowed to `provinceCode` and `types` when any fits. */
  lookup(level: 1 | 3, written: string, options: { provinceCode?: string | null; types?: readonly string[] } = {}): Lookup2025 | null {
    const folded = foldName(written);
    if (!folded) return null;
    const all = this.byLevelAndName.get(`${level}|${folded}`) ?? [];
    if (all.length === 0) return null;
    const key = toneKey(written);
    const exact = all.filter((unit) => unit.toneKey === key);
    let units = exact.length > 0 ? exact : all;
    if (options.provinceCode) units = units.filter((unit) => unit.parentCode === options.provinceCode || unit.code === options.provinceCode);
    if (options.types && options.types.length > 0) {
      const types = options.types;
      const typed = units.filter((unit) => types.includes(unit.type));
      if (typed.length > 0) units = typed;
    }
    return units.length > 0 ? { units, match: exact.length > 0 ? 'exact' : 'folded' } : null;
  }

  /** The pre-reform communes a new commune was formed from (all or part of each). */
  predecessorsOf(newCode: string): Succession[] {
    return this.predecessors.get(newCode) ?? [];
  }

  /** The new communes a pre-reform commune went into. */
  successorsOf(oldCode: string): Succession[] {
    return this.successors.get(oldCode) ?? [];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

let loaded: Gazetteer2025 | null = null;

/** The post-reform units and mapping shipped in db/reference/ (sources and licence in SOURCE.md there). */
export function gazetteer2025(): Gazetteer2025 {
  loaded ??= new Gazetteer2025(
    parseUnits2025(readFileSync(projectPath(...UNITS_2025_FILE), 'utf8'), UNITS_2025_FILE.join('/')),
    parseSuccessions(readFileSync(projectPath(...MAPPING_2025_FILE), 'utf8'), MAPPING_2025_FILE.join('/')),
  );
  return loaded;
}

/** Is a date (YYYY, YYYY-MM or YYYY-MM-DD) after the reform? A bare "2025" is not: it may be either side. */
export function afterReform(date: string | null): boolean {
  if (!date) return false;
  if (date.length === 4) return date > REFORM_DATE.slice(0, 4);
  return date.length === 7 ? date >= REFORM_DATE.slice(0, 7) : date >= REFORM_DATE;
}
