// The readers on the national-scale database, against the targets of issue 14: per-commune status,
// district report, streamed export (rate and peak memory at two sizes), re-persisting a document.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, DocumentRepository, openDatabase, StandingClaimsQueries, StatusQueries, type Database } from '../../db/index.js';
import { extractStatements, RULES_VERSION } from '../../extractors/extract-statements.js';
import { mulberry32 } from '../../fixtures/deterministic-random.js';
import { projectPath } from '../../extractors/util/project-root.js';
import { renderStatus } from '../../src/cli/status.command.js';
import { buildStatusTable } from '../../src/report/status-table.js';
import { statusRows } from '../../src/report/status-table-rows.js';
import { keyQueryPlans } from './scale-plans.js';

interface Figure {
  what: string;
  value: number;
  unit: string;
  target: string;
  pass: boolean;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.95))] ?? Number.NaN;

/**
 * Wall-clock and CPU milliseconds of `run`. On a machine shared with other work the wall clock
 * mostly measures the wait for a core; the CPU time is what the query itself costs.
 */
function timed<T>(run: () => T): [T, number, number] {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = run();
  const used = process.cpuUsage(cpu);
  return [result, performance.now() - start, (used.user + used.system) / 1000];
}

/** Median and p95 of wall and CPU times, as figures against a target in ms. */
function msFigures(what: string, samples: Array<[number, number]>, limit: number): Figure[] {
  const wall = samples.map(([ms]) => ms);
  const cpu = samples.map(([, ms]) => ms);
  return [
    { what: `${what}: median wall`, value: median(wall), unit: 'ms', target: `< ${limit} ms`, pass: median(wall) < limit },
    { what: `${what}: p95 wall`, value: p95(wall), unit: 'ms', target: `< ${limit} ms`, pass: p95(wall) < limit },
    { what: `${what}: median CPU`, value: median(cpu), unit: 'ms', target: `< ${limit} ms`, pass: median(cpu) < limit },
    { what: `${what}: p95 CPU`, value: p95(cpu), unit: 'ms', target: `< ${limit} ms`, pass: p95(cpu) < limit },
  ];
}

/** Measures on `path` (a generated database); `smallPath`, a smaller one, gives the export's second size. */
export async function runScaleMeasurements(path: string, options: { smallPath?: string; export?: boolean } = {}): Promise<Figure[]> {
  const figures: Figure[] = [];
  const random = mulberry32(7);
  const db = openDatabase(path, { readonly: true });
  try {
    figures.push(...statusFigures(db, random));
    figures.push(...reportFigures(db, random));
    console.log('\n# Query plans of the key queries (EXPLAIN QUERY PLAN)');
    for (const plan of keyQueryPlans(db.$client)) console.log(`- ${plan.name}: ${plan.summary}`);
  } finally {
    closeDatabase(db);
  }
  if (options.export !== false) figures.push(...exportFigures(path, options.smallPath));
  figures.push(...repersistFigures(path, random));
  printTable(figures);
  return figures;
}

function pick<T>(items: T[], count: number, random: () => number): T[] {
  return Array.from({ length: Math.min(count, items.length) }, () => items[Math.floor(random() * items.length)] as T);
}

