import { and, asc, between, eq, inArray, ne, sql } from 'drizzle-orm';
import type BetterSqlite3 from 'better-sqlite3';
import type { Extraction } from '../extractors/extract-statements.js';
import type { Statement, UnitSystem } from '../extractors/statement.js';
import type { PageSpan } from '../extractors/text/document-text.js';
import type { FileKind, OcrWordBox, PageText } from '../extractors/text/page-text.js';
import type { Database } from './client.js';
import { recomputeCountConflicts, type CountKey } from './cross-document.checks.js';
import { fingerprints } from './fingerprint.js';
import { citations, documents, flags, pages, statements, type OcrWordTuple } from './schema.js';

export type DocumentRow = typeof documents.$inferSelect;
export type DocumentStatus = DocumentRow['status'];

export interface NewDocument {
  sha256: string;
  fileName: string;
  sizeBytes: number;
}

export interface ExtractedDocument {
  fileKind: FileKind;
  mime: string;
  /** Absent when re-extracting from the pages already stored. */
  pages?: readonly PageText[];
  extraction: Extraction;
  rulesVersion: string;
}

/** Rows per INSERT: keeps well under SQLite's limit on bound parameters. */
const CHUNK = 200;

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let index = 0; index < rows.length; index += CHUNK) out.push(rows.slice(index, index + CHUNK));
  return out;
}

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

/** All writes about documents, their pages and their machine statements. */
export class DocumentRepository {
  /** Prepared on first use and reused for every row: drizzle would build one INSERT per row, most of a large document's persist. */
  private inserts: RowInserts | undefined;

  constructor(private readonly db: Database) {}

  findBySha256(sha256: string): DocumentRow | undefined {
    return this.db.select().from(documents).where(eq(documents.sha256, sha256)).get();
  }

  findById(id: number): DocumentRow | undefined {
    return this.db.select().from(documents).where(eq(documents.id, id)).get();
  }

  /**
   * Records a document as queued, or returns the row that already holds these bytes.
   * `raced`: another process inserted the same bytes between our look-up and our insert (two
   * `ntm ingest` of one folder); the insert then does nothing instead of failing on the
   * unique hash, and that process handles the document.
   */
  register(document: NewDocument): { row: DocumentRow; created: boolean; raced: boolean } {
    const existing = this.findBySha256(document.sha256);
    if (existing) return { row: existing, created: false, raced: false };
    const row = this.db
      .insert(documents)
      .values({ ...document, status: 'queued' })
      .onConflictDoNothing({ target: documents.sha256 })
      .returning()
      .get();
    if (row) return { row, created: true, raced: false };
    const winner = this.findBySha256(document.sha256);
    if (!winner) throw new Error(`Document ${document.sha256} (${document.fileName}) was neither inserted nor found`);
    return { row: winner, created: false, raced: true };
  }

  setStatus(id: number, status: DocumentStatus): void {
    this.db.update(documents).set({ status, updatedAt: now }).where(eq(documents.id, id)).run();
  }

  /** Stores why a document cannot be read; its earlier statements, if any, are left alone. */
  markFailed(id: number, failure: { reason: string; message: string; fileKind?: FileKind | null; mime?: string | null }): void {
    this.db
      .update(documents)
      .set({
        status: 'failed',
        errorReason: failure.reason,
        error: failure.message,
        fileKind: failure.fileKind ?? null,
        mime: failure.mime ?? null,
        updatedAt: now,
      })
      .where(eq(documents.id, id))
      .run();
  }

  /**
   * The documents done or failed among ids `fromId`…`toId`: what a wait for a batch polls. One
   * prepared statement over a range, not a list of ids, so a poll costs the same for ten pending
   * documents as for ten thousand.
   */
  finishedBetween(fromId: number, toId: number): Array<Pick<DocumentRow, 'id' | 'status' | 'error'>> {
    this.finishedQuery ??= this.prepareFinishedQuery();
    return this.finishedQuery.all({ fromId, toId });
  }

  private finishedQuery: ReturnType<DocumentRepository['prepareFinishedQuery']> | undefined;

  private prepareFinishedQuery() {
    return this.db
      .select({ id: documents.id, status: documents.status, error: documents.error })
      .from(documents)
      .where(and(between(documents.id, sql.placeholder('fromId'), sql.placeholder('toId')), inArray(documents.status, ['done', 'failed'])))
      .prepare();
  }

  /** Documents not done: queued, interrupted while processing, or failed. */
  unfinished(): DocumentRow[] {
    return this.db.select().from(documents).where(ne(documents.status, 'done')).orderBy(asc(documents.id)).all();
  }

