import type BetterSqlite3 from 'better-sqlite3';
import { compareNullsFirst, standingClaims, type RankKeys } from './claim-ranking.js';
import type { Database } from './client.js';

/** A unit of the gazetteer with the names of the units above it. */
export interface UnitRow {
  code: string;
  name: string;
  type: string;
  level: number;
  districtCode: string | null;
  districtName: string | null;
  districtType: string | null;
  provinceCode: string | null;
  provinceName: string | null;
  provinceType: string | null;
  validTo: string | null;
}

interface ClaimBase {
  statementId: number | null;
  documentId: number | null;
  fileName: string | null;
  page: number | null;
  /** The table row the claim was read from (its number in the table on that page); null for prose. */
  tableRow: number | null;
  quote: string | null;
  communeCode: string;
  communeName: string | null;
  level: string | null;
  criteriaSet: string | null;
  asOf: string | null;
  assessment: string | null;
  /** correction, recognized, appraised, reported or self. */
  source: string;
  authority: number;
  rejected: boolean;
  standing: boolean;
}

export interface CountClaim extends ClaimBase {
  met: number | null;
  total: number | null;
  /** Indicators met and their total, stated with the count (2026-2030 set). */
  indicatorsMet: number | null;
  indicatorsTotal: number | null;
  communeGroup: number | null;
}

export type UnitSystemName = 'three_level' | 'two_level_2025';

/** A commune of the units in force from 1 July 2025, with its province. */
export interface Unit2025Row {
  code: string;
  name: string;
  type: string;
  provinceCode: string | null;
  provinceName: string | null;
  provinceType: string | null;
}

/** One pre-reform commune a new commune was formed from (all of it, or part). */
export interface PredecessorRow {
  newCode: string;
  mergeType: 'full' | 'partial';
  unit: UnitRow;
  /** The other new communes a partly merged commune went into. */
  otherSuccessors: Array<{ code: string; fullName: string }>;
}

export interface CriterionClaim extends ClaimBase {
  criterion: number;
  status: string;
}

export interface FlagRow {
  id: number;
  type: string;
  message: string;
  statementIds: number[];
}

const UNIT_COLUMNS = `
  u.code as code, u.name as name, u.type as type, u.level as level, u.valid_to as validTo,
  d.code as districtCode, d.name as districtName, d.type as districtType,
  p.code as provinceCode, p.name as provinceName, p.type as provinceType`;
const UNIT_2025_COLUMNS = `u.code as code, u.name as name, u.type as type, p.code as provinceCode, p.name as provinceName, p.type as provinceType`;
const UNIT_JOINS = `
  left join admin_units d on d.code = u.district_code and u.level = 3
  left join admin_units p on p.code = u.province_code`;

/**
 * Columns every claim history view shares: where the claim comes from. The table row is looked
 * up once per statement afterwards (withTableRows), not once per row here: a criteria list gives
 * a row per criterion.
 */
const CLAIM_COLUMNS = `statement_id as statementId, document_id as documentId, file_name as fileName, page_no as page, null as tableRow, quote,
  commune_code as communeCode, commune_name as communeName, level, criteria_set as criteriaSet, as_of as asOf,
  assessment, source, authority, rejected`;

const COUNT_CLAIMS = `select ${CLAIM_COLUMNS}, standing, met, total, indicators_met, indicators_total, commune_group
  from v_commune_count_history standing where commune_code = ? and unit_system = ?
  order by level, criteria_set, as_of, authority desc, statement_id`;
/**
 * A criteria list's claims, one row per statement with its criteria as an array (every other
 * column is the statement's, or its correction's, the same for each criterion), from the claims
 * view before ranking: v_criterion_history ranks every criterion row of the commune (a few
 * thousand, each with its quote) in a window function, two thirds of the query's time.
 * criterionClaims ranks, expands and orders them.
 */
const CRITERION_CLAIMS = `select ${CLAIM_COLUMNS}, status, confidence, json_group_array(criterion)
  from v_criterion_claims c where commune_code = ?
    and coalesce((select unit_system from statements st where st.id = c.statement_id), 'three_level') = ?
  group by statement_id`;

/** The CLAIM_COLUMNS of a raw row, in their order, and whether the claim stands. */
function claimOf(row: unknown[], standing: boolean): ClaimBase {
  return {
    statementId: row[0] as number | null,
    documentId: row[1] as number | null,
    fileName: row[2] as string | null,
    page: row[3] as number | null,
    tableRow: row[4] as number | null,
    quote: row[5] as string | null,
    communeCode: row[6] as string,
    communeName: row[7] as string | null,
    level: row[8] as string | null,
    criteriaSet: row[9] as string | null,
    asOf: row[10] as string | null,
    assessment: row[11] as string | null,
    source: row[12] as string,
    authority: row[13] as number,
    rejected: Boolean(row[14]),
    standing,
  };
}

