import { compareNullsFirst, standingClaims, type RankKeys } from './claim-ranking.js';
import type { Database } from './client.js';

/** Districts or provinces (gazetteer codes) whose communes a report or coverage covers. */
export interface Area {
  districtCodes?: string[];
  provinceCodes?: string[];
}

export interface CommuneUnit {
  code: string;
  name: string;
  districtCode: string | null;
  provinceCode: string | null;
}

/** The count that stands for one commune, level and criteria set, with its source. */
export interface StandingCount {
  statementId: number | null;
  communeCode: string;
  communeName: string | null;
  districtCode: string | null;
  provinceCode: string | null;
  level: string | null;
  criteriaSet: string | null;
  met: number | null;
  total: number | null;
  asOf: string | null;
  source: string;
  fileName: string | null;
  page: number | null;
  /** The table row the count was read from (its number in the table on that page); null for prose. */
  tableRow: number | null;
}

/** The status that stands for one criterion of a commune under a criteria set. */
export interface StandingCriterion {
  statementId: number | null;
  communeCode: string;
  districtCode: string | null;
  provinceCode: string | null;
  criteriaSet: string | null;
  criterion: number;
  status: string;
  asOf: string | null;
  fileName: string | null;
  page: number | null;
  tableRow: number | null;
}

/**
 * The last day a claim's as-of date can mean: a claim "as of 2024-09" (a report "đến tháng 9/2024")
 * speaks for the end of September, so it is not yet standing on 2024-09-15.
 */
const PERIOD_END = `CASE length(claims.as_of)
  WHEN 4 THEN claims.as_of || '-12-31'
  WHEN 7 THEN date(claims.as_of || '-01', '+1 month', '-1 day')
  ELSE claims.as_of END`;

/** The row of the claim's first citation: the views give its page, the citations table its row. */
export const TABLE_ROW_COLUMN = `(select c.table_row from citations c where c.statement_id = standing.statement_id and c.ordinal = 0) as tableRow`;

const COUNT_COLUMNS = `statement_id as statementId, commune_code as communeCode, commune_name as communeName,
  district_code as districtCode, province_code as provinceCode, level, criteria_set as criteriaSet, met, total,
  as_of as asOf, source, file_name as fileName, page_no as page, ${TABLE_ROW_COLUMN}`;
const CRITERION_COLUMNS = `statement_id as statementId, commune_code as communeCode, district_code as districtCode,
  province_code as provinceCode, criteria_set as criteriaSet, criterion, status, as_of as asOf, file_name as fileName, page_no as page, ${TABLE_ROW_COLUMN}`;

/**
 * Each criteria list of the area's communes (the `communes` condition) in v_criterion_claims, its
 * criteria as an array, with what v_criterion_history adds to it (unit system, district,
 * province: joined once per list, not per criterion) and its first citation's table row. Its
 * columns, by position: statement, file, page, commune, set, status, as-of, authority,
 * rejected, confidence, criteria, unit system, district, province, table row.
 */
function listsWithUnits(communes: string): string {
  return `select lists.*, coalesce(st.unit_system, 'three_level') as unit_system,
      case when coalesce(st.unit_system, 'three_level') = 'two_level_2025' then null else u.district_code end as district_code,
      case when coalesce(st.unit_system, 'three_level') = 'two_level_2025' then u2.parent_code else u.province_code end as province_code,
      (select c.table_row from citations c where c.statement_id = lists.statement_id and c.ordinal = 0) as table_row
    from (select statement_id, file_name, page_no, commune_code, criteria_set, status, as_of, authority, rejected, confidence,
        json_group_array(criterion) as criteria
      from v_criterion_claims where ${communes} group by statement_id) lists
    left join statements st on st.id = lists.statement_id
    left join admin_units u on u.code = lists.commune_code
    left join admin_units_2025 u2 on u2.code = lists.commune_code`;
}

/**
 * The claims that stand, for an area, now (the status views of db/migrations/0003_status_views.sql)
 * or on a past date: then the claims dated up to that day are ranked again with the views' own
 * order (authority, newer as-of, confidence, later statement); undated claims are left out.
 */
export class StandingClaimsQueries {
  constructor(private readonly db: Database) {}

  counts(area: Area, asOf?: string): StandingCount[] {
    const [where, parameters] = areaCondition(area);
    const [communes, communeParameters] = this.areaCommunes(area);
    const sql = asOf
      ? `select ${COUNT_COLUMNS} from (${ranked('v_commune_count_claims', 'claims.commune_code, claims.level, claims.criteria_set', communes)}) standing where position = 1 and rejected = 0 and ${where}`
      : `select ${COUNT_COLUMNS} from v_commune_count_status standing where ${communes} and ${where}`;
    return this.db.$client
      .prepare(`${sql} order by commune_code, level, criteria_set`)
      .all(...(asOf ? [asOf] : []), ...communeParameters, ...parameters) as StandingCount[];
  }

  criteria(area: Area, asOf?: string): StandingCriterion[] {
    const [where, parameters] = areaCondition(area);
    const [communes, communeParameters] = this.areaCommunes(area);
    if (!asOf) return this.criteriaNow(communes, where, [...communeParameters, ...parameters]);
    const sql = `select ${CRITERION_COLUMNS} from (${ranked('v_criterion_claims', 'claims.commune_code, claims.criteria_set, claims.criterion', communes)}) standing where position = 1 and rejected = 0 and ${where}`;
    return this.db.$client
      .prepare(`${sql} order by commune_code, criteria_set, criterion`)
      .all(asOf, ...communeParameters, ...parameters) as StandingCriterion[];
  }

