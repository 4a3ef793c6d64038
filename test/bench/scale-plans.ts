// The query plans of what the readers and the writer run, taken from the real code: its SQL and
// parameters are recorded while it runs, then each statement is planned with EXPLAIN QUERY PLAN.
import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from '../../db/index.js';

export interface RecordedQuery {
  sql: string;
  parameters: unknown[];
}

export interface QueryPlan extends RecordedQuery {
  details: string[];
  /** Plan lines reading a whole large table (statements, citations, pages, flags, documents). */
  fullScans: string[];
  usesIndex: boolean;
}

/**
 * Aliases the project's SQL gives its large tables (s/st statements, d documents, src citations,
 * f flags): a plan line "SCAN s" reads every statement. Small tables (the gazetteer, corrections)
 * and subqueries may be scanned.
 */
const LARGE = /^SCAN (statements|citations|pages|flags|documents|flag_statements|s|st|d|src|f|involved)\b(?!.*USING)/;

/** Runs `run` with every statement prepared on the client recorded with the parameters it ran with. */
export function recordQueries<T>(db: Database, run: () => T): [T, RecordedQuery[]] {
  const client = db.$client;
  const recorded: RecordedQuery[] = [];
  const prepare = client.prepare;
  client.prepare = function (this: BetterSqlite3.Database, sql: string) {
    const statement = prepare.call(this, sql) as BetterSqlite3.Statement;
    for (const method of ['all', 'get', 'run', 'iterate'] as const) {
      const original = statement[method] as (...parameters: unknown[]) => unknown;
      (statement as unknown as Record<string, unknown>)[method] = (...parameters: unknown[]) => {
        recorded.push({ sql, parameters });
        return original.apply(statement, parameters);
      };
    }
    return statement;
  } as typeof client.prepare;
  try {
    return [run(), recorded];
  } finally {
    client.prepare = prepare;
  }
}

/** One plan per distinct SQL text. */
export function planOf(client: BetterSqlite3.Database, queries: RecordedQuery[]): QueryPlan[] {
  const seen = new Map<string, RecordedQuery>();
  for (const query of queries) if (!seen.has(query.sql) && !/^\s*(begin|commit|rollback|savepoint|release|pragma)/i.test(query.sql)) seen.set(query.sql, query);
  return [...seen.values()].map((query) => {
    const details = (client.prepare(`explain query plan ${query.sql}`).all(...(query.parameters as unknown[])) as Array<{ detail: string }>).map(
      (row) => row.detail,
    );
    return {
      ...query,
      details,
      fullScans: details.filter((detail) => LARGE.test(detail)),
      usesIndex: details.some((detail) => /USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY|USING ROWID/.test(detail)),
    };
  });
}

/** The plans of the status views for one commune, as the bench prints them. */
export function keyQueryPlans(client: BetterSqlite3.Database): Array<{ name: string; summary: string }> {
  const code = client.prepare('select commune_code from statements where commune_code is not null limit 1').pluck().get() as string | undefined;
  const views = ['v_commune_count_history', 'v_criterion_history', 'v_commune_count_status', 'v_criterion_status'];
  return views.map((view) => {
    const [plan] = planOf(client, [{ sql: `select * from ${view} where commune_code = ? and unit_system = 'three_level'`, parameters: [code] }]);
    const searches = (plan?.details ?? []).filter((detail) => /^(SEARCH|SCAN)/.test(detail));
    return { name: `${view} for one commune`, summary: `${plan?.fullScans.length ? 'FULL SCAN' : 'indexed'}: ${searches.slice(0, 4).join('; ')}` };
  });
}
