import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiTokenRepository, TokenHolder, TokenRole } from '../../db/api-token.repository.js';

export const SESSION_COOKIE = 'ntm_session';
/** Sent back by the page on every action: a cross-site form cannot know it (and the cookie is SameSite=Strict anyway). */
export const CSRF_HEADER = 'x-ntm-csrf';
const SESSION_MS = 12 * 60 * 60 * 1000;

interface Session {
  holder: TokenHolder;
  /** The token's secret, re-checked on each request so a revoked token ends its sessions. */
  secret: string;
  csrf: string;
  expires: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    holder?: TokenHolder;
  }
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** Browser sessions, in memory: a restart logs everyone out, which is acceptable for a review desk. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  open(holder: TokenHolder, secret: string): { id: string; csrf: string } {
    const id = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    this.sessions.set(id, { holder, secret, csrf, expires: Date.now() + SESSION_MS });
    return { id, csrf };
  }

  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (session && session.expires < Date.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  close(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who is asking: a bearer token (scripts), or the session cookie of the page, whose actions
 * must also carry the session's CSRF value. Throws 401 when neither is valid.
 */
export function authenticate(request: FastifyRequest, tokens: ApiTokenRepository, sessions: SessionStore): TokenHolder {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const holder = match ? tokens.holder(match[1] as string) : undefined;
    if (!holder) throw new HttpError(401, 'invalid or revoked token');
    return holder;
  }
  const session = sessions.get(request.cookies[SESSION_COOKIE]);
  if (!session) throw new HttpError(401, 'a token is needed (Authorization: Bearer …, or log in on the page)');
  const holder = tokens.holder(session.secret);
  if (!holder) throw new HttpError(401, 'the token of this session was revoked');
  if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== session.csrf) throw new HttpError(403, 'missing or wrong CSRF header');
  return holder;
}

/** A preHandler letting in only these roles (admin always). */
export function requireRole(tokens: ApiTokenRepository, sessions: SessionStore, roles: readonly TokenRole[]) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const holder = authenticate(request, tokens, sessions);
    if (holder.role !== 'admin' && !roles.includes(holder.role))
      throw new HttpError(403, `the ${holder.role} role cannot do this (needs ${roles.join(' or ')})`);
    request.holder = holder;
  };
}
