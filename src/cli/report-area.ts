import { closeDatabase, type Database, type StatusQueries, type UnitRow } from '../../db/index.js';
import { foldName } from '../../extractors/places/place-names.js';
import { parseAge, type Age } from '../report/coverage.js';
import { openCommandDatabase } from './open-database.js';
import { printErr } from './terminal-text.js';

/** A report option that cannot be used: an area the gazetteer does not have, a malformed date. */
export class ReportOptionError extends Error {
  override readonly name = 'ReportOptionError';
}

/**
 * Runs a reading command (report, coverage) on the database opened read-only: an unusable option
 * or area is one line on stderr and exit code 1.
 */
export async function onReportDatabase(options: { db?: string }, run: (db: Database) => number | Promise<number>): Promise<number> {
  const { db } = openCommandDatabase(options, { readonly: true });
  try {
    return await run(db);
  } catch (error) {
    if (!(error instanceof ReportOptionError)) throw error;
    printErr(`${error.message}\n`);
    return 1;
  } finally {
    closeDatabase(db);
  }
}

export interface ReportArea {
  /** The districts whose communes the output covers, in gazetteer order. */
  districts: UnitRow[];
  /** "huyện Văn Quan, tỉnh Lạng Sơn" for titles. */
  title: string;
}

/**
 * The districts named by --district (every district of that name, or only those of --province),
 * or every district of --province. Names match with or without diacritics, current or former.
 */
export function resolveArea(units: StatusQueries, options: { district?: string; province?: string }): ReportArea {
  let provinces: UnitRow[] | undefined;
  if (options.province) {
    provinces = units.unitsNamed(1, foldName(options.province));
    if (provinces.length === 0) throw new ReportOptionError(`No province named "${options.province}" in the gazetteer.`);
  }
  if (options.district) {
    const districts = units
      .unitsNamed(2, foldName(options.district))
      .filter((district) => !provinces || provinces.some((province) => province.code === district.provinceCode));
    if (districts.length === 0)
      throw new ReportOptionError(`No district named "${options.district}"${options.province ? ` in ${options.province}` : ''} in the gazetteer.`);
    return {
      districts,
      title: districts.map((district) => `${district.type} ${district.name}, ${district.provinceType ?? 'tỉnh'} ${district.provinceName ?? '?'}`).join('; '),
    };
  }
  if (!provinces) throw new ReportOptionError('Give --district NAME or --province NAME.');
  const districts = provinces
    .flatMap((province) => units.childrenOf(province.code).filter((unit) => unit.level === 2))
    .sort((a, b) => a.code.localeCompare(b.code));
  return { districts, title: provinces.map((province) => `${province.type} ${province.name}`).join('; ') };
}

/** A day "YYYY-MM-DD" that exists, or an error saying what is expected. */
export function parseDay(text: string, option: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!date || date.toISOString().slice(0, 10) !== text) throw new ReportOptionError(`${option} needs a date as YYYY-MM-DD, not "${text}".`);
  return text;
}

/** An age such as "12m", "90d" or "2y", or an error saying what is expected. */
export function ageOption(text: string): Age {
  const age = parseAge(text);
  if (!age) throw new ReportOptionError(`--older-than needs an age such as 12m, 90d or 2y, not "${text}".`);
  return age;
}
