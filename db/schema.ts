import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { DocumentMetadata } from '../extractors/context/document-metadata.js';
import type { FlagType, PlaceUnits } from '../extractors/statement.js';
import type { PageImageRef } from '../extractors/text/page-text.js';

/** A stored OCR word: [start, end, left, top, width, height, confidence] (see OcrWordBox). */
export type OcrWordTuple = [number, number, number, number, number, number, number];

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
  metadata: text('metadata', { mode: 'json' }).$type<DocumentMetadata>(),
  /** The rules version that made this document's machine statements. */
  rulesVersion: text('rules_version'),
  ...timestamps,
});

/** Text as extracted, verbatim: every citation is an offset range into `text`. */
export const pages = sqliteTable(
  'pages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    documentId: integer('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    pageNo: integer('page_no').notNull(),
    text: text('text').notNull(),
    hasTextLayer: integer('has_text_layer', { mode: 'boolean' }).notNull(),
    /** Where the text came from: the text layer (null), OCR, or a legacy-encoding repair. */
    source: text('source', { enum: ['text_layer', 'ocr', 'legacy_repaired'] }),
    /** Mean word confidence of an OCR'd page, 0–100. */
    ocrConfidence: real('ocr_confidence'),
    ocrEngine: text('ocr_engine', { enum: ['tesseractjs', 'native'] }),
    /** The legacy encoding a page was converted from, and whether the conversion is doubtful (JSON). */
    encoding: text('encoding', { mode: 'json' }).$type<{ from: 'tcvn3' | 'vni'; doubtful: boolean }>(),
    /**
     * OCR pages: every word's [start, end, left, top, width, height, confidence] (JSON array of
     * tuples, a third of the size of objects): its span of `text` and its box on `ocr_image`.
     */
    ocrWords: text('ocr_words', { mode: 'json' }).$type<OcrWordTuple[]>(),
    /** OCR pages: the straightened page image the words were read from, a JPEG in the blob store (JSON). */
    ocrImage: text('ocr_image', { mode: 'json' }).$type<PageImageRef>(),
  },
  (table) => [uniqueIndex('pages_document_page').on(table.documentId, table.pageNo)],
);

/** Machine output: replaced as a whole when a document is re-extracted by a newer rules version. */
export const statements = sqliteTable(
  'statements',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    documentId: integer('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
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
    /** Gazetteer codes the places resolve to (admin_units.code); null when unresolved. */
    provinceCode: text('province_code'),
    districtCode: text('district_code'),
    communeCode: text('commune_code'),
    /**
     * Which gazetteer the codes are from: `three_level` (units before 1 July 2025, admin_units) or
     * `two_level_2025` (the units formed on 1 July 2025, admin_units_2025). New codes reuse old
     * ones for other, larger units, so a code means nothing without it.
     */
    unitSystem: text('unit_system', { enum: ['three_level', 'two_level_2025'] })
      .notNull()
      .default('three_level'),
    /** How each place was resolved: name as written, code, method, confidence, basis (JSON). */
    places: text('places', { mode: 'json' }).$type<PlaceUnits>(),
    /** The kind's own fields (met/total, status/criteria, …) as JSON. */
    payload: text('payload', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
    /**
     * Identifies the claim independently of row ids and rule details (kind, place, level, date,
     * quote), so a reviewer's correction still finds it after re-extraction.
     */
    fingerprint: text('fingerprint').notNull(),
  },
  (table) => [
    index('statements_document').on(table.documentId),
    index('statements_commune').on(table.commune),
    index('statements_commune_code').on(table.communeCode, table.level, table.asOf),
    // The claim views look for one commune's counts, or its criteria lists, not both.
    index('statements_commune_kind').on(table.communeCode, table.kind),
    index('statements_district_code').on(table.districtCode),
  ],
);

export const flags = sqliteTable(
  'flags',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    documentId: integer('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    type: text('type').notNull().$type<FlagType>(),
    message: text('message').notNull(),
    /** Ids of the statements involved (JSON array); a cross-document flag's come from several documents. */
    statementIds: text('statement_ids', { mode: 'json' }).notNull().$type<number[]>(),
    rulesVersion: text('rules_version').notNull(),
    /**
     * `document`: found within the document (replaced with its statements); `cross_document`:
     * found against other stored documents when this one was persisted, recomputed whenever a
     * document with the same `conflict_key` is persisted again.
     */
    scope: text('scope', { enum: ['document', 'cross_document'] })
      .notNull()
      .default('document'),
    /** What a cross-document flag is about ("commune code|level|as-of"), to find and recompute it. */
    conflictKey: text('conflict_key'),
  },
  (table) => [index('flags_document').on(table.documentId), index('flags_conflict').on(table.conflictKey)],
);

/** A quote from a stored page; belongs to a statement or to a flag (its evidence). */
export const citations = sqliteTable(
  'citations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    documentId: integer('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    statementId: integer('statement_id').references((): AnySQLiteColumn => statements.id, { onDelete: 'cascade' }),
    flagId: integer('flag_id').references((): AnySQLiteColumn => flags.id, { onDelete: 'cascade' }),
    ordinal: integer('ordinal').notNull(),
    pageNo: integer('page_no').notNull(),
    start: integer('start').notNull(),
    end: integer('end').notNull(),
    quote: text('quote').notNull(),
    /** The table row a statement was read from (its number in the table on that page); null for prose. */
    tableRow: integer('table_row'),
  },
  (table) => [
    index('citations_statement').on(table.statementId),
    index('citations_flag').on(table.flagId),
    // Re-persisting a document deletes its citations by document; the export reads them by document.
    index('citations_document').on(table.documentId),
  ],
);