  /** The stored pages, with how each was read (OCR confidence, legacy repair) where it applies. */
  loadPages(documentId: number): PageText[] {
    return this.db
      .select()
      .from(pages)
      .where(eq(pages.documentId, documentId))
      .orderBy(asc(pages.pageNo))
      .all()
      .map((row) => ({
        page: row.pageNo,
        text: row.text,
        hasTextLayer: row.hasTextLayer,
        ...(row.source ? { source: row.source } : {}),
        ...(row.ocrConfidence !== null ? { ocrConfidence: row.ocrConfidence } : {}),
        ...(row.ocrEngine ? { ocrEngine: row.ocrEngine } : {}),
        ...(row.encoding ? { encoding: row.encoding } : {}),
        ...(row.ocrWords ? { ocrWords: row.ocrWords.map(wordFromTuple) } : {}),
        ...(row.ocrImage ? { ocrImage: row.ocrImage } : {}),
      }));
  }

  /**
   * Replaces the document's pages (when given), machine statements, flags and citations in one
   * transaction, and marks it done; then works out again the cross-document conflicts of every
   * commune count it touched, before and after. Reviewer corrections live elsewhere and are not
   * touched.
   */
  saveExtraction(documentId: number, extracted: ExtractedDocument): void {
    const { extraction, rulesVersion } = extracted;
    this.db.transaction(
      (tx) => {
        const before = tx
          .select({ communeCode: statements.communeCode, level: statements.level, asOf: statements.asOf, unitSystem: statements.unitSystem })
          .from(statements)
          .where(and(eq(statements.documentId, documentId), eq(statements.kind, 'commune_count')))
          .all();
        tx.delete(flags).where(eq(flags.documentId, documentId)).run();
        tx.delete(statements).where(eq(statements.documentId, documentId)).run();
        tx.delete(citations).where(eq(citations.documentId, documentId)).run();
        if (extracted.pages) {
          tx.delete(pages).where(eq(pages.documentId, documentId)).run();
          for (const rows of chunks(
            extracted.pages.map((page) => ({
              documentId,
              pageNo: page.page,
              text: page.text,
              hasTextLayer: page.hasTextLayer,
              source: page.source ?? null,
              ocrConfidence: page.ocrConfidence ?? null,
              ocrEngine: page.ocrEngine ?? null,
              encoding: page.encoding ?? null,
              ocrWords: page.ocrWords?.map(tupleFromWord) ?? null,
              ocrImage: page.ocrImage ?? null,
            })),
          )) {
            tx.insert(pages).values(rows).run();
          }
        }
        const pageTexts = extracted.pages ?? this.loadPages(documentId);
        const quoteOf = (span: PageSpan) => pageTexts.find((page) => page.page === span.page)?.text.slice(span.start, span.end) ?? '';
        const prints = fingerprints(extraction.statements);
        const insert = this.rowInserts();
        const idByIndex = new Map<number, number>();
        extraction.statements.forEach((statement, position) => {
          const id = Number(insert.statement.run(statementValues(documentId, statement, rulesVersion, prints[position] ?? '')).lastInsertRowid);
          idByIndex.set(statement.index, id);
          insertCitations(insert.citation, documentId, { statementId: id }, statement.citations, quoteOf);
        });
        for (const flag of extraction.flags) {
          const statementIds = flag.statements.flatMap((index) => idByIndex.get(index) ?? []);
          const id = Number(insert.flag.run(documentId, flag.type, flag.message, JSON.stringify(statementIds), rulesVersion).lastInsertRowid);
          insertCitations(insert.citation, documentId, { flagId: id }, flag.evidence, quoteOf);
        }
        const metadata = extraction.metadata;
        tx.update(documents)
          .set({
            status: 'done',
            error: null,
            errorReason: null,
            fileKind: extracted.fileKind,
            mime: extracted.mime,
            docType: metadata.type?.value ?? null,
            docNumber: metadata.number?.value ?? null,
            docDate: metadata.date?.value ?? null,
            metadata,
            rulesVersion,
            updatedAt: now,
          })
          .where(eq(documents.id, documentId))
          .run();
        const after = extraction.statements
          .map((statement) => ({
            communeCode: statement.units?.commune?.code ?? null,
            level: statement.kind === 'commune_count' ? statement.level : null,
            asOf: statement.asOf,
            kind: statement.kind,
            unitSystem: unitSystemOf(statement),
          }))
          .filter((key) => key.kind === 'commune_count');
        recomputeCountConflicts(this.db.$client, [...before, ...after].flatMap(datedKey), documentId, rulesVersion);
      },
      { behavior: 'immediate' },
    ); // reads then writes: take the write lock first, waiting for another writer instead of failing with SQLITE_BUSY
  }

