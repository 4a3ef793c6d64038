import { createHash } from 'node:crypto';
import type { Statement } from '../extractors/statement.js';
import { foldPhrase } from '../extractors/text/match-view.js';

/** What a claim is about, without rule names or offsets: stable across rules versions. */
function claimKey(statement: Statement): string {
  const place = foldPhrase(statement.place.commune ?? statement.place.district ?? '');
  const detail =
    statement.kind === 'criteria_list' || statement.kind === 'indicator_list'
      ? statement.status
      : statement.kind === 'district_aggregate'
        ? `${statement.metric}:${statement.nCriteria ?? ''}`
        : statement.kind === 'target'
          ? String(statement.year ?? '')
          : '';
  return [statement.kind, place, statement.level ?? '', statement.asOf ?? '', detail].join('|');
}

/**
 * Fingerprints for a document's statements: the claim key plus its rank among equal keys, hashed.
 * A reviewer's correction refers to a fingerprint, so it survives re-extraction.
 */
export function fingerprints(statements: Statement[]): string[] {
  const seen = new Map<string, number>();
  return statements.map((statement) => {
    const key = claimKey(statement);
    const rank = seen.get(key) ?? 0;
    seen.set(key, rank + 1);
    return createHash('sha256').update(`${key}#${rank}`).digest('hex').slice(0, 24);
  });
}