  /**
   * The rows of v_criterion_status for the area, ranked here: one row per criteria list, expanded
   * and ranked with the window's order and partition (unit system, commune, set, criterion). The
   * view's window ranks each criterion row with its quote: the largest district's 107,590 rows
   * took 1.4 s of its report's 1.65 s, which takes 0.9 s this way.
   */
  private criteriaNow(communes: string, where: string, parameters: string[]): StandingCriterion[] {
    const rows = this.db.$client
      .prepare(`select * from (${listsWithUnits(communes)}) where ${where}`)
      .raw()
      .all(...parameters) as unknown[][];
    const ranked: Array<RankKeys & { standing: StandingCriterion; system: string }> = [];
    for (const row of rows) {
      for (const criterion of JSON.parse(row[10] as string) as number[]) {
        const standing: StandingCriterion = {
          statementId: row[0] as number,
          communeCode: row[3] as string,
          districtCode: row[12] as string | null,
          provinceCode: row[13] as string | null,
          criteriaSet: row[4] as string | null,
          criterion,
          status: row[5] as string,
          asOf: row[6] as string | null,
          fileName: row[1] as string | null,
          page: row[2] as number | null,
          tableRow: row[14] as number | null,
        };
        ranked.push({
          standing,
          system: row[11] as string,
          rejected: row[8] === 1,
          authority: row[7] as number,
          asOf: standing.asOf,
          confidence: row[9] as number,
          statementId: standing.statementId,
        });
      }
    }
    // The window's partition; codes and systems hold no space, and no set is named by a NUL.
    const partition = ({ system, standing }: (typeof ranked)[number]) =>
      `${system} ${standing.communeCode} ${standing.criterion} ${standing.criteriaSet ?? '\0'}`;
    return standingClaims(ranked, partition)
      .map((claim) => claim.standing)
      .sort(byCommuneSetCriterion);
  }

  /**
   * The xã of the area that exist on `onDate` (NTM applies to xã, not to phường or thị trấn): a
   * commune merged away in 2020 is not missing a figure in 2024, and was there in 2019.
   */
  communes(area: Area, onDate: string): CommuneUnit[] {
    const [where, parameters] = areaCondition(area);
    return this.db.$client
      .prepare(`select code, name, district_code as districtCode, province_code as provinceCode from admin_units
        where level = 3 and type = 'xã' and coalesce(valid_from, '') <= ? and (valid_to is null or valid_to > ?) and ${where}
        order by district_code, name`)
      .all(onDate, onDate, ...parameters) as CommuneUnit[];
  }

  /** Flag types on these statements, per statement id. */
  flagTypes(statementIds: number[]): Map<number, string[]> {
    const byStatement = new Map<number, string[]>();
    if (statementIds.length === 0) return byStatement;
    const rows = this.db.$client
      .prepare(`select distinct involved.statement_id as statementId, f.type as type from flag_statements involved join flags f on f.id = involved.flag_id
        where involved.statement_id in (select value from json_each(?)) order by f.type`)
      .all(JSON.stringify(statementIds)) as Array<{ statementId: number; type: string }>;
    for (const row of rows) byStatement.set(row.statementId, [...(byStatement.get(row.statementId) ?? []), row.type]);
    return byStatement;
  }

  /**
   * The area as a list of commune codes (the gazetteer's communes of its districts or provinces):
   * the views rank claims per commune, so SQLite takes `commune_code in (…)` down to
   * statements.commune_code and its index, where a condition on the district (worked out from
   * the gazetteer after the ranking) made it rank every claim in the database first. Written out
   * as values: SQLite does not push a condition holding a subquery. The area condition still
   * applies after it: a post-reform code equal to one of these is not in the area.
   */
  private areaCommunes(area: Area): [string, string[]] {
    if (!area.districtCodes && !area.provinceCodes) return ['commune_code is not null', []];
    const [where, parameters] = areaCondition(area);
    const codes = this.db.$client
      .prepare(`select code from admin_units where level = 3 and ${where}`)
      .pluck()
      .all(...parameters) as string[];
    return [`commune_code in (${codes.map(() => '?').join(', ') || 'null'})`, codes];
  }
}

/** The claims of a view dated up to the bound (the first parameter), ranked as the history views rank them. */
function ranked(view: string, partition: string, communes: string): string {
  return `select claims.*, u.district_code as district_code, u.province_code as province_code,
      row_number() over (partition by ${partition}
        order by claims.rejected asc, claims.authority desc, claims.as_of desc, claims.confidence desc, claims.statement_id desc) as position
    from ${view} claims left join admin_units u on u.code = claims.commune_code
    where claims.commune_code is not null and claims.as_of is not null and ${PERIOD_END} <= ? and claims.${communes}`;
}

/** `order by commune_code, criteria_set, criterion` (and the statement, for a criterion standing under two unit systems). */
function byCommuneSetCriterion(a: StandingCriterion, b: StandingCriterion): number {
  return (
    compareNullsFirst(a.communeCode, b.communeCode) ||
    compareNullsFirst(a.criteriaSet, b.criteriaSet) ||
    a.criterion - b.criterion ||
    compareNullsFirst(a.statementId, b.statementId)
  );
}

function areaCondition(area: Area): [string, string[]] {
  const conditions: string[] = [];
  const parameters: string[] = [];
  if (area.districtCodes) {
    conditions.push(`district_code in (${area.districtCodes.map(() => '?').join(', ') || 'null'})`);
    parameters.push(...area.districtCodes);
  }
  if (area.provinceCodes) {
    conditions.push(`province_code in (${area.provinceCodes.map(() => '?').join(', ') || 'null'})`);
    parameters.push(...area.provinceCodes);
  }
  return [conditions.length > 0 ? conditions.join(' and ') : '1 = 1', parameters];
}
