/**
 * The decisions of the cross-document checks, as pure functions: db/ runs the queries that feed
 * them and stores the flags they return (see db/cross-document.checks.ts). The in-document
 * checks are in consistency-checks.ts.
 */

/** A commune's count claims that may contradict each other: same commune code, level and as-of date. */
export interface CountKey {
  communeCode: string;
  level: string | null;
  asOf: string;
  /** Which gazetteer the code is from (codes are reused after 1 July 2025); three_level when absent. */
  unitSystem?: string;
}

/** One stored `commune_count` statement of a key, with the file it came from. */
export interface CountClaim {
  id: number;
  documentId: number;
  fileName: string;
  commune: string | null;
  met: number;
  total: number;
  assessment: string | null;
  criteriaSet: string | null;
}

/** A `contradictory_counts` finding across documents. */
export interface CountConflict {
  message: string;
  /** Every claim of the documents that disagree. */
  statementIds: number[];
  /** One claim per distinct count and assessor, in message order: their first citations are the flag's evidence. */
  evidenceStatementIds: number[];
}

/** The identity of a key, stored with its flags to find and recompute them. */
export function countKey(key: CountKey): string {
  const system = key.unitSystem && key.unitSystem !== 'three_level' ? `|${key.unitSystem}` : '';
  return `${key.communeCode}|${key.level ?? ''}|${key.asOf}${system}`;
}

/**
 * Two documents contradict each other when the counts they give for the same commune, level and
 * as-of date have nothing in common (a document that itself gives two counts already has its own
 * flag; the same report in PDF and DOCX gives the same counts and is no conflict). Different
 * dates are a timeline, not a conflict. `claims` are one key's, in document then statement order.
 */
export function findCountConflict(key: CountKey, claims: readonly CountClaim[]): CountConflict | null {
  const byDocument = new Map<number, CountClaim[]>();
  for (const claim of claims) {
    const list = byDocument.get(claim.documentId);
    if (list) list.push(claim);
    else byDocument.set(claim.documentId, [claim]);
  }
  if (byDocument.size < 2) return null;
  // Counts against different criteria sets are never compared (a 2025 19/19 and a 2026 7/10).
  const valuesOf = (list: CountClaim[]) => new Set(list.map((claim) => `${claim.criteriaSet}|${claim.met}/${claim.total}`));
  const setsOf = (list: CountClaim[]) => new Set(list.map((claim) => claim.criteriaSet));
  const documents = [...byDocument.entries()];
  const disagreeing = new Set<number>();
  for (const [first, firstClaims] of documents) {
    const firstValues = valuesOf(firstClaims);
    const firstSets = setsOf(firstClaims);
    for (const [second, secondClaims] of documents) {
      if (second <= first) continue;
      if (![...setsOf(secondClaims)].some((set) => firstSets.has(set))) continue;
      if (![...valuesOf(secondClaims)].some((value) => firstValues.has(value))) {
        disagreeing.add(first);
        disagreeing.add(second);
      }
    }
  }
  if (disagreeing.size === 0) return null;
  const involved = claims.filter((claim) => disagreeing.has(claim.documentId));
  // "16/19 (reported) in a.pdf, a.docx; 17/19 (appraised) in b.txt": one entry per count and assessor.
  const groups = new Map<string, { files: string[]; first: CountClaim }>();
  for (const claim of involved) {
    const label = `${claim.met}/${claim.total} (${claim.assessment ?? 'unknown assessor'})`;
    const group = groups.get(label) ?? { files: [], first: claim };
    if (!group.files.includes(claim.fileName)) group.files.push(claim.fileName);
    groups.set(label, group);
  }
  const commune = involved.find((claim) => claim.commune)?.commune ?? key.communeCode;
  const message =
    `xã ${commune} (${key.communeCode}), ${key.level ?? 'no level'}, as of ${key.asOf}: documents of the same date give different counts — ` +
    [...groups].map(([label, group]) => `${label} in ${group.files.join(', ')}`).join('; ');
  return { message, statementIds: involved.map((claim) => claim.id), evidenceStatementIds: [...groups.values()].map((group) => group.first.id) };
}
