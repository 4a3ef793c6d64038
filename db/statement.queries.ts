import { asc, eq, gt, inArray } from 'drizzle-orm';
import type { FlagType, PlaceUnits } from '../extractors/statement.js';
import type { Database } from './client.js';
import { CorrectionRepository, reviewKey, type StatementReview } from './correction.repository.js';
import { citations, documents, flags, pages, statements } from './schema.js';

export interface CitationRecord {
  page: number;
  start: number;
  end: number;
  quote: string;
  /** Only on a statement read from a table: the row's number in its table on that page (header rows included). */
  row?: number;
  /** Only on a cross-document flag's evidence from another document than the flag's own. */
  documentId?: number;
}

export interface DocumentRef {
  id: number;
  sha256: string;
  filename: string;
  type: string | null;
  number: string | null;
  date: string | null;
}

export interface StatementRecord {
  id: number;
  kind: string;
  document: DocumentRef;
  /** Names as the rules read them next to the statement. */
  province: string | null;
  district: string | null;
  commune: string | null;
  /** The gazetteer units they resolve to, with how (null for rows stored before resolution). */
  places: PlaceUnits | null;
  level: string | null;
  criteriaSet: string | null;
  assessment: string | null;
  asOf: string | null;
  citations: CitationRecord[];
  rule: string;
  confidence: number;
  payload: Record<string, unknown>;
  flags: Array<{ type: FlagType; message: string }>;
  /** Identifies the claim across re-extractions; reviewers' actions are keyed by it. */
  fingerprint: string;
  /** The latest reviewer's action on it, if any. */
  review: StatementReview | null;
}

export interface FlagRecord {
  id: number;
  type: FlagType;
  /** "document" (found within it) or "cross_document" (against other stored documents). */
  scope: string;
  message: string;
  document: DocumentRef;
  statements: number[];
  evidence: CitationRecord[];
}

/** Documents per batch of the streamed export: a few thousand statements in memory at a time. */
const EXPORT_BATCH = 200;

/** A statement's citations in ordinal order: the first, read with its row, then those continuing it. */
function citationsOf(row: StatementRow, continuation: CitationRecord[] | undefined): CitationRecord[] {
  const page = row[15];
  if (page === null) return continuation ?? [];
  const first = citationOf({ page, start: row[16] as number, end: row[17] as number, quote: row[18] as string, tableRow: row[19] });
  return continuation ? [first, ...continuation] : [first];
}

/** A statements row as the streamed export reads it, as an array (JSON columns still text), with its first citation's columns. */
type StatementRow = [
  id: number,
  kind: string,
  documentId: number,
  province: string | null,
  district: string | null,
  commune: string | null,
  places: string | null,
  level: string | null,
  criteriaSet: string | null,
  assessment: string | null,
  asOf: string | null,
  rule: string,
  confidence: number,
  payload: string,
  fingerprint: string,
  citationPage: number | null,
  citationStart: number | null,
  citationEnd: number | null,
  citationQuote: string | null,
  citationTableRow: number | null,
];

/** Read side for reports and exports: statements and flags with their documents and quotes. */
export class StatementQueries {
  constructor(private readonly db: Database) {}

  statements(): StatementRecord[] {
    const rows = this.db
      .select({ statement: statements, document: documents })
      .from(statements)
      .innerJoin(documents, eq(documents.id, statements.documentId))
      .orderBy(asc(statements.documentId), asc(statements.ordinal))
      .all();
    const citationsByStatement = this.groupCitations('statement');
    const reviews = new CorrectionRepository(this.db).latest();
    const flagsByStatement = new Map<number, Array<{ type: FlagType; message: string }>>();
    for (const flag of this.db.select().from(flags).all()) {
      for (const id of flag.statementIds) flagsByStatement.set(id, [...(flagsByStatement.get(id) ?? []), { type: flag.type, message: flag.message }]);
    }
    return rows.map(({ statement, document }) => ({
      id: statement.id,
      kind: statement.kind,
      document: documentRef(document),
      province: statement.province,
      district: statement.district,
      commune: statement.commune,
      places: statement.places ?? null,
      level: statement.level,
      criteriaSet: statement.criteriaSet,
      assessment: statement.assessment,
      asOf: statement.asOf,
      citations: citationsByStatement.get(statement.id) ?? [],
      rule: statement.rule,
      confidence: statement.confidence,
      payload: statement.payload,
      flags: flagsByStatement.get(statement.id) ?? [],
      fingerprint: statement.fingerprint,
      review: reviews.get(reviewKey(document.sha256, statement.fingerprint)) ?? null,
    }));
  }