function statusFigures(db: Database, random: () => number): Figure[] {
  const queries = new StatusQueries(db);
  const communes = db.$client
    .prepare(
      "select code, name from admin_units u where level = 3 and type = 'xã' and valid_to is null and exists (select 1 from statements s where s.commune_code = u.code)",
    )
    .all() as Array<{ code: string; name: string }>;
  const sample = pick(communes, 60, random);
  renderStatus(queries, { commune: sample[0]?.name ?? '' }); // warm the statement cache
  // `ntm status --commune NAME` shows every commune of that name (a name such as Tân Lập is shared by dozens): time per commune shown.
  const perCommune: Array<[number, number]> = [];
  const views: Array<[number, number]> = [];
  const viewStatus = db.$client.prepare('select * from v_commune_count_status where commune_code = ? and unit_system = ?');
  const viewCriteria = db.$client.prepare('select * from v_criterion_status where commune_code = ? and unit_system = ?');
  for (const commune of sample) {
    const [output, wall, cpu] = timed(() => renderStatus(queries, { commune: commune.name }));
    // Communes whose claims are shown: each section's, and each predecessor's history under a new commune (once per commune).
    const shown = Math.max(1, new Set(output.text.match(/^(?: {4})?xã .*? \(\d{5}\)(?= — )/gmu)?.map((header) => header.trim())).size);
    perCommune.push([wall / shown, cpu / shown]);
    const [, viewWall, viewCpu] = timed(() => {
      viewStatus.all(commune.code, 'three_level');
      viewCriteria.all(commune.code, 'three_level');
    });
    views.push([viewWall, viewCpu]);
  }
  return [...msFigures('ntm status --commune, per commune shown', perCommune, 50), ...msFigures('status views (count + criteria) of one commune', views, 50)];
}

function reportFigures(db: Database, random: () => number): Figure[] {
  const units = new StatusQueries(db);
  const claims = new StandingClaimsQueries(db);
  const districts = db.$client
    .prepare(
      'select code from admin_units d where level = 2 and exists (select 1 from admin_units u where u.district_code = d.code and exists (select 1 from statements s where s.commune_code = u.code))',
    )
    .pluck()
    .all() as string[];
  const now: Array<[number, number]> = [];
  const past: Array<[number, number]> = [];
  for (const code of pick(districts, 12, random)) {
    const district = units.unit(code);
    if (!district) continue;
    const [, wall, cpu] = timed(() => statusRows(buildStatusTable(claims, units, [district], district.name)));
    now.push([wall, cpu]);
    const [, pastWall, pastCpu] = timed(() => statusRows(buildStatusTable(claims, units, [district], district.name, '2019-12-31')));
    past.push([pastWall, pastCpu]);
  }
  return [...msFigures('ntm report --district', now, 1000), ...msFigures('ntm report --district --as-of 2019-12-31', past, 1000)];
}

