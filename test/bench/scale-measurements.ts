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

function timed<T>(run: () => T): [T, number] {
  const start = performance.now();
  const result = run();
  return [result, performance.now() - start];
}

/** Measures on `path` (a generated database); `smallPath`, a smaller one, gives the second export size. */
export async function runScaleMeasurements(path: string, smallPath?: string): Promise<Figure[]> {
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
  figures.push(...exportFigures(path, smallPath));
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
  const perCommune: number[] = [];
  const views: number[] = [];
  const viewStatus = db.$client.prepare('select * from v_commune_count_status where commune_code = ? and unit_system = ?');
  const viewCriteria = db.$client.prepare('select * from v_criterion_status where commune_code = ? and unit_system = ?');
  for (const commune of sample) {
    const [output, ms] = timed(() => renderStatus(queries, { commune: commune.name }));
    const shown = Math.max(1, (output.text.match(/^xã .* \(\d{5}\) — /gmu) ?? []).length);
    perCommune.push(ms / shown);
    views.push(
      timed(() => {
        viewStatus.all(commune.code, 'three_level');
        viewCriteria.all(commune.code, 'three_level');
      })[1],
    );
  }
  return [
    { what: 'ntm status --commune, per commune shown (median)', value: median(perCommune), unit: 'ms', target: '< 50 ms', pass: median(perCommune) < 50 },
    { what: 'ntm status --commune, per commune shown (p95)', value: p95(perCommune), unit: 'ms', target: '< 50 ms', pass: p95(perCommune) < 50 },
    { what: 'status views of one commune (counts + criteria, median)', value: median(views), unit: 'ms', target: '< 50 ms', pass: median(views) < 50 },
    { what: 'status views of one commune (p95)', value: p95(views), unit: 'ms', target: '< 50 ms', pass: p95(views) < 50 },
  ];
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
  const times: number[] = [];
  const pastTimes: number[] = [];
  for (const code of pick(districts, 12, random)) {
    const district = units.unit(code);
    if (!district) continue;
    times.push(timed(() => statusRows(buildStatusTable(claims, units, [district], district.name)))[1]);
    pastTimes.push(timed(() => statusRows(buildStatusTable(claims, units, [district], district.name, '2019-12-31')))[1]);
  }
  return [
    { what: 'ntm report --district, now (median)', value: median(times), unit: 'ms', target: '< 1000 ms', pass: median(times) < 1000 },
    { what: 'ntm report --district, now (max)', value: Math.max(...times), unit: 'ms', target: '< 1000 ms', pass: Math.max(...times) < 1000 },
    { what: 'ntm report --district --as-of 2019-12-31 (median)', value: median(pastTimes), unit: 'ms', target: '< 1000 ms', pass: median(pastTimes) < 1000 },
  ];
}

/** `ntm export` in a child process, as a user runs it: records per second and peak RSS (GNU time). */
function exportRun(path: string): { records: number; seconds: number; peakMiB: number; bytes: number } {
  const folder = mkdtempSync(join(tmpdir(), 'ntm-scale-export-'));
  const out = join(folder, 'export.jsonl');
  try {
    const start = performance.now();
    const run = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, projectPath('dist', 'src', 'cli.js'), 'export', '--db', path, '--out', out], {
      encoding: 'utf8',
    });
    const seconds = (performance.now() - start) / 1000;
    if (run.status !== 0) throw new Error(`ntm export failed: ${run.stderr}`);
    const peakKiB = Number(run.stderr.trim().split('\n').at(-1));
    const lines = spawnSync('wc', ['-l', out], { encoding: 'utf8' }).stdout;
    return { records: Number.parseInt(lines, 10), seconds, peakMiB: peakKiB / 1024, bytes: statSync(out).size };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function exportFigures(path: string, smallPath?: string): Figure[] {
  const big = exportRun(path);
  const rate = big.records / big.seconds;
  console.log(
    `\n# Export: ${big.records.toLocaleString('en')} records, ${(big.bytes / 2 ** 20).toFixed(0)} MiB in ${big.seconds.toFixed(1)} s, peak RSS ${big.peakMiB.toFixed(0)} MiB`,
  );
  const figures: Figure[] = [
    { what: 'ntm export (JSONL), records per second', value: rate, unit: 'records/s', target: '≥ 50,000', pass: rate >= 50_000 },
    { what: 'ntm export, peak RSS', value: big.peakMiB, unit: 'MiB', target: 'constant', pass: true },
  ];
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
    figures[1] = { ...(figures[1] as Figure), pass: ratio < 1.5 };
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
    const times: number[] = [];
    let statements = 0;
    for (const id of ids) {
      const pages = repository.loadPages(id);
      const extraction = extractStatements(pages);
      statements += extraction.statements.length;
      times.push(timed(() => repository.saveExtraction(id, { fileKind: 'pdf', mime: 'application/pdf', extraction, rulesVersion: RULES_VERSION }))[1]);
    }
    console.log(
      `\n# Re-persisted ${ids.length} documents (${statements} statements read again by the rules), ${conflicted.length} of them with a cross-document conflict`,
    );
    return [
      { what: 're-persist one document (median)', value: median(times), unit: 'ms', target: '< 50 ms', pass: median(times) < 50 },
      { what: 're-persist one document (p95)', value: p95(times), unit: 'ms', target: '< 50 ms', pass: p95(times) < 50 },
    ];
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
