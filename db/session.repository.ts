import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import { hashToken, type TokenHolder } from './api-token.repository.js';
import type { Database } from './client.js';
import { apiTokens, sessions } from './schema.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Sessions of the review pages, in SQLite so they outlive a restart. The id (the cookie's
 * value) is 32 random bytes, stored only as its SHA-256; the CSRF value is derived from the
 * id (a page can read it back after a reload, another site cannot compute it without the
 * HttpOnly cookie), so nothing stored opens a session or forges an action.
 */
export class SessionRepository {
  constructor(
    private readonly db: Database,
    private readonly lifetimeMs: number,
  ) {}

  /** Opens a session for an active token's secret; undefined when the token is not valid. */
  open(secret: string, now = Date.now()): { id: string; csrf: string; holder: TokenHolder } | undefined {
    const token = this.db
      .select({ id: apiTokens.id, name: apiTokens.name, role: apiTokens.role })
      .from(apiTokens)
      .where(and(eq(apiTokens.tokenHash, hashToken(secret)), isNull(apiTokens.revokedAt)))
      .get();
    if (!token) return undefined;
    // Expired sessions go when a new one starts: no timer, and the table stays small.
    this.db
      .delete(sessions)
      .where(lt(sessions.expiresAt, new Date(now).toISOString()))
      .run();
    const id = randomBytes(32).toString('base64url');
    this.db
      .insert(sessions)
      .values({ idHash: sha256(id), tokenId: token.id, expiresAt: new Date(now + this.lifetimeMs).toISOString() })
      .run();
    return { id, csrf: csrfFor(id), holder: { name: token.name, role: token.role } };
  }

  /** The holder of a live session whose token is still active, with the session's CSRF value. */
  get(id: string | undefined, now = Date.now()): { holder: TokenHolder; csrf: string } | undefined {
    if (!id) return undefined;
    const row = this.db
      .select({ name: apiTokens.name, role: apiTokens.role })
      .from(sessions)
      .innerJoin(apiTokens, eq(apiTokens.id, sessions.tokenId))
      .where(and(eq(sessions.idHash, sha256(id)), gt(sessions.expiresAt, new Date(now).toISOString()), isNull(apiTokens.revokedAt)))
      .get();
    return row ? { holder: row, csrf: csrfFor(id) } : undefined;
  }

  close(id: string | undefined): void {
    if (id)
      this.db
        .delete(sessions)
        .where(eq(sessions.idHash, sha256(id)))
        .run();
  }
}

/** A different hash of the id than the stored one, so the stored hash does not give it away. */
function csrfFor(id: string): string {
  return sha256(`csrf:${id}`).slice(0, 32);
}