/** A claim with the keys it is ranked by. */
interface RankedClaim extends RankKeys {
  claim: CriterionClaim;
}

/** What the claims of one commune compete for: a criterion of a criteria set. */
function criterionOfSet({ claim }: RankedClaim): string {
  return claim.criteriaSet === null ? `${claim.criterion}` : `${claim.criterion} ${claim.criteriaSet}`;
}

/** The order `order by criteria_set, criterion, as_of, statement_id` gave. */
function byCriterionOrder(a: CriterionClaim, b: CriterionClaim): number {
  return (
    compareNullsFirst(a.criteriaSet, b.criteriaSet) ||
    a.criterion - b.criterion ||
    compareNullsFirst(a.asOf, b.asOf) ||
    compareNullsFirst(a.statementId, b.statementId)
  );
}

/**
 * Read side of `ntm status`: the gazetteer's units by name, and each commune's claims from the
 * status views (db/migrations/0003_status_views.sql), the standing one marked.
 */
export class StatusQueries {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly db: Database) {}

  /**
   * Units of a level whose current or former name folds to `folded`: their codes looked up by name
   * first (with an `or`, or with the index on level, every unit of the level was read).
   */
  unitsNamed(level: 1 | 2 | 3, folded: string): UnitRow[] {
    return this.prepared(`select distinct ${UNIT_COLUMNS} from admin_units u ${UNIT_JOINS}
        where +u.level = ? and u.code in (select code from admin_units where level = ? and folded_name = ?
          union select code from admin_unit_versions where level = ? and folded_name = ?)
        order by u.code`).all(level, level, folded, level, folded) as UnitRow[];
  }

  unit(code: string): UnitRow | undefined {
    return this.prepared(`select ${UNIT_COLUMNS} from admin_units u ${UNIT_JOINS} where u.code = ?`).get(code) as UnitRow | undefined;
  }

  /** Communes that have claims, optionally only these codes or only under these districts. */
  communesWithClaims(filter: { communes?: string[]; districts?: string[] }): UnitRow[] {
    const conditions: string[] = [];
    const parameters: string[] = [];
    if (filter.communes) {
      conditions.push(`u.code in (${filter.communes.map(() => '?').join(', ') || 'null'})`);
      parameters.push(...filter.communes);
    }
    if (filter.districts) {
      conditions.push(`u.district_code in (${filter.districts.map(() => '?').join(', ') || 'null'})`);
      parameters.push(...filter.districts);
    }
    return this.prepared(`select ${UNIT_COLUMNS} from admin_units u ${UNIT_JOINS}
        where (exists (select 1 from statements s where s.commune_code = u.code and s.unit_system = 'three_level')
               or u.code in (select json_extract(payload, '$.commune.code') from corrections where action = 'add'))
        ${conditions.length > 0 ? `and ${conditions.join(' and ')}` : ''}
        order by p.code, d.code, u.code`).all(...parameters) as UnitRow[];
  }

  /** The units directly under a unit (the communes of a district), one row each. */
  childrenOf(code: string): UnitRow[] {
    return this.prepared(`select ${UNIT_COLUMNS} from admin_units u ${UNIT_JOINS} where u.parent_code = ? order by u.name`).all(code) as UnitRow[];
  }

  /** A commune's count claims; `system` says which gazetteer the code is from (codes were reused on 1 July 2025). */
  countClaims(communeCode: string, system: UnitSystemName = 'three_level'): CountClaim[] {
    // Read as arrays: a commune has a few thousand claims, and objects built by column name (or spread) cost more than these literals.
    const rows = this.prepared(COUNT_CLAIMS).raw().all(communeCode, system) as unknown[][];
    return this.withTableRows(
      rows.map((row) =>
        Object.assign(claimOf(row, row[15] === 1), {
          met: row[16] as number | null,
          total: row[17] as number | null,
          indicatorsMet: row[18] as number | null,
          indicatorsTotal: row[19] as number | null,
          communeGroup: row[20] as number | null,
        }),
      ),
    );
  }

  /** A commune's claims about single criteria, ordered by set, criterion, date and statement, the standing ones marked. */
  criterionClaims(communeCode: string, system: UnitSystemName = 'three_level'): CriterionClaim[] {
    const rows = this.prepared(CRITERION_CLAIMS).raw().all(communeCode, system) as unknown[][];
    const ranked: RankedClaim[] = [];
    for (const row of rows) {
      const status = row[15] as string;
      const confidence = row[16] as number;
      for (const criterion of JSON.parse(row[17] as string) as number[]) {
        const claim: CriterionClaim = Object.assign(claimOf(row, false), { criterion, status });
        ranked.push({ claim, rejected: claim.rejected, authority: claim.authority, asOf: claim.asOf, confidence, statementId: claim.statementId });
      }
    }
    for (const { claim } of standingClaims(ranked, criterionOfSet)) claim.standing = true;
    return this.withTableRows(ranked.map(({ claim }) => claim).sort(byCriterionOrder));
  }

  /** Sets each claim's table row: the row its statement's first citation was read from (null for prose). */
  private withTableRows<T extends ClaimBase>(claims: T[]): T[] {
    const ids = new Set<number>();
    for (const claim of claims) if (claim.statementId !== null) ids.add(claim.statementId);
    if (ids.size === 0) return claims;
    const rows = this.prepared(
      'select statement_id, table_row from citations where statement_id in (select value from json_each(?)) and ordinal = 0 and table_row is not null',
    )
      .raw()
      .all(JSON.stringify([...ids])) as Array<[number, number]>;
    if (rows.length === 0) return claims;
    const tableRows = new Map(rows);
    for (const claim of claims) if (claim.statementId !== null) claim.tableRow = tableRows.get(claim.statementId) ?? null;
    return claims;
  }

  /** Each query prepared once per instance: `ntm status` runs the same few for every commune it shows. */
  private prepared(sql: string): BetterSqlite3.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.$client.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Communes of the units of 1 July 2025 whose name folds to `folded`. */
  units2025Named(folded: string): Unit2025Row[] {
    return this.prepared(`select ${UNIT_2025_COLUMNS} from admin_units_2025 u left join admin_units_2025 p on p.code = u.parent_code
        where u.level = 3 and u.folded_name = ? order by u.code`).all(folded) as Unit2025Row[];
  }

  /** New communes (units of 1 July 2025) that have claims of their own, optionally only these codes. */
  communes2025WithClaims(codes?: string[]): Unit2025Row[] {
    return this.prepared(`select ${UNIT_2025_COLUMNS} from admin_units_2025 u left join admin_units_2025 p on p.code = u.parent_code
        where exists (select 1 from statements s where s.commune_code = u.code and s.unit_system = 'two_level_2025')
        ${codes ? `and u.code in (select value from json_each(?))` : ''}
        order by p.code, u.name`).all(...(codes ? [JSON.stringify(codes)] : [])) as Unit2025Row[];
  }

  /** The communes of a province of 1 July 2025 (no districts since), by name. */
  communes2025Of(provinceCode: string): Unit2025Row[] {
    return this.prepared(`select ${UNIT_2025_COLUMNS} from admin_units_2025 u left join admin_units_2025 p on p.code = u.parent_code
        where u.level = 3 and u.parent_code = ? order by u.name, u.code`).all(provinceCode) as Unit2025Row[];
  }

  unit2025(code: string): Unit2025Row | undefined {
    return this.prepared(`select ${UNIT_2025_COLUMNS} from admin_units_2025 u left join admin_units_2025 p on p.code = u.parent_code where u.code = ?`).get(
      code,
    ) as Unit2025Row | undefined;
  }

  /** The pre-reform communes a new commune was formed from, by the old→new mapping (never by code). */
  predecessorsOf(newCode: string): PredecessorRow[] {
    const rows = this.prepared(
      `select m.new_code as newCode, m.merge_type as mergeType, m.old_code as oldCode from admin_unit_successions m where m.new_code = ? order by m.old_code`,
    ).all(newCode) as Array<{ newCode: string; mergeType: 'full' | 'partial'; oldCode: string }>;
    return rows.flatMap((row) => {
      const unit = this.unit(row.oldCode);
      return unit
        ? [{ newCode: row.newCode, mergeType: row.mergeType, unit, otherSuccessors: this.successorsOf(row.oldCode).filter((other) => other.code !== newCode) }]
        : [];
    });
  }

  /** The new communes a pre-reform commune went into, with how. */
  successorsOf(oldCode: string): Array<{ code: string; fullName: string; mergeType: 'full' | 'partial'; provinceCode: string }> {
    return this.prepared(
      `select new_code as code, new_full_name as fullName, merge_type as mergeType, new_province_code as provinceCode from admin_unit_successions where old_code = ? order by new_code`,
    ).all(oldCode) as Array<{ code: string; fullName: string; mergeType: 'full' | 'partial'; provinceCode: string }>;
  }

  /** Flags that involve any of the statements given. */
  flagsFor(statementIds: number[]): FlagRow[] {
    if (statementIds.length === 0) return [];
    const rows = this.prepared(`select distinct f.id as id, f.type as type, f.message as message, f.statement_ids as statementIds
        from flag_statements involved join flags f on f.id = involved.flag_id
        where involved.statement_id in (select value from json_each(?))
        order by f.id`).all(JSON.stringify(statementIds)) as Array<{ id: number; type: string; message: string; statementIds: string }>;
    return rows.map((row) => ({ ...row, statementIds: JSON.parse(row.statementIds) as number[] }));
  }
}