/** `ntm export` in a child process, as a user runs it: records per second and peak RSS (GNU time). */
function exportRun(path: string): { records: number; seconds: number; cpuSeconds: number; peakMiB: number; bytes: number } {
  const folder = mkdtempSync(join(tmpdir(), 'ntm-scale-export-'));
  const out = join(folder, 'export.jsonl');
  try {
    const start = performance.now();
    const run = spawnSync('/usr/bin/time', ['-f', '%M %U %S', process.execPath, projectPath('dist', 'src', 'cli.js'), 'export', '--db', path, '--out', out], {
      encoding: 'utf8',
    });
    const seconds = (performance.now() - start) / 1000;
    if (run.status !== 0) throw new Error(`ntm export failed: ${run.stderr}`);
    const [peakKiB, user, system] = (run.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
    const lines = spawnSync('wc', ['-l', out], { encoding: 'utf8' }).stdout;
    return { records: Number.parseInt(lines, 10), seconds, cpuSeconds: (user ?? 0) + (system ?? 0), peakMiB: (peakKiB ?? 0) / 1024, bytes: statSync(out).size };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The floor under the export: reading every statement row with its first citation and nothing else, in CPU records/s. */
function bareReadRate(path: string): number {
  const db = openDatabase(path, { readonly: true });
  try {
    const cpu = process.cpuUsage();
    let rows = 0;
    for (const _row of db.$client
      .prepare('select * from statements s left join citations c on c.statement_id = s.id and c.ordinal = 0 order by s.document_id, s.ordinal')
      .raw()
      .iterate())
      rows += 1;
    const used = process.cpuUsage(cpu);
    return rows / ((used.user + used.system) / 1e6);
  } finally {
    closeDatabase(db);
  }
}

function exportFigures(path: string, smallPath?: string): Figure[] {
  const floor = bareReadRate(path);
  const big = exportRun(path);
  const rate = big.records / big.seconds;
  const cpuRate = big.records / big.cpuSeconds;
  console.log(
    `\n# Export: ${big.records.toLocaleString('en')} records, ${(big.bytes / 2 ** 20).toFixed(0)} MiB in ${big.seconds.toFixed(1)} s (${big.cpuSeconds.toFixed(1)} s CPU), peak RSS ${big.peakMiB.toFixed(0)} MiB`,
  );
  const figures: Figure[] = [
    { what: 'ntm export (JSONL), records per wall second', value: rate, unit: 'records/s', target: '≥ 50,000', pass: rate >= 50_000 },
    { what: 'ntm export (JSONL), records per CPU second', value: cpuRate, unit: 'records/s', target: '≥ 50,000', pass: cpuRate >= 50_000 },
    { what: 'ntm export, peak RSS', value: big.peakMiB, unit: 'MiB', target: 'constant', pass: true },
  ];
  console.log(`# Bare read of the statements with their first citation (the floor): ${Math.round(floor).toLocaleString('en')} rows per CPU second`);
  figures.push({ what: 'export CPU cost / bare read of the rows (ratio)', value: floor / cpuRate, unit: 'x', target: 'report', pass: true });
  if (smallPath) {
    const small = exportRun(smallPath);
    const ratio = big.peakMiB / small.peakMiB;
    const sizes = big.records / small.records;
    console.log(
      `# Export of the smaller database: ${small.records.toLocaleString('en')} records in ${small.seconds.toFixed(1)} s, peak RSS ${small.peakMiB.toFixed(0)} MiB`,
    );
    figures.push({
      what: `export peak RSS, ${sizes.toFixed(0)}x the records / smaller DB`,
      value: ratio,
      unit: 'x',
      target: '< 1.5x (constant memory)',
      pass: ratio < 1.5,
    });
    figures[2] = { ...(figures[2] as Figure), pass: ratio < 1.5 };
  }
  return figures;
}

/**
 * Re-extracts stored documents (the rules over their stored pages) and persists them again, which
 * deletes and rewrites their statements and works out again the cross-document conflicts of every
 * count they touch: the time of the persist alone. The database is written to (a benchmark file).
 */
function repersistFigures(path: string, random: () => number): Figure[] {
  const db = openDatabase(path);
  try {
    const repository = new DocumentRepository(db);
    const maxId = Number(db.$client.prepare('select max(id) from documents').pluck().get());
    const conflicted = db.$client.prepare("select document_id from flags where scope = 'cross_document' limit 10").pluck().all() as number[];
    const ids = [...conflicted, ...Array.from({ length: 30 }, () => 1 + Math.floor(random() * maxId))];
    const times: Array<[number, number]> = [];
    let statements = 0;
    for (const id of ids) {
      const pages = repository.loadPages(id);
      const extraction = extractStatements(pages);
      statements += extraction.statements.length;
      const [, wall, cpu] = timed(() => repository.saveExtraction(id, { fileKind: 'pdf', mime: 'application/pdf', extraction, rulesVersion: RULES_VERSION }));
      times.push([wall, cpu]);
    }
    console.log(
      `\n# Re-persisted ${ids.length} documents (${statements} statements read again by the rules), ${conflicted.length} of them with a cross-document conflict`,
    );
    return msFigures('re-persist one document', times, 50);
  } finally {
    closeDatabase(db);
  }
}

function printTable(figures: Figure[]): void {
  console.log('\n| measure | value | target | |\n|---|---|---|---|');
  for (const figure of figures) {
    const value = figure.unit === 'records/s' ? Math.round(figure.value).toLocaleString('en') : figure.value.toFixed(figure.value < 10 ? 2 : 0);
    console.log(`| ${figure.what} | ${value} ${figure.unit} | ${figure.target} | ${figure.pass ? 'pass' : 'FAIL'} |`);
  }
}
