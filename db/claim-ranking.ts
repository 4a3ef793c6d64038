/**
 * The order in which the status views rank the claims about one criterion (the window of
 * v_criterion_history, db/migrations/0006_two_level_units.sql), for readers that rank in
 * TypeScript: the window ranks every criterion row with its quote, most of those readers' time.
 * test/scale-readers.test.ts holds these readers equal to the views.
 */
export interface RankKeys {
  rejected: boolean;
  authority: number;
  asOf: string | null;
  confidence: number;
  statementId: number | null;
}

/** SQLite's order: nulls first, then by value (the sets and ISO dates compared here are ASCII, so bytes and UTF-16 agree). */
export function compareNullsFirst(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/**
 * Whether claim `a` ranks before `b`: not rejected first, then the highest authority, the latest
 * date (SQLite puts nulls last in descending order), the highest confidence, the latest statement.
 */
export function ranksBefore(a: RankKeys, b: RankKeys): boolean {
  const order =
    Number(a.rejected) - Number(b.rejected) ||
    b.authority - a.authority ||
    compareNullsFirst(b.asOf, a.asOf) ||
    b.confidence - a.confidence ||
    compareNullsFirst(b.statementId, a.statementId);
  return order < 0;
}

/** The claim ranked first for each key, where it is not rejected (a rejected first claim means none stands). */
export function standingClaims<T extends RankKeys>(claims: Iterable<T>, keyOf: (claim: T) => string): T[] {
  const first = new Map<string, T>();
  for (const claim of claims) {
    const key = keyOf(claim);
    const current = first.get(key);
    if (!current || ranksBefore(claim, current)) first.set(key, claim);
  }
  return [...first.values()].filter((claim) => !claim.rejected);
}
