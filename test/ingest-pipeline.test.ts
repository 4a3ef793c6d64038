import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { closeDatabase, DocumentRepository, openDatabase, StatementQueries, type Database } from '../db/index.js';
import { RULES_VERSION } from '../extractors/extract-statements.js';
import { BlobStore } from '../src/pipeline/blob-store.js';
import { embeddedIngestion } from '../src/pipeline/embedded-ingestion.js';
import type { IngestOutcome } from '../src/pipeline/ingest.service.js';
import { listInputFiles } from '../src/pipeline/list-input-files.js';
import { registerUpload } from '../src/pipeline/register-upload.js';
import { rereadDocument } from '../src/pipeline/reread-document.js';
import { DEFAULT_MAX_BYTES } from '../src/text/extract-text.js';
import { projectPath } from '../extractors/util/project-root.js';
import { useTempFolder } from './support/temp-folder.js';

const newTempFolder = useTempFolder();

async function ingestAll(db: Database, paths: string[], maxFileBytes = DEFAULT_MAX_BYTES): Promise<IngestOutcome[]> {
  const databasePath = db.$client.name;
  const service = embeddedIngestion(db, databasePath, { blobDirectory: undefined, maxFileBytes, jobAttempts: 1, jobBackoffMs: 0 });
  const outcomes: IngestOutcome[] = [];
  for (const file of await listInputFiles(paths)) outcomes.push(await service.ingestFile(file));
  return outcomes;
}

function withDatabase<T>(run: (db: Database, folder: string) => Promise<T>): Promise<T> {
  const folder = newTempFolder();
  const db = openDatabase(join(folder, 'ntm.sqlite'));
  return run(db, folder).finally(() => closeDatabase(db));
}

/** Statements and flags as an analyst would read them, without row ids. */
function exportedClaims(db: Database): string[] {
  const queries = new StatementQueries(db);
  return [
    // The machine's claims: reviewers' actions (`review`) are checked apart.
    ...queries.statements().map(({ id: _id, flags, review: _review, ...rest }) => JSON.stringify({ ...rest, flags: flags.map((f) => f.type) })),
    ...queries.flags().map(({ id: _id, statements: _statements, ...rest }) => JSON.stringify(rest)),
  ].sort();
}

const seeds = projectPath('fixtures', 'seeds');
const bad = projectPath('fixtures', 'bad');

