export { openDatabase, closeDatabase, DatabaseSchemaError, type Database, type OpenOptions } from './client.js';
export { DocumentRepository, type DocumentRow, type DocumentStatus, type ExtractedDocument, type NewDocument } from './document.repository.js';
export { StatementQueries, type CitationRecord, type DocumentRef, type FlagRecord, type StatementRecord } from './statement.queries.js';
export { StatusQueries, type CountClaim, type CriterionClaim, type FlagRow, type UnitRow } from './status.queries.js';
