/**
 * The readers on a generated programme (test/bench/scale-database.ts, a few districts over three
 * years, with reviewers' corrections): the streamed export gives the same bytes as the export
 * built in memory, the claim views rewritten for their indexes (migration 0008) give the same rows
 * as their first definitions, and the key queries are planned on indexes, never a scan of
 * statements. No timing: the speed is `npm run bench:scale`'s.
 */
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CorrectionRepository } from '../db/correction.repository.js';
import { TABLE_ROW_COLUMN } from '../db/standing-claims.queries.js';
import { closeDatabase, DocumentRepository, openDatabase, StandingClaimsQueries, StatementQueries, StatusQueries, type Database } from '../db/index.js';
import { extractStatements, RULES_VERSION } from '../extractors/extract-statements.js';
import { projectPath } from '../extractors/util/project-root.js';
import { renderStatus } from '../src/cli/status.command.js';
import { streamExport } from '../src/report/export-stream.js';
import { exportRecords, formatExport } from '../src/report/export-writer.js';
import { buildStatusTable } from '../src/report/status-table.js';
import { generateScaleDatabase } from './bench/scale-database.js';
import { planOf, recordQueries } from './bench/scale-plans.js';

let folder: string;
let db: Database;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'ntm-scale-test-'));
  const generated = generateScaleDatabase({ folder, scale: 0.01, years: 2 });
  db = openDatabase(generated.path);
  addReviews(db);
}, 120_000);

afterAll(() => {
  closeDatabase(db);
  rmSync(folder, { recursive: true, force: true });
});

/** Reviewers' actions of every kind, so the corrected arms of the views and the export's reviews are exercised. */
function addReviews(database: Database): void {
  const client = database.$client;
  const corrections = new CorrectionRepository(database);
  const pick = (kind: string, offset: number) =>
    client
      .prepare(
        'select d.sha256, s.fingerprint, s.commune_code as communeCode, s.payload from statements s join documents d on d.id = s.document_id where s.kind = ? and s.commune_code is not null order by s.id limit 1 offset ?',
      )
      .get(kind, offset) as { sha256: string; fingerprint: string; communeCode: string; payload: string };
  const other = client.prepare('select commune_code from statements where commune_code is not null order by id desc limit 1').pluck().get() as string;
  const base = { reviewer: 'tester', note: null };
  const count = pick('commune_count', 3);
  corrections.append({ ...base, documentSha256: count.sha256, statementFingerprint: count.fingerprint, action: 'replace', payload: { met: 19, total: 19 } });
  const rejected = pick('commune_count', 40);
  corrections.append({ ...base, documentSha256: rejected.sha256, statementFingerprint: rejected.fingerprint, action: 'reject', payload: null });
  // A count a reviewer moved to another commune: it leaves the first commune's claims for the other's.
  const moved = pick('commune_count', 80);
  corrections.append({
    ...base,
    documentSha256: moved.sha256,
    statementFingerprint: moved.fingerprint,
    action: 'replace',
    payload: { commune: { name: 'moved', code: other }, met: 12, total: 19 },
  });
  const list = pick('criteria_list', 5);
  corrections.append({ ...base, documentSha256: list.sha256, statementFingerprint: list.fingerprint, action: 'replace', payload: { criteria: [1, 2, 3] } });
  const movedList = pick('criteria_list', 60);
  corrections.append({
    ...base,
    documentSha256: movedList.sha256,
    statementFingerprint: movedList.fingerprint,
    action: 'replace',
    payload: { commune: { name: 'moved', code: other } },
  });
  corrections.append({
    ...base,
    documentSha256: count.sha256,
    statementFingerprint: null,
    action: 'add',
    payload: {
      kind: 'commune_count',
      commune: { name: 'added', code: other },
      level: 'ntm',
      criteriaSet: 'ntm_2010_2015',
      asOf: '2013-12-31',
      met: 9,
      total: 19,
    },
  });
}

async function streamed(format: 'jsonl' | 'csv', bom = false): Promise<string> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  await streamExport(new StatementQueries(db), format, output, { bom });
  output.end();
  return Buffer.concat(chunks).toString('utf8');
}