  flags(): FlagRecord[] {
    const evidence = this.groupCitations('flag');
    return this.db
      .select({ flag: flags, document: documents })
      .from(flags)
      .innerJoin(documents, eq(documents.id, flags.documentId))
      .orderBy(asc(flags.documentId), asc(flags.id))
      .all()
      .map(({ flag, document }) => ({
        id: flag.id,
        type: flag.type,
        scope: flag.scope,
        message: flag.message,
        document: documentRef(document),
        statements: flag.statementIds,
        evidence: (evidence.get(flag.id) ?? []).map(({ documentId, ...citation }) => (documentId === flag.documentId ? citation : { ...citation, documentId })),
      }));
  }

  /**
   * The same records as statements() then flags(), in the same order, read a few hundred
   * documents at a time (by id range, through the indexes on document_id): memory stays that of
   * one batch however large the database, for `ntm export`.
   */
  *eachStatement(batchSize = EXPORT_BATCH): Generator<StatementRecord> {
    const client = this.db.$client;
    // Rows read as arrays (in StatementRow's order): five million objects built by column name cost more than the query.
    // The first citation comes with its statement; the few that continue a statement over a page break are read apart.
    const rows = client
      .prepare(`select s.id, s.kind, s.document_id, s.province, s.district, s.commune, s.places, s.level,
        s.criteria_set, s.assessment, s.as_of, s.rule, s.confidence, s.payload, s.fingerprint,
        c.page_no, c.start, c."end", c.quote, c.table_row
      from statements s left join citations c on c.statement_id = s.id and c.ordinal = 0
      where s.document_id between ? and ? order by s.document_id, s.ordinal`)
      .raw();
    const continuationRows = client
      .prepare(`select statement_id, page_no, start, "end", quote, table_row from citations
      where document_id between ? and ? and statement_id is not null and ordinal > 0 order by ordinal`)
      .raw();
    const flagRows = client.prepare(`select involved.statement_id as statementId, f.type, f.message
      from statements s join flag_statements involved on involved.statement_id = s.id join flags f on f.id = involved.flag_id
      where s.document_id between ? and ? order by f.id`);
    const reviewRows =
      client.prepare(`select id, document_sha256 as sha256, statement_fingerprint as fingerprint, action, payload, reviewer, created_at as createdAt
      from corrections where document_sha256 in (select value from json_each(?)) and statement_fingerprint is not null order by id`);
    for (const batch of this.documentBatches(batchSize)) {
      const first = batch[0]?.id ?? 0;
      const last = batch.at(-1)?.id ?? 0;
      const byId = new Map(batch.map((document) => [document.id, documentRef(document)]));
      const continued = new Map<number, CitationRecord[]>();
      for (const [owner, page, start, end, quote, tableRow] of continuationRows.iterate(first, last) as Iterable<
        [number, number, number, number, string, number | null]
      >) {
        const citation = citationOf({ page, start, end, quote, tableRow });
        const list = continued.get(owner);
        if (list) list.push(citation);
        else continued.set(owner, [citation]);
      }
      const flagged = new Map<number, Array<{ type: FlagType; message: string }>>();
      for (const row of flagRows.all(first, last) as Array<{ statementId: number; type: FlagType; message: string }>) {
        const list = flagged.get(row.statementId);
        if (list) list.push({ type: row.type, message: row.message });
        else flagged.set(row.statementId, [{ type: row.type, message: row.message }]);
      }
      const reviews = new Map<string, StatementReview>();
      for (const row of reviewRows.all(JSON.stringify(batch.map((document) => document.sha256))) as Array<{
        id: number;
        sha256: string;
        fingerprint: string;
        action: StatementReview['action'];
        payload: string | null;
        reviewer: string;
        createdAt: string;
      }>) {
        const payload = row.payload === null ? null : (JSON.parse(row.payload) as Record<string, unknown>);
        reviews.set(reviewKey(row.sha256, row.fingerprint), { action: row.action, payload, reviewer: row.reviewer, at: row.createdAt, correctionId: row.id });
      }
      // A commune's places repeat in every report of a batch that names it: each text is parsed once (and the object shared).
      const parsedPlaces = new Map<string, PlaceUnits>();
      const placesOf = (text: string | null) => {
        if (text === null) return null;
        let places = parsedPlaces.get(text);
        if (!places) {
          places = JSON.parse(text) as PlaceUnits;
          parsedPlaces.set(text, places);
        }
        return places;
      };
      for (const row of rows.iterate(first, last) as Iterable<StatementRow>) {
        const document = byId.get(row[2]);
        if (!document) continue;
        yield {
          id: row[0],
          kind: row[1],
          document,
          province: row[3],
          district: row[4],
          commune: row[5],
          places: placesOf(row[6]),
          level: row[7],
          criteriaSet: row[8],
          assessment: row[9],
          asOf: row[10],
          citations: citationsOf(row, continued.get(row[0])),
          rule: row[11],
          confidence: row[12],
          payload: JSON.parse(row[13]) as Record<string, unknown>,
          flags: flagged.get(row[0]) ?? [],
          fingerprint: row[14],
          review: reviews.size === 0 ? null : (reviews.get(reviewKey(document.sha256, row[14])) ?? null),
        };
      }
    }
  }

