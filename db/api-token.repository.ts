import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from './client.js';
import { apiTokens } from './schema.js';

export const TOKEN_ROLES = ['uploader', 'reviewer', 'reader', 'admin'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

export interface TokenHolder {
  name: string;
  role: TokenRole;
}

/** The hash stored for a secret: a token is 32 random bytes, so a plain SHA-256 is enough (no guessing to slow down). */
export function hashToken(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export class TokenNameTakenError extends Error {
  constructor(name: string) {
    super(`A token named "${name}" exists already (revoked or not): choose another name`);
    this.name = 'TokenNameTakenError';
  }
}

/** API tokens: created with a secret shown once, looked up by its hash, revoked but never deleted. */
export class ApiTokenRepository {
  constructor(private readonly db: Database) {}

  /** Returns the secret; only its hash is stored. */
  create(name: string, role: TokenRole): string {
    if (this.db.select({ id: apiTokens.id }).from(apiTokens).where(eq(apiTokens.name, name)).get()) throw new TokenNameTakenError(name);
    const secret = `ntm_${randomBytes(32).toString('base64url')}`;
    this.db
      .insert(apiTokens)
      .values({ name, role, tokenHash: hashToken(secret) })
      .run();
    return secret;
  }

  /** True when a token of that name was active and is now revoked. */
  revoke(name: string): boolean {
    const result = this.db
      .update(apiTokens)
      .set({ revokedAt: new Date().toISOString() })
      .where(and(eq(apiTokens.name, name), isNull(apiTokens.revokedAt)))
      .run();
    return result.changes > 0;
  }

  /** The holder of an active token, or undefined. */
  holder(secret: string): TokenHolder | undefined {
    const row = this.db
      .select({ name: apiTokens.name, role: apiTokens.role })
      .from(apiTokens)
      .where(and(eq(apiTokens.tokenHash, hashToken(secret)), isNull(apiTokens.revokedAt)))
      .get();
    return row;
  }
}