describe('the streamed export', () => {
  it('reads the same records as the in-memory queries, in the same order, whatever the batch size', () => {
    const queries = new StatementQueries(db);
    const statements = queries.statements();
    expect(statements.length).toBeGreaterThan(5_000);
    expect(statements.some((statement) => statement.review !== null)).toBe(true);
    expect(statements.some((statement) => statement.flags.length > 0)).toBe(true);
    expect([...queries.eachStatement(7)]).toEqual(statements);
    const flags = queries.flags();
    expect(flags.some((flag) => flag.scope === 'cross_document' && flag.evidence.some((citation) => citation.documentId !== undefined))).toBe(true);
    expect([...queries.eachFlag(7)]).toEqual(flags);
  });

  it('writes the same bytes as the export built in memory, as JSONL and as CSV with and without a byte-order mark', async () => {
    const records = exportRecords(new StatementQueries(db));
    expect(await streamed('jsonl')).toBe(formatExport(records, 'jsonl'));
    expect(await streamed('csv')).toBe(formatExport(records, 'csv'));
    expect(await streamed('csv', true)).toBe(formatExport(records, 'csv', { bom: true }));
  });

  it('cites every statement exactly: the stored page text at [start, end) is the quote', () => {
    const queries = new StatementQueries(db);
    const sample = [...queries.eachStatement()].filter((_statement, index) => index % 97 === 0);
    const texts = queries.pageTexts([...new Set(sample.map((statement) => statement.document.id))]);
    for (const statement of sample) {
      const citation = statement.citations[0];
      expect(citation).toBeDefined();
      if (citation) expect(texts.get(`${statement.document.id}:${citation.page}`)?.slice(citation.start, citation.end)).toBe(citation.quote);
    }
  });
});

describe('the claim views of migration 0008', () => {
  /** A view as migration 0003 first defined it, as a temporary view under another name. */
  function firstDefinition(view: string): string {
    const sql = readFileSync(projectPath('db', 'migrations', '0003_status_views.sql'), 'utf8');
    const start = sql.indexOf(`CREATE VIEW \`${view}\``);
    const end = sql.indexOf('--> statement-breakpoint', start);
    const name = `first_${view}`;
    db.$client.exec(`drop view if exists temp.${name}`);
    db.$client.exec(sql.slice(start, end).replace(`CREATE VIEW \`${view}\``, `CREATE TEMP VIEW ${name}`));
    return name;
  }

  it('give the same rows as their first definitions, corrections, rejections, moves and additions included', () => {
    for (const view of ['v_commune_count_claims', 'v_criterion_claims']) {
      const first = firstDefinition(view);
      const order = 'order by statement_id, correction_id, commune_code, criteria_set, as_of';
      const now = db.$client.prepare(`select * from ${view} ${order}${view === 'v_criterion_claims' ? ', criterion' : ''}`).all();
      const before = db.$client.prepare(`select * from ${first} ${order}${view === 'v_criterion_claims' ? ', criterion' : ''}`).all();
      expect(now.length).toBeGreaterThan(1_000);
      expect(now).toEqual(before);
    }
    // The moved count counts for the other commune, and no longer for its own.
    const moved = db.$client.prepare("select count(*) from v_commune_count_claims where commune_name = 'moved'").pluck().get();
    expect(moved).toBe(1);
  });

  it('keep flag_statements equal to the flags’ statement lists through inserts and deletes', () => {
    const pairs = () =>
      db.$client
        .prepare('select f.id, involved.value from flags f, json_each(f.statement_ids) involved order by 1, 2')
        .raw()
        .all()
        .map((row) => (row as number[]).join(':'));
    const mirrored = () =>
      db.$client
        .prepare('select flag_id, statement_id from flag_statements order by 1, 2')
        .raw()
        .all()
        .map((row) => (row as number[]).join(':'));
    expect(pairs().length).toBeGreaterThan(10);
    expect(mirrored()).toEqual(pairs());
    const documentId = db.$client.prepare("select document_id from flags where scope = 'cross_document' limit 1").pluck().get() as number;
    const repository = new DocumentRepository(db);
    repository.saveExtraction(documentId, {
      fileKind: 'pdf',
      mime: 'application/pdf',
      extraction: extractStatements(repository.loadPages(documentId)),
      rulesVersion: RULES_VERSION,
    });
    expect(mirrored()).toEqual(pairs());
  });
});

