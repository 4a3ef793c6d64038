import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Database } from './client.js';
import { corrections, documents, statements } from './schema.js';

export type ReviewAction = 'accept' | 'replace' | 'reject' | 'add';

export interface CorrectionRow {
  id: number;
  documentSha256: string;
  statementFingerprint: string | null;
  action: ReviewAction;
  payload: Record<string, unknown> | null;
  reviewer: string;
  note: string | null;
  createdAt: string;
}

/** The latest review of a statement: the one that counts (corrections are append-only). */
export interface StatementReview {
  action: ReviewAction;
  payload: Record<string, unknown> | null;
  reviewer: string;
  at: string;
  correctionId: number;
}

export const reviewKey = (sha256: string, fingerprint: string) => `${sha256}|${fingerprint}`;

/**
 * Reviewers' actions, appended only (the table's triggers refuse anything else). They name
 * a statement by its document's hash and its fingerprint, never by row id, so they outlive
 * re-extraction.
 */
export class CorrectionRepository {
  constructor(private readonly db: Database) {}

  append(entry: Omit<CorrectionRow, 'id' | 'createdAt'>): CorrectionRow {
    return this.db.insert(corrections).values(entry).returning().get() as CorrectionRow;
  }

  history(documentSha256: string, fingerprint: string): CorrectionRow[] {
    return this.db
      .select()
      .from(corrections)
      .where(and(eq(corrections.documentSha256, documentSha256), eq(corrections.statementFingerprint, fingerprint)))
      .orderBy(asc(corrections.id))
      .all() as CorrectionRow[];
  }

  /** The latest action per statement, keyed by reviewKey. */
  latest(): Map<string, StatementReview> {
    const latest = new Map<string, StatementReview>();
    const rows = this.db.select().from(corrections).where(sql`${corrections.statementFingerprint} IS NOT NULL`).orderBy(asc(corrections.id)).all();
    for (const row of rows) {
      latest.set(reviewKey(row.documentSha256, row.statementFingerprint as string), {
        action: row.action,
        payload: (row.payload as Record<string, unknown> | null) ?? null,
        reviewer: row.reviewer,
        at: row.createdAt,
        correctionId: row.id,
      });
    }
    return latest;
  }

  /** Statements a reviewer added (a span the rules did not read). */
  added(): CorrectionRow[] {
    return this.db.select().from(corrections).where(eq(corrections.action, 'add')).orderBy(desc(corrections.id)).all() as CorrectionRow[];
  }

  /**
   * Actions whose statement is no longer there (re-extraction by newer rules did not read it
   * again): kept, and listed for a reviewer to look at again.
   */
  orphaned(): CorrectionRow[] {
    return this.db
      .select({ correction: corrections })
      .from(corrections)
      .where(
        and(
          sql`${corrections.statementFingerprint} IS NOT NULL`,
          sql`NOT EXISTS (SELECT 1 FROM ${statements} s JOIN ${documents} d ON d.id = s.document_id WHERE d.sha256 = ${corrections.documentSha256} AND s.fingerprint = ${corrections.statementFingerprint})`,
        ),
      )
      .orderBy(asc(corrections.id))
      .all()
      .map((row) => row.correction as CorrectionRow);
  }
}