  /** flags() a batch of documents at a time, in the same order. */
  *eachFlag(batchSize = EXPORT_BATCH): Generator<FlagRecord> {
    const client = this.db.$client;
    const rows = client.prepare(`select id, document_id as documentId, type, scope, message, statement_ids as statementIds
      from flags where document_id between ? and ? order by document_id, id`);
    const evidenceRows =
      client.prepare(`select c.flag_id as owner, c.document_id as documentId, c.page_no as page, c.start, c."end", c.quote, c.table_row as tableRow
      from flags f join citations c on c.flag_id = f.id where f.document_id between ? and ? order by c.ordinal`);
    for (const batch of this.documentBatches(batchSize)) {
      const first = batch[0]?.id ?? 0;
      const last = batch.at(-1)?.id ?? 0;
      const byId = new Map(batch.map((document) => [document.id, documentRef(document)]));
      const evidence = new Map<number, Array<CitationRecord & { documentId: number }>>();
      for (const row of evidenceRows.all(first, last) as Array<StoredCitation & { owner: number; documentId: number }>) {
        const { owner } = row;
        const citation = { ...citationOf(row), documentId: row.documentId };
        const list = evidence.get(owner);
        if (list) list.push(citation);
        else evidence.set(owner, [citation]);
      }
      for (const row of rows.iterate(first, last) as Iterable<{
        id: number;
        documentId: number;
        type: FlagType;
        scope: string;
        message: string;
        statementIds: string;
      }>) {
        const document = byId.get(row.documentId);
        if (!document) continue;
        yield {
          id: row.id,
          type: row.type,
          scope: row.scope,
          message: row.message,
          document,
          statements: JSON.parse(row.statementIds) as number[],
          evidence: (evidence.get(row.id) ?? []).map(({ documentId, ...citation }) => (documentId === row.documentId ? citation : { ...citation, documentId })),
        };
      }
    }
  }

  /** Documents in id order, a batch at a time (keyset: each batch starts after the last id). */
  private *documentBatches(batchSize: number): Generator<Array<typeof documents.$inferSelect>> {
    let after = 0;
    for (;;) {
      const batch = this.db.select().from(documents).where(gt(documents.id, after)).orderBy(asc(documents.id)).limit(batchSize).all();
      if (batch.length === 0) return;
      yield batch;
      after = batch.at(-1)?.id ?? after;
    }
  }

  documents(): Array<typeof documents.$inferSelect> {
    return this.db.select().from(documents).orderBy(asc(documents.id)).all();
  }

  /** The stored text of the pages given, keyed "documentId:page", to re-check quotes against. */
  pageTexts(documentIds: number[]): Map<string, string> {
    const rows = documentIds.length === 0 ? [] : this.db.select().from(pages).where(inArray(pages.documentId, documentIds)).all();
    return new Map(rows.map((row) => [`${row.documentId}:${row.pageNo}`, row.text]));
  }

  private groupCitations(owner: 'statement' | 'flag'): Map<number, CitationRecord[]> {
    const grouped = new Map<number, CitationRecord[]>();
    for (const row of this.db.select().from(citations).orderBy(asc(citations.ordinal)).all()) {
      const key = owner === 'statement' ? row.statementId : row.flagId;
      if (key === null) continue;
      const citation = citationOf({ page: row.pageNo, start: row.start, end: row.end, quote: row.quote, tableRow: row.tableRow });
      grouped.set(key, [...(grouped.get(key) ?? []), owner === 'flag' ? { ...citation, documentId: row.documentId } : citation]);
    }
    return grouped;
  }
}

function documentRef(document: typeof documents.$inferSelect): DocumentRef {
  return { id: document.id, sha256: document.sha256, filename: document.fileName, type: document.docType, number: document.docNumber, date: document.docDate };
}

/** A citations row as read: its table row is null for prose. */
type StoredCitation = { page: number; start: number; end: number; quote: string; tableRow: number | null };

/** A citation in the export's shape: `row` only on a statement read from a table row. */
function citationOf(row: StoredCitation): CitationRecord {
  return { page: row.page, start: row.start, end: row.end, quote: row.quote, ...(row.tableRow !== null ? { row: row.tableRow } : {}) };
}