/**
 * Claims the ranking tells apart only by its last keys: two lists of one commune in a set of
 * their own, equal in authority and date, the earlier statement the more confident (so
 * confidence, not the statement's id, decides) beside a rejected one of higher authority (a
 * rejected claim ranks last), and a list in a set of its own that a reviewer rejected (no claim
 * stands for its criteria).
 */
function addRankingTies(database: Database): void {
  const client = database.$client;
  const lists = client
    .prepare(
      `select s.id, d.sha256, s.fingerprint from statements s join documents d on d.id = s.document_id where s.kind = 'criteria_list'
        and s.commune_code = (select commune_code from statements where kind = 'criteria_list' and commune_code is not null order by id limit 1) order by s.id limit 4`,
    )
    .all() as Array<{ id: number; sha256: string; fingerprint: string }>;
  const [earlier, later, outranking, alone] = lists;
  if (!earlier || !later || !outranking || !alone) throw new Error('the generated database has fewer than four criteria lists for one commune');
  const setClaim = client.prepare(
    "update statements set criteria_set = ?, as_of = '2012-06-30', assessment = ?, confidence = ?, payload = json_set(payload, '$.criteria', json('[4, 5]')) where id = ?",
  );
  setClaim.run('tie_set', 'reported', 0.9, earlier.id);
  setClaim.run('tie_set', 'reported', 0.7, later.id);
  setClaim.run('tie_set', 'recognized', 0.9, outranking.id);
  setClaim.run('rejected_set', 'reported', 0.9, alone.id);
  const corrections = new CorrectionRepository(database);
  for (const rejected of [outranking, alone]) {
    corrections.append({
      reviewer: 'tester',
      note: null,
      documentSha256: rejected.sha256,
      statementFingerprint: rejected.fingerprint,
      action: 'reject',
      payload: null,
    });
  }
  const standing = client.prepare('select statement_id from v_criterion_status where criteria_set = ? and criterion = 4').pluck();
  expect(standing.all('tie_set')).toEqual([earlier.id]);
  expect(standing.all('rejected_set')).toEqual([]);
}

describe("a commune's criterion claims", () => {
  it('are the rows of v_criterion_history, one per criterion, in set, criterion, date and statement order, corrections included', () => {
    addRankingTies(db);
    const queries = new StatusQueries(db);
    const byRow = db.$client.prepare(`select statement_id, document_id, file_name, page_no, quote, commune_code, commune_name, level, criteria_set, as_of,
        assessment, source, authority, rejected, standing, criterion, status
      from v_criterion_history where commune_code = ? and unit_system = 'three_level' order by criteria_set, criterion, as_of, statement_id`);
    const communes = db.$client
      .prepare('select distinct commune_code from v_criterion_claims where commune_code is not null order by 1')
      .pluck()
      .all() as string[];
    expect(communes.length).toBeGreaterThan(20);
    let rows = 0;
    for (const code of communes) {
      const expected = (byRow.raw().all(code) as unknown[][]).map((row) => [...row.slice(0, 14), row[14] === 1, row[15], row[16]]);
      const claims = queries
        .criterionClaims(code)
        .map((claim) => [
          claim.statementId,
          claim.documentId,
          claim.fileName,
          claim.page,
          claim.quote,
          claim.communeCode,
          claim.communeName,
          claim.level,
          claim.criteriaSet,
          claim.asOf,
          claim.assessment,
          claim.source,
          claim.authority,
          claim.rejected ? 1 : 0,
          claim.standing,
          claim.criterion,
          claim.status,
        ]);
      expect(claims, code).toEqual(expected);
      rows += claims.length;
    }
    expect(rows).toBeGreaterThan(1_000);
    // The corrected list (criteria 1, 2, 3) and the list moved to another commune are among them.
    expect(db.$client.prepare("select count(*) from v_criterion_history where commune_name = 'moved'").pluck().get()).toBeGreaterThan(0);
  });
});

