import { asc, eq, inArray } from 'drizzle-orm';
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
      const citation = { page: row.pageNo, start: row.start, end: row.end, quote: row.quote, ...(row.tableRow !== null ? { row: row.tableRow } : {}) };
      grouped.set(key, [...(grouped.get(key) ?? []), owner === 'flag' ? { ...citation, documentId: row.documentId } : citation]);
    }
    return grouped;
  }
}

function documentRef(document: typeof documents.$inferSelect): DocumentRef {
  return { id: document.id, sha256: document.sha256, filename: document.fileName, type: document.docType, number: document.docNumber, date: document.docDate };
}
