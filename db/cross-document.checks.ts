import type BetterSqlite3 from 'better-sqlite3';

/** A commune's count claims that may contradict each other: same commune code, level and as-of date. */
export interface CountKey {
  communeCode: string;
  level: string | null;
  asOf: string;
  /** Which gazetteer the code is from (codes are reused after 1 July 2025); three_level when absent. */
  unitSystem?: string;
}

interface CountRow {
  id: number;
  documentId: number;
  fileName: string;
  commune: string | null;
  met: number;
  total: number;
  assessment: string | null;
  criteriaSet: string | null;
}

export function countKey(key: CountKey): string {
  const system = key.unitSystem && key.unitSystem !== 'three_level' ? `|${key.unitSystem}` : '';
  return `${key.communeCode}|${key.level ?? ''}|${key.asOf}${system}`;
}

/**
 * `contradictory_counts` across documents. Run by the single writer inside the transaction that
 * persists a document, for every (commune, level, as-of) its old and new statements touch: the
 * flags stored for those keys are dropped and worked out again from every stored document, so
 * they stay right whichever of the documents is re-extracted later.
 *
 * Two documents contradict each other when the counts they give for the same commune, level and
 * as-of date have nothing in common (a document that itself gives two counts already has its own
 * flag; the same report in PDF and DOCX gives the same counts and is no conflict). Different
 * dates are a timeline, not a conflict. The flag belongs to the document being persisted.
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
  const firstCitation = client.prepare('select document_id as documentId, page_no as pageNo, start, "end", quote from citations where statement_id = ? order by ordinal limit 1');
  const insertCitation = client.prepare('insert into citations (document_id, flag_id, ordinal, page_no, start, "end", quote) values (?, ?, ?, ?, ?, ?, ?)');
  let found = 0;
  for (const [conflictKey, key] of unique) {
    drop.run(conflictKey);
    const rows = claims.all(key.communeCode, key.level, key.asOf, key.unitSystem ?? 'three_level') as CountRow[];
    const byDocument = new Map<number, CountRow[]>();
    for (const row of rows) {
      const list = byDocument.get(row.documentId);
      if (list) list.push(row);
      else byDocument.set(row.documentId, [row]);
    }
    if (byDocument.size < 2) continue;
    // Counts against different criteria sets are never compared (a 2025 19/19 and a 2026 7/10).
    const valuesOf = (list: CountRow[]) => new Set(list.map((row) => `${row.criteriaSet}|${row.met}/${row.total}`));
    const setsOf = (list: CountRow[]) => new Set(list.map((row) => row.criteriaSet));
    const documents = [...byDocument.entries()];
    const disagreeing = new Set<number>();
    for (const [first, firstRows] of documents) {
      const firstValues = valuesOf(firstRows);
      const firstSets = setsOf(firstRows);
      for (const [second, secondRows] of documents) {
        if (second <= first) continue;
        if (![...setsOf(secondRows)].some((set) => firstSets.has(set))) continue;
        if (![...valuesOf(secondRows)].some((value) => firstValues.has(value))) {
          disagreeing.add(first);
          disagreeing.add(second);
        }
      }
    }
    if (disagreeing.size === 0) continue;
    const involved = rows.filter((row) => disagreeing.has(row.documentId));
    // "16/19 (reported) in a.pdf, a.docx; 17/19 (appraised) in b.txt": one entry per count and assessor.
    const groups = new Map<string, { files: string[]; first: CountRow }>();
    for (const row of involved) {
      const label = `${row.met}/${row.total} (${row.assessment ?? 'unknown assessor'})`;
      const group = groups.get(label) ?? { files: [], first: row };
      if (!group.files.includes(row.fileName)) group.files.push(row.fileName);
      groups.set(label, group);
    }
    const commune = involved.find((row) => row.commune)?.commune ?? key.communeCode;
    const message = `xã ${commune} (${key.communeCode}), ${key.level ?? 'no level'}, as of ${key.asOf}: documents of the same date give different counts — `
      + [...groups].map(([label, group]) => `${label} in ${group.files.join(', ')}`).join('; ');
    const flagId = Number(insertFlag.run(ownerDocumentId, message, JSON.stringify(involved.map((row) => row.id)), rulesVersion, conflictKey).lastInsertRowid);
    let ordinal = 0;
    for (const group of groups.values()) {
      const citation = firstCitation.get(group.first.id) as { documentId: number; pageNo: number; start: number; end: number; quote: string } | undefined;
      if (citation) insertCitation.run(citation.documentId, flagId, ordinal++, citation.pageNo, citation.start, citation.end, citation.quote);
    }
    found += 1;
  }
  return found;
}