describe('the criteria that stand in an area', () => {
  it('are the rows of v_criterion_status for its communes, corrections, rejections and ties included', () => {
    if (!db.$client.prepare("select 1 from statements where criteria_set = 'tie_set'").get()) addRankingTies(db);
    const claims = new StandingClaimsQueries(db);
    const fromView = (column: 'district_code' | 'province_code', code: string) =>
      db.$client
        .prepare(`select statement_id as statementId, commune_code as communeCode, district_code as districtCode, province_code as provinceCode,
            criteria_set as criteriaSet, criterion, status, as_of as asOf, file_name as fileName, page_no as page, ${TABLE_ROW_COLUMN}
          from v_criterion_status standing where commune_code in (select code from admin_units where level = 3 and ${column} = ?) and ${column} = ?
          order by commune_code, criteria_set, criterion, statement_id`)
        .all(code, code);
    const districts = db.$client
      .prepare('select distinct district_code from v_criterion_status where district_code is not null order by 1')
      .pluck()
      .all() as string[];
    expect(districts.length).toBeGreaterThan(2);
    let rows = 0;
    for (const district of districts) {
      const expected = fromView('district_code', district);
      expect(claims.criteria({ districtCodes: [district] }), district).toEqual(expected);
      rows += expected.length;
    }
    expect(rows).toBeGreaterThan(1_000);
    const province = db.$client.prepare('select province_code from v_criterion_status where province_code is not null limit 1').pluck().get() as string;
    expect(claims.criteria({ provinceCodes: [province] })).toEqual(fromView('province_code', province));
    // The ties are among them: confidence decided one set, a rejection left the other without a claim.
    const standingIn = (set: string) => claims.criteria({ districtCodes: districts }).filter((claim) => claim.criteriaSet === set);
    expect(standingIn('tie_set').length).toBeGreaterThan(0);
    expect(standingIn('rejected_set')).toEqual([]);
  });
});

describe('query plans', () => {
  it('would see a scan of statements (the check can fail)', () => {
    const [plan] = planOf(db.$client, [{ sql: 'select * from statements s where s.rule = ?', parameters: ['x'] }]);
    expect(plan?.fullScans).toEqual(['SCAN s']);
  });

  it('status, district report (now and on a past day), re-persist and export read through indexes, never a scan of a large table', async () => {
    const client = db.$client;
    const commune = client
      .prepare('select u.name from admin_units u where u.code = (select commune_code from statements where commune_code is not null limit 1)')
      .pluck()
      .get() as string;
    const districtCode = client.prepare("select district_code from statements where kind = 'district_aggregate' limit 1").pluck().get() as string;
    const units = new StatusQueries(db);
    const district = units.unit(districtCode);
    expect(district).toBeDefined();
    const claims = new StandingClaimsQueries(db);
    const documentId = client.prepare("select document_id from flags where scope = 'cross_document' limit 1 offset 1").pluck().get() as number;
    const repository = new DocumentRepository(db);
    const extraction = extractStatements(repository.loadPages(documentId));
    const [, queries] = recordQueries(db, () => {
      expect(renderStatus(units, { commune }).found).toBe(true);
      if (district) {
        buildStatusTable(claims, units, [district], district.name);
        buildStatusTable(claims, units, [district], district.name, '2012-12-31');
      }
      repository.saveExtraction(documentId, { fileKind: 'pdf', mime: 'application/pdf', extraction, rulesVersion: RULES_VERSION });
      const queriesOf = new StatementQueries(db);
      for (const _statement of queriesOf.eachStatement(50)) break;
      for (const _flag of queriesOf.eachFlag(50)) break;
    });
    const plans = planOf(client, queries);
    const touching = plans.filter((plan) => /\b(statements|v_\w+|citations|flags|flag_statements)\b/.test(plan.sql) && !/^\s*insert/i.test(plan.sql));
    expect(touching.length).toBeGreaterThan(15);
    for (const plan of touching) {
      expect({ sql: plan.sql, scans: plan.fullScans }).toEqual({ sql: plan.sql, scans: [] });
      expect({ sql: plan.sql, indexed: plan.usesIndex }).toEqual({ sql: plan.sql, indexed: true });
    }
    // The status views of one commune start from that commune's statements of the kind they read.
    const viewPlan = plans.find((plan) => plan.sql.includes('from v_commune_count_history'));
    expect(viewPlan?.details.join('\n')).toMatch(/SEARCH s USING INDEX statements_commune_kind \(commune_code=\? AND kind=\?\)/);
  });
});