  /**
   * Runs `work` in one IMMEDIATE transaction: the persist stage writes a batch of documents in
   * one. Each document's own `saveExtraction` inside it becomes a savepoint, so one document's
   * failure is rolled back alone.
   */
  inOneTransaction<T>(work: () => T): T {
    return this.db.$client.transaction(work).immediate();
  }

  private rowInserts(): RowInserts {
    this.inserts ??= prepareRowInserts(this.db.$client);
    return this.inserts;
  }

  countStatements(documentIds: number[]): { statements: number; flags: number } {
    if (documentIds.length === 0) return { statements: 0, flags: 0 };
    const statementCount = this.db.select({ n: sql<number>`count(*)` }).from(statements).where(inArray(statements.documentId, documentIds)).get()?.n ?? 0;
    const flagCount = this.db.select({ n: sql<number>`count(*)` }).from(flags).where(inArray(flags.documentId, documentIds)).get()?.n ?? 0;
    return { statements: statementCount, flags: flagCount };
  }
}

/** The row-by-row inserts of saveExtraction (statements, their citations, flags). */
interface RowInserts {
  statement: BetterSqlite3.Statement;
  citation: BetterSqlite3.Statement;
  flag: BetterSqlite3.Statement;
}

function prepareRowInserts(client: BetterSqlite3.Database): RowInserts {
  return {
    statement: client.prepare(`insert into statements (document_id, ordinal, kind, rule, rules_version, confidence, province, district, commune,
      province_code, district_code, commune_code, places, unit_system, level, criteria_set, assessment, as_of, payload, fingerprint)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    citation: client.prepare(
      'insert into citations (document_id, statement_id, flag_id, ordinal, page_no, start, "end", quote, table_row) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    flag: client.prepare('insert into flags (document_id, type, message, statement_ids, rules_version) values (?, ?, ?, ?, ?)'),
  };
}

function insertCitations(
  insert: BetterSqlite3.Statement,
  documentId: number,
  owner: { statementId: number } | { flagId: number },
  spans: readonly PageSpan[],
  quoteOf: (span: PageSpan) => string,
): void {
  const statementId = 'statementId' in owner ? owner.statementId : null;
  const flagId = 'flagId' in owner ? owner.flagId : null;
  spans.forEach((span, ordinal) => {
    insert.run(documentId, statementId, flagId, ordinal, span.page, span.start, span.end, quoteOf(span), span.row ?? null);
  });
}

/** A statements row's values in the order of the insert above; JSON columns as drizzle writes them (JSON.stringify). */
function statementValues(documentId: number, statement: Statement, rulesVersion: string, fingerprint: string): unknown[] {
  const { index, kind, rule, confidence, place, units, level, criteriaSet, assessment, asOf, citations: _citations, ...payload } = statement;
  return [
    documentId,
    index,
    kind,
    rule,
    rulesVersion,
    confidence,
    place.province ?? null,
    place.district ?? null,
    place.commune ?? null,
    units?.province?.code ?? null,
    units?.district?.code ?? null,
    units?.commune?.code ?? null,
    units ? JSON.stringify(units) : null,
    unitSystemOf(statement),
    level ?? null,
    criteriaSet ?? null,
    assessment ?? null,
    asOf ?? null,
    JSON.stringify(payload),
    fingerprint,
  ];
}

/** Which gazetteer the statement's codes are from. */
function unitSystemOf(statement: Statement): UnitSystem {
  return statement.units?.system ?? 'three_level';
}

/** Only a resolved commune with a date can contradict another document. */
function datedKey(key: { communeCode: string | null; level: string | null; asOf: string | null; unitSystem: string }): CountKey[] {
  return key.communeCode && key.asOf ? [{ communeCode: key.communeCode, level: key.level, asOf: key.asOf, unitSystem: key.unitSystem }] : [];
}

/** OCR words are stored as tuples (see OcrWordTuple); confidences to one decimal, as tesseract prints them. */
export function tupleFromWord(word: OcrWordBox): OcrWordTuple {
  return [word.start, word.end, word.left, word.top, word.width, word.height, Math.round(word.confidence * 10) / 10];
}

export function wordFromTuple([start, end, left, top, width, height, confidence]: OcrWordTuple): OcrWordBox {
  return { start, end, left, top, width, height, confidence };
}
