import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiTokenRepository, TokenHolder, TokenRole } from '../../db/api-token.repository.js';
import type { SessionRepository } from '../../db/session.repository.js';

export const SESSION_COOKIE = 'ntm_session';
/** Sent back by the page on every action: a cross-site form cannot know it (and the cookie is SameSite=Strict anyway). */
export const CSRF_HEADER = 'x-ntm-csrf';
/** A session lasts a working day (12 hours); a restart of the server does not end it (see SessionRepository). */
export const SESSION_MS = 12 * 60 * 60 * 1000;

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

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who is asking: a bearer token (scripts), or the session cookie of the page, whose actions
 * must also carry the session's CSRF value. Throws 401 when neither is valid.
 */
export function authenticate(request: FastifyRequest, tokens: ApiTokenRepository, sessions: SessionRepository): TokenHolder {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const holder = match ? tokens.holder(match[1] as string) : undefined;
    if (!holder) throw new HttpError(401, 'invalid or revoked token');
    return holder;
  }
  // Expired, closed, or its token revoked: all the same to the page, which asks for a token again.
  const session = sessions.get(request.cookies[SESSION_COOKIE]);
  if (!session) throw new HttpError(401, 'a token is needed (Authorization: Bearer …, or log in on the page)');
  if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== session.csrf) throw new HttpError(403, 'missing or wrong CSRF header');
  return session.holder;
}

/** A preHandler letting in only these roles (admin always). */
export function requireRole(tokens: ApiTokenRepository, sessions: SessionRepository, roles: readonly TokenRole[]) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const holder = authenticate(request, tokens, sessions);
    if (holder.role !== 'admin' && !roles.includes(holder.role))
      throw new HttpError(403, `the ${holder.role} role cannot do this (needs ${roles.join(' or ')})`);
    request.holder = holder;
  };
}