describe('ingesting into a real SQLite file', () => {
  it('stores every citation so that the page text at [start, end) is the quote', () =>
    withDatabase(async (db) => {
      await ingestAll(db, [seeds]);
      const queries = new StatementQueries(db);
      const pageTexts = queries.pageTexts(queries.documents().map((d) => d.id));
      const cited = [
        ...queries.statements().flatMap((s) => s.citations.map((c) => ({ documentId: s.document.id, ...c }))),
        ...queries.flags().flatMap((f) => f.evidence.map((c) => ({ documentId: f.document.id, ...c }))),
      ];
      expect(cited.length).toBeGreaterThan(200);
      for (const citation of cited) {
        expect(citation.quote.length).toBeGreaterThan(0);
        expect(pageTexts.get(`${citation.documentId}:${citation.page}`)?.slice(citation.start, citation.end)).toBe(citation.quote);
      }
    }));

  it('treats the same bytes twice as a no-op', () =>
    withDatabase(async (db) => {
      const first = await ingestAll(db, [seeds]);
      const before = exportedClaims(db);
      const second = await ingestAll(db, [seeds]);
      expect(first.every((o) => o.status === 'new')).toBe(true);
      expect(second.every((o) => o.status === 'unchanged')).toBe(true);
      expect(exportedClaims(db)).toEqual(before);
    }));

  it('stores each bad file as failed with its reason, and the batch and the stored data go on unharmed', () =>
    withDatabase(async (db) => {
      await ingestAll(db, [seeds]);
      const before = exportedClaims(db);
      const outcomes = await ingestAll(db, [bad]);
      const failed = Object.fromEntries(outcomes.filter((o) => o.status === 'failed').map((o) => [o.path.split('/').pop(), o.error]));
      expect(Object.keys(failed).sort()).toEqual([
        'binary.txt',
        'empty.txt',
        'encrypted.pdf',
        'latin1.txt',
        'not-a-docx.zip',
        'renamed-zip.docx',
        'spreadsheet.xlsx',
        'truncated.pdf',
      ]);
      expect(failed['encrypted.pdf']).toMatch(/encrypted\.pdf.*password/);
      expect(failed['truncated.pdf']).toMatch(/truncated\.pdf.*damaged/);
      expect(failed['renamed-zip.docx']).toMatch(/ZIP archive, not a Word document/);
      expect(failed['empty.txt']).toMatch(/empty/);
      const reasons = Object.fromEntries(
        new StatementQueries(db)
          .documents()
          .filter((d) => d.status === 'failed')
          .map((d) => [d.fileName, d.errorReason]),
      );
      expect(reasons).toMatchObject({
        'encrypted.pdf': 'encrypted',
        'truncated.pdf': 'corrupt',
        'spreadsheet.xlsx': 'unsupported_type',
        'latin1.txt': 'undecodable',
        'empty.txt': 'empty',
      });
      expect(exportedClaims(db)).toEqual(before);
    }));

  it('records a PDF page without a text layer as such', () =>
    withDatabase(async (db) => {
      const [outcome] = await ingestAll(db, [projectPath('fixtures', 'scanned', 'no-text-layer.pdf')]);
      const pages = new DocumentRepository(db).loadPages(outcome?.documentId ?? -1);
      expect(pages).toHaveLength(2);
      expect(pages.every((page) => !page.hasTextLayer && page.text === '')).toBe(true);
    }));

  it('refuses a file over the size limit without reading it, and says both sizes', () =>
    withDatabase(async (db) => {
      const [outcome] = await ingestAll(db, [join(seeds, '001_f3406501ba6aec7a.pdf')], 10_000);
      expect(outcome?.status).toBe('failed');
      expect(outcome?.error).toMatch(/001_f3406501ba6aec7a\.pdf: the file is 0\.\d MB, over the 0\.0 MB limit/);
    }));

  it('registers a document of an older rules version without writing its results: rereadDocument hands them to the persist stage', () =>
    withDatabase(async (db, folder) => {
      const file = join(folder, 'report.txt');
      copyFileSync(join(seeds, '002_208071814d246b50.txt'), file);
      await ingestAll(db, [file]);
      db.run(sql`update documents set rules_version = 'older'`);
      const statementRows = () => db.$client.prepare('select id, fingerprint from statements order by id').all() as Array<{ id: number; fingerprint: string }>;
      const pageIds = () => db.$client.prepare('select id from pages order by id').pluck().all();
      const rulesVersion = () => db.$client.prepare('select rules_version from documents').pluck().get();
      const [statementsBefore, pagesBefore] = [statementRows(), pageIds()];

      const documents = new DocumentRepository(db);
      const registration = await registerUpload(file, { documents, blobs: new BlobStore(join(folder, 'blobs')), maxFileBytes: DEFAULT_MAX_BYTES });
      expect(registration.action).toBe('reread');
      expect(statementRows()).toEqual(statementsBefore);
      expect(rulesVersion()).toBe('older');

      expect(rereadDocument(documents, registration.documentId)).toBe(true);
      expect(rulesVersion()).toBe(RULES_VERSION);
      // New rows for the same claims; the stored pages are read, not written again.
      expect(statementRows().map((row) => row.fingerprint)).toEqual(statementsBefore.map((row) => row.fingerprint));
      expect(statementRows()[0]?.id).toBeGreaterThan(statementsBefore.at(-1)?.id ?? 0);
      expect(pageIds()).toEqual(pagesBefore);
      expect(rereadDocument(documents, 9999)).toBe(false);
    }));

  it('re-extracts a document made by an older rules version, replacing its statements and keeping corrections', () =>
    withDatabase(async (db, folder) => {
      const file = join(folder, 'report.txt');
      copyFileSync(join(seeds, '002_208071814d246b50.txt'), file);
      await ingestAll(db, [file]);
      const before = exportedClaims(db);
      const repository = new DocumentRepository(db);
      const document = repository.findBySha256(new StatementQueries(db).documents()[0]?.sha256 ?? '');
      const fingerprint = db.$client.prepare('select fingerprint from statements limit 1').pluck().get() as string;
      db.$client
        .prepare(
          "insert into corrections (document_sha256, statement_fingerprint, action, payload, reviewer) values (?, ?, 'replace', '{\"met\":14}', 'reviewer-1')",
        )
        .run(document?.sha256, fingerprint);
      db.run(sql`update documents set rules_version = 'older'`);

      const [outcome] = await ingestAll(db, [file]);
      expect(outcome?.status).toBe('reprocessed');
      expect(exportedClaims(db)).toEqual(before);
      expect(db.$client.prepare('select rules_version from documents').pluck().get()).toBe(RULES_VERSION);
      expect(db.$client.prepare('select count(*) from corrections').pluck().get()).toBe(1);
      // The correction still finds its statement after re-extraction.
      expect(db.$client.prepare('select count(*) from statements where fingerprint = ?').pluck().get(fingerprint)).toBe(1);
      expect(new StatementQueries(db).statements().find((s) => s.fingerprint === fingerprint)?.review).toMatchObject({
        action: 'replace',
        payload: { met: 14 },
        reviewer: 'reviewer-1',
      });
    }));

  it('keeps corrections append-only', () =>
    withDatabase(async (db) => {
      db.$client.prepare("insert into corrections (document_sha256, action, reviewer) values ('abc', 'add', 'r')").run();
      expect(() => db.$client.prepare("update corrections set reviewer = 'x'").run()).toThrow(/append-only/);
      expect(() => db.$client.prepare('delete from corrections').run()).toThrow(/append-only/);
    }));

  it('runs the committed migrations with WAL and foreign keys on', () =>
    withDatabase(async (db) => {
      expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
      const tables = db.$client.prepare("select name from sqlite_master where type = 'table' order by name").pluck().all();
      expect(tables).toEqual(expect.arrayContaining(['documents', 'pages', 'statements', 'citations', 'flags', 'corrections']));
    }));

  it('ingests a file whose name says nothing of its type', () =>
    withDatabase(async (db, folder) => {
      const inbox = join(folder, 'inbox');
      mkdirSync(inbox);
      copyFileSync(join(seeds, '003_208c7acc8bb6c444.docx'), join(inbox, 'scan-0042'));
      writeFileSync(join(inbox, 'notes.pdf'), 'Xã Tân Thành đạt 15/19 tiêu chí.\n');
      const outcomes = await ingestAll(db, [inbox]);
      expect(outcomes.map((o) => o.status)).toEqual(['new', 'new']);
      const kinds = new StatementQueries(db).documents().map((d) => [d.fileName, d.fileKind]);
      expect(kinds).toEqual(
        expect.arrayContaining([
          ['scan-0042', 'docx'],
          ['notes.pdf', 'txt'],
        ]),
      );
    }));
});
