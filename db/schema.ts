import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';

const timestamps = {
  createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  updatedAt: text('updated_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
};

/** One row per distinct file content: the same bytes under another name are the same document. */
export const documents = sqliteTable('documents', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  sha256: text('sha256').notNull().unique(),
  fileName: text('file_name').notNull(),
  fileKind: text('file_kind', { enum: ['pdf', 'docx', 'doc', 'txt', 'image'] }),
  mime: text('mime'),
  sizeBytes: integer('size_bytes').notNull(),
  status: text('status', { enum: ['queued', 'processing', 'done', 'failed'] }).notNull(),
  /** Why the document failed, in words that name the file and the problem. */
  error: text('error'),
  errorReason: text('error_reason'),
  docType: text('doc_type'),
  docNumber: text('doc_number'),
  docDate: text('doc_date'),
  /** Header metadata with the citation of each field (JSON). */
  metadata: text('metadata', { mode: 'json' }),
  /** The rules version that made this document's machine statements. */
  rulesVersion: text('rules_version'),
  ...timestamps,
});

/** Text as extracted, verbatim: every citation is an offset range into `text`. */
export const pages = sqliteTable(
  'pages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    documentId: integer('document_id').notNull().references(() => documents.id, { onDelete: 'cascade' }),
    pageNo: integer('page_no').notNull(),
    text: text('text').notNull(),
    hasTextLayer: integer('has_text_layer', { mode: 'boolean' }).notNull(),
  },
  (table) => [uniqueIndex('pages_document_page').on(table.documentId, table.pageNo)],
);

/** Machine output: replaced as a whole when a document is re-extracted by a newer rules version. */
export const statements = sqliteTable(
  'statements',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    documentId: integer('document_id').notNull().references(() => documents.id, { onDelete: 'cascade' }),
    ordinal: integer('ordinal').notNull(),
    kind: text('kind', { enum: ['commune_count', 'criteria_list', 'indicator_list', 'district_aggregate', 'target'] }).notNull(),
    rule: text('rule').notNull(),
    rulesVersion: text('rules_version').notNull(),
    confidence: real('confidence').notNull(),
    province: text('province'),
    district: text('district'),
    commune: text('commune'),
    level: text('level', { enum: ['ntm', 'nang_cao', 'kieu_mau'] }),
    criteriaSet: text('criteria_set'),
    assessment: text('assessment', { enum: ['self', 'reported', 'appraised', 'recognized'] }),
    asOf: text('as_of'),
    /** The kind's own fields (met/total, status/criteria, …) as JSON. */
    payload: text('payload', { mode: 'json' }).notNull(),
    /**
     * Identifies the claim independently of row ids and rule details (kind, place, level, date,
     * quote), so a reviewer's correction still finds it after re-extraction.
     */
    fingerprint: text('fingerprint').notNull(),
  },
  (table) => [index('statements_document').on(table.documentId), index('statements_commune').on(table.commune)],
);

export const flags = sqliteTable(
  'flags',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    documentId: integer('document_id').notNull().references(() => documents.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    message: text('message').notNull(),
    /** Ids of the statements involved (JSON array). */
    statementIds: text('statement_ids', { mode: 'json' }).notNull().$type<number[]>(),
    rulesVersion: text('rules_version').notNull(),
  },
  (table) => [index('flags_document').on(table.documentId)],
);

/** A quote from a stored page; belongs to a statement or to a flag (its evidence). */
export const citations = sqliteTable(
  'citations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    documentId: integer('document_id').notNull().references(() => documents.id, { onDelete: 'cascade' }),
    statementId: integer('statement_id').references((): AnySQLiteColumn => statements.id, { onDelete: 'cascade' }),
    flagId: integer('flag_id').references((): AnySQLiteColumn => flags.id, { onDelete: 'cascade' }),
    ordinal: integer('ordinal').notNull(),
    pageNo: integer('page_no').notNull(),
    start: integer('start').notNull(),
    end: integer('end').notNull(),
    quote: text('quote').notNull(),
  },
  (table) => [index('citations_statement').on(table.statementId), index('citations_flag').on(table.flagId)],
);

/**
 * Reviewer corrections: append-only (triggers refuse UPDATE and DELETE), keyed by the document's
 * hash and the statement's fingerprint rather than row ids, so re-extraction never loses them and
 * they win over machine output wherever they apply.
 */
export const corrections = sqliteTable(
  'corrections',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    documentSha256: text('document_sha256').notNull(),
    statementFingerprint: text('statement_fingerprint'),
    action: text('action', { enum: ['replace', 'reject', 'add'] }).notNull(),
    /** The corrected fields (JSON), in the export contract's names. */
    payload: text('payload', { mode: 'json' }),
    reviewer: text('reviewer').notNull(),
    note: text('note'),
    createdAt: timestamps.createdAt,
  },
  (table) => [index('corrections_target').on(table.documentSha256, table.statementFingerprint)],
);
