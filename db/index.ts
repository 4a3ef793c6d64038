export { openDatabase, closeDatabase, DatabaseSchemaError, type Database, type OpenOptions } from './client.js';
export { DocumentRepository, type DocumentRow, type DocumentStatus, type ExtractedDocument, type NewDocument } from './document.repository.js';
export { StatementQueries, type CitationRecord, type DocumentRef, type FlagRecord, type StatementRecord } from './statement.queries.js';
export {
  StatusQueries,
  type CountClaim,
  type CriterionClaim,
  type FlagRow,
  type PredecessorRow,
  type Unit2025Row,
  type UnitRow,
  type UnitSystemName,
} from './status.queries.js';
export { StandingClaimsQueries, type Area, type CommuneUnit, type StandingCount, type StandingCriterion } from './standing-claims.queries.js';