/**
 * The statements each flag names (flags.statement_ids, one row each), filled by a trigger on
 * flags (migration 0008): "which flags name these statements" is then an index look-up instead
 * of reading every flag's JSON list.
 */
export const flagStatements = sqliteTable(
  'flag_statements',
  {
    flagId: integer('flag_id')
      .notNull()
      .references(() => flags.id, { onDelete: 'cascade' }),
    statementId: integer('statement_id').notNull(),
  },
  (table) => [primaryKey({ columns: [table.statementId, table.flagId] }), index('flag_statements_flag').on(table.flagId)],
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
    action: text('action', { enum: ['accept', 'replace', 'reject', 'add'] }).notNull(),
    /** The corrected fields (JSON), in the export contract's names. */
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>(),
    reviewer: text('reviewer').notNull(),
    note: text('note'),
    createdAt: timestamps.createdAt,
  },
  (table) => [index('corrections_target').on(table.documentSha256, table.statementFingerprint)],
);

/**
 * The gazetteer (db/reference/units_history.csv): one row per GSO code with its latest version.
 * Loaded by db/gazetteer.loader.ts when a database is opened, only if the file changed.
 */
export const adminUnits = sqliteTable(
  'admin_units',
  {
    /** GSO code, a string: 2 digits for a province, 3 for a district, 5 for a commune. */
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    /** "tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn". */
    type: text('type').notNull(),
    fullName: text('full_name').notNull(),
    /** 1 province, 2 district, 3 commune. */
    level: integer('level').notNull(),
    parentCode: text('parent_code'),
    provinceCode: text('province_code'),
    districtCode: text('district_code'),
    /** The name folded for search: lower case, no diacritics, đ → d. */
    foldedName: text('folded_name').notNull(),
    validFrom: text('valid_from').notNull(),
    /** First day the unit no longer existed under this version; null if still valid on 01/03/2025. */
    validTo: text('valid_to'),
    /** Part of the 01/05/2024 snapshot. */
    inSnapshot: integer('in_snapshot', { mode: 'boolean' }).notNull(),
  },
  (table) => [index('admin_units_parent').on(table.parentCode), index('admin_units_name').on(table.level, table.foldedName)],
);

/** Every version (name, type, parent) a unit had between 2012 and 2025, with its dates: former names resolve through it. */
export const adminUnitVersions = sqliteTable(
  'admin_unit_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    type: text('type').notNull(),
    level: integer('level').notNull(),
    parentCode: text('parent_code'),
    foldedName: text('folded_name').notNull(),
    validFrom: text('valid_from').notNull(),
    validTo: text('valid_to'),
  },
  (table) => [index('admin_unit_versions_code').on(table.code), index('admin_unit_versions_name').on(table.level, table.foldedName)],
);

/**
 * The units in force from 1 July 2025 (db/reference/units_2025.csv): 34 provinces and 3,321
 * communes, each commune directly under its province.
 */
export const adminUnits2025 = sqliteTable(
  'admin_units_2025',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    /** "tỉnh", "thành phố", "xã", "phường", "đặc khu". */
    type: text('type').notNull(),
    fullName: text('full_name').notNull(),
    /** 1 province, 3 commune (no districts). */
    level: integer('level').notNull(),
    /** The province of a commune. */
    parentCode: text('parent_code'),
    foldedName: text('folded_name').notNull(),
  },
  (table) => [index('admin_units_2025_parent').on(table.parentCode), index('admin_units_2025_name').on(table.level, table.foldedName)],
);

/**
 * Which pre-reform commune (admin_units, the 01/03/2025 snapshot) became which new commune on
 * 1 July 2025 (db/reference/mapping_2025_old_to_new.csv): `full` when all of it went there,
 * `partial` when it was split between several.
 */
export const adminUnitSuccessions = sqliteTable(
  'admin_unit_successions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    oldCode: text('old_code').notNull(),
    oldFullName: text('old_full_name').notNull(),
    oldParentCode: text('old_parent_code'),
    newCode: text('new_code').notNull(),
    newFullName: text('new_full_name').notNull(),
    newProvinceCode: text('new_province_code').notNull(),
    mergeType: text('merge_type', { enum: ['full', 'partial'] }).notNull(),
  },
  (table) => [index('admin_unit_successions_old').on(table.oldCode), index('admin_unit_successions_new').on(table.newCode)],
);

/** Which version of each reference file a database holds (its SHA-256), so loading happens once. */
export const referenceData = sqliteTable('reference_data', {
  name: text('name').primaryKey(),
  sha256: text('sha256').notNull(),
  rows: integer('rows').notNull(),
  loadedAt: text('loaded_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
});

/**
 * API tokens of the review server (`ntm token create`): only the SHA-256 of the secret is kept,
 * so a copy of the database gives no way in. Revoked tokens stay, for the reviewers' history.
 */
export const apiTokens = sqliteTable('api_tokens', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** Who uses it; recorded as the reviewer of every action taken with it. */
  name: text('name').notNull().unique(),
  role: text('role', { enum: ['uploader', 'reviewer', 'reader', 'admin'] }).notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  revokedAt: text('revoked_at'),
});

/**
 * Browser sessions of the review pages, so a restart logs nobody out. Only the SHA-256 of the
 * session id (the cookie) is stored: the database alone opens no session. A session lives as
 * long as its token is not revoked and `expires_at` has not passed.
 */
export const sessions = sqliteTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    tokenId: integer('token_id')
      .notNull()
      .references(() => apiTokens.id, { onDelete: 'cascade' }),
    createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
    expiresAt: text('expires_at').notNull(),
  },
  (table) => [index('sessions_token').on(table.tokenId)],
);
