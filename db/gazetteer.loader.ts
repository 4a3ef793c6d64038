import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { gazetteer, REFERENCE_FILE } from '../extractors/places/gazetteer.js';
import { gazetteer2025, MAPPING_2025_FILE, UNITS_2025_FILE } from '../extractors/places/gazetteer-2025.js';
import { projectPath } from '../extractors/util/project-root.js';
import type { Database } from './client.js';

const NAME = 'units_history.csv';

/**
 * Loads the gazetteer into `admin_units` and `admin_unit_versions` when the database does not
 * hold this version of db/reference/units_history.csv yet (its SHA-256 is kept in
 * `reference_data`). Idempotent and cheap when nothing changed (one file hash); the load itself
 * is one IMMEDIATE transaction, so two processes opening a new database load it once.
 *
 * A loader rather than a data migration: the CSV is the single source that extraction (on
 * workers that never open SQLite) also reads, and a new gazetteer is a new file, not a
 * hand-written migration holding thousands of INSERTs.
 */
export function loadGazetteer(db: Database): { loaded: boolean; units: number; versions: number } {
  const sha256 = referenceHash();
  const client = db.$client;
  const recorded = client.prepare('select sha256 from reference_data where name = ?').pluck();
  if (recorded.get(NAME) === sha256) return { loaded: false, units: 0, versions: 0 };

  // The same parse the extractors use, made once per process.
  const places = gazetteer();
  const versions = places.versions;
  const codes = [...new Set(versions.map((version) => version.code))];
  const inSnapshot = new Set(versions.filter((version) => version.inSnapshot).map((version) => version.code));
  const load = client.transaction(() => {
    if (recorded.get(NAME) === sha256) return false; // another process loaded it meanwhile
    client.prepare('delete from admin_unit_versions').run();
    client.prepare('delete from admin_units').run();
    insertRows(
      client,
      'admin_unit_versions',
      ['code', 'name', 'type', 'level', 'parent_code', 'folded_name', 'valid_from', 'valid_to'],
      versions.map((version) => [
        version.code,
        version.name,
        version.type,
        version.level,
        version.parentCode,
        version.folded,
        version.validFrom,
        version.validTo,
      ]),
    );
    insertRows(
      client,
      'admin_units',
      ['code', 'name', 'type', 'full_name', 'level', 'parent_code', 'province_code', 'district_code', 'folded_name', 'valid_from', 'valid_to', 'in_snapshot'],
      codes.flatMap((code) => {
        const unit = places.unit(code);
        if (!unit) return [];
        const district = unit.level === 3 ? (places.districtOf(unit)?.code ?? null) : unit.level === 2 ? unit.code : null;
        return [
          [
            unit.code,
            unit.name,
            unit.type,
            unit.fullName,
            unit.level,
            unit.parentCode,
            places.provinceOf(unit)?.code ?? null,
            district,
            unit.folded,
            unit.validFrom,
            unit.validTo,
            inSnapshot.has(code) ? 1 : 0,
          ],
        ];
      }),
    );
    client
      .prepare(
        "insert into reference_data (name, sha256, rows) values (?, ?, ?) on conflict(name) do update set sha256 = excluded.sha256, rows = excluded.rows, loaded_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
      )
      .run(NAME, sha256, versions.length);
    return true;
  });
  const loaded = load.immediate();
  return { loaded, units: loaded ? codes.length : 0, versions: loaded ? versions.length : 0 };
}

const NAME_2025 = 'units_2025.csv+mapping_2025_old_to_new.csv';

/**
 * Loads the units in force from 1 July 2025 into `admin_units_2025` and the old→new mapping into
 * `admin_unit_successions`, beside the history, on the same terms as loadGazetteer: once per
 * version of the two files (one SHA-256 over both), in one IMMEDIATE transaction.
 */
export function loadGazetteer2025(db: Database): { loaded: boolean; units: number; successions: number } {
  const sha256 = createHash('sha256').update(referenceHash(UNITS_2025_FILE)).update(referenceHash(MAPPING_2025_FILE)).digest('hex');
  const client = db.$client;
  const recorded = client.prepare('select sha256 from reference_data where name = ?').pluck();
  if (recorded.get(NAME_2025) === sha256) return { loaded: false, units: 0, successions: 0 };
  const places = gazetteer2025();
  const load = client.transaction(() => {
    if (recorded.get(NAME_2025) === sha256) return false;
    client.prepare('delete from admin_units_2025').run();
    client.prepare('delete from admin_unit_successions').run();
    insertRows(
      client,
      'admin_units_2025',
      ['code', 'name', 'type', 'full_name', 'level', 'parent_code', 'folded_name'],
      places.units.map((unit) => [unit.code, unit.name, unit.type, unit.fullName, unit.level, unit.parentCode, unit.folded]),
    );
    insertRows(
      client,
      'admin_unit_successions',
      ['old_code', 'old_full_name', 'old_parent_code', 'new_code', 'new_full_name', 'new_province_code', 'merge_type'],
      places.successions.map((row) => [row.oldCode, row.oldFullName, row.oldParentCode, row.newCode, row.newFullName, row.newProvinceCode, row.mergeType]),
    );
    client
      .prepare(
        "insert into reference_data (name, sha256, rows) values (?, ?, ?) on conflict(name) do update set sha256 = excluded.sha256, rows = excluded.rows, loaded_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
      )
      .run(NAME_2025, sha256, places.units.length + places.successions.length);
    return true;
  });
  const loaded = load.immediate();
  return { loaded, units: loaded ? places.units.length : 0, successions: loaded ? places.successions.length : 0 };
}

const hashed = new Map<string, { stamp: string; sha256: string }>();

/** A reference file's SHA-256, computed again only when its size or modification time changes. */
function referenceHash(file: readonly string[] = REFERENCE_FILE): string {
  const path = projectPath(...file);
  const stat = statSync(path);
  const stamp = `${stat.size}:${stat.mtimeMs}`;
  let known = hashed.get(path);
  if (known?.stamp !== stamp) {
    known = { stamp, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') };
    hashed.set(path, known);
  }
  return known.sha256;
}

function insertRows(client: Database['$client'], table: string, columns: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): void {
  const insert = client.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
  for (const row of rows) insert.run(row);
}
