import type BetterSqlite3 from 'better-sqlite3';
import { countKey, findCountConflict, type CountClaim, type CountKey } from '../extractors/consistency/cross-document-checks.js';

export type { CountKey } from '../extractors/consistency/cross-document-checks.js';

/**
 * `contradictory_counts` across documents: the queries that feed the decision
 * (extractors/consistency/cross-document-checks.ts) and the writes that store its flags. Run by
 * the single writer inside the transaction that persists a document, for every (commune, level,
 * as-of) its old and new statements touch: the flags stored for those keys are dropped and worked
 * out again from every stored document, so they stay right whichever of the documents is
 * re-extracted later. The flag belongs to the document being persisted.
 */
export function recomputeCountConflicts(client: BetterSqlite3.Database, keys: readonly CountKey[], ownerDocumentId: number, rulesVersion: string): number {
  const unique = new Map(keys.map((key) => [countKey(key), key]));
  if (unique.size === 0) return 0;
  const drop = client.prepare("delete from flags where scope = 'cross_document' and conflict_key = ?");
  const claims = client.prepare(`
    select s.id as id, s.document_id as documentId, d.file_name as fileName, s.commune as commune, s.assessment as assessment, s.criteria_set as criteriaSet,
           cast(json_extract(s.payload, '$.met') as integer) as met, cast(json_extract(s.payload, '$.total') as integer) as total
    from statements s join documents d on d.id = s.document_id
    where s.kind = 'commune_count' and s.commune_code = ? and s.level is ? and s.as_of = ? and s.unit_system = ?
    order by s.document_id, s.ordinal`);
  const insertFlag = client.prepare(
    "insert into flags (document_id, type, message, statement_ids, rules_version, scope, conflict_key) values (?, 'contradictory_counts', ?, ?, ?, 'cross_document', ?)",
  );
  const firstCitation = client.prepare(
    'select document_id as documentId, page_no as pageNo, start, "end", quote from citations where statement_id = ? order by ordinal limit 1',
  );
  const insertCitation = client.prepare('insert into citations (document_id, flag_id, ordinal, page_no, start, "end", quote) values (?, ?, ?, ?, ?, ?, ?)');
  let found = 0;
  for (const [conflictKey, key] of unique) {
    drop.run(conflictKey);
    const conflict = findCountConflict(key, claims.all(key.communeCode, key.level, key.asOf, key.unitSystem ?? 'three_level') as CountClaim[]);
    if (!conflict) continue;
    const flagId = Number(insertFlag.run(ownerDocumentId, conflict.message, JSON.stringify(conflict.statementIds), rulesVersion, conflictKey).lastInsertRowid);
    let ordinal = 0;
    for (const statementId of conflict.evidenceStatementIds) {
      const citation = firstCitation.get(statementId) as { documentId: number; pageNo: number; start: number; end: number; quote: string } | undefined;
      if (citation) insertCitation.run(citation.documentId, flagId, ordinal++, citation.pageNo, citation.start, citation.end, citation.quote);
    }
    found += 1;
  }
  return found;
}
