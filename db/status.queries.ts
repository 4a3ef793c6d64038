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
const UNIT_JOINS = `
  left join admin_units d on d.code = u.district_code and u.level = 3
  left join admin_units p on p.code = u.province_code`;

/**
 * Read side of `ntm status`: the gazetteer's units by name, and each commune's claims from the
 * status views (db/migrations/0003_status_views.sql), the standing one marked.
 */
/** Columns every claim history view shares: where the claim comes from and whether it stands. */
const CLAIM_COLUMNS = `statement_id as statementId, document_id as documentId, file_name as fileName, page_no as page, quote,
  commune_code as communeCode, commune_name as communeName, level, criteria_set as criteriaSet, as_of as asOf,
  assessment, source, authority, rejected, standing`;

export class StatusQueries {
  constructor(private readonly db: Database) {}

  /** Units of a level whose current or former name folds to `folded`. */
  unitsNamed(level: 1 | 2 | 3, folded: string): UnitRow[] {
    return this.db.$client
      .prepare(`select distinct ${UNIT_COLUMNS} from admin_units u ${UNIT_JOINS}
        where u.level = ? and (u.folded_name = ? or u.code in (select code from admin_unit_versions where level = ? and folded_name = ?))
        order by u.code`)
      .all(level, folded, level, folded) as UnitRow[];
  }

  unit(code: string): UnitRow | undefined {
    return this.db.$client.prepare(`select ${UNIT_COLUMNS} from admin_units u ${UNIT_JOINS} where u.code = ?`).get(code) as UnitRow | undefined;
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
    return this.db.$client
      .prepare(`select ${UNIT_COLUMNS} from admin_units u ${UNIT_JOINS}
        where u.code in (select commune_code from statements where commune_code is not null
                         union select json_extract(payload, '$.commune.code') from corrections where action = 'add')
        ${conditions.length > 0 ? `and ${conditions.join(' and ')}` : ''}
        order by p.code, d.code, u.code`)
      .all(...parameters) as UnitRow[];
  }

  /** The units directly under a unit (the communes of a district), one row each. */
  childrenOf(code: string): UnitRow[] {
    return this.db.$client.prepare(`select ${UNIT_COLUMNS} from admin_units u ${UNIT_JOINS} where u.parent_code = ? order by u.name`).all(code) as UnitRow[];
  }

  countClaims(communeCode: string): CountClaim[] {
    return (this.db.$client
      .prepare(`select ${CLAIM_COLUMNS}, met, total
        from v_commune_count_history where commune_code = ?
        order by level, criteria_set, as_of, authority desc, statement_id`)
      .all(communeCode) as Array<Omit<CountClaim, 'rejected' | 'standing'> & { rejected: number; standing: number }>)
      .map((row) => ({ ...row, rejected: Boolean(row.rejected), standing: Boolean(row.standing) }));
  }

  criterionClaims(communeCode: string): CriterionClaim[] {
    return (this.db.$client
      .prepare(`select ${CLAIM_COLUMNS}, criterion, status
        from v_criterion_history where commune_code = ?
        order by criteria_set, criterion, as_of, statement_id`)
      .all(communeCode) as Array<Omit<CriterionClaim, 'rejected' | 'standing'> & { rejected: number; standing: number }>)
      .map((row) => ({ ...row, rejected: Boolean(row.rejected), standing: Boolean(row.standing) }));
  }

  /** Flags that involve any of the statements given. */
  flagsFor(statementIds: number[]): FlagRow[] {
    if (statementIds.length === 0) return [];
    const rows = this.db.$client
      .prepare(`select distinct f.id as id, f.type as type, f.message as message, f.statement_ids as statementIds
        from flags f, json_each(f.statement_ids) involved
        where involved.value in (select value from json_each(?))
        order by f.id`)
      .all(JSON.stringify(statementIds)) as Array<{ id: number; type: string; message: string; statementIds: string }>;
    return rows.map((row) => ({ ...row, statementIds: JSON.parse(row.statementIds) as number[] }));
  }
}
