import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authenticate, HttpError, SESSION_COOKIE, SESSION_MS } from './auth.js';
import type { ServerContext } from './build-server.js';

const holderSchema = z.object({ name: z.string(), role: z.string(), csrf: z.string().nullable() });

/** The page logs in with a token once and keeps an HttpOnly, SameSite=Strict session cookie. */
export function registerSessionRoutes(app: FastifyInstance, context: ServerContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/api/session',
    {
      schema: {
        tags: ['session'],
        summary: 'log in with a token (sets the session cookie)',
        body: z.object({ token: z.string().min(1).max(200) }),
        response: { 200: holderSchema },
      },
    },
    async (request, reply) => {
      const session = context.sessions.open(request.body.token);
      if (!session) throw new HttpError(401, 'invalid or revoked token');
      reply.setCookie(SESSION_COOKIE, session.id, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        secure: request.protocol === 'https',
        maxAge: SESSION_MS / 1000,
      });
      return { name: session.holder.name, role: session.holder.role, csrf: session.csrf };
    },
  );
  api.get('/api/session', { schema: { tags: ['session'], summary: 'who is logged in', response: { 200: holderSchema } } }, async (request) => {
    const holder = authenticate(request, context.tokens, context.sessions);
    return { name: holder.name, role: holder.role, csrf: context.sessions.get(request.cookies[SESSION_COOKIE])?.csrf ?? null };
  });
  api.delete('/api/session', { schema: { tags: ['session'], summary: 'log out' } }, async (request, reply) => {
    context.sessions.close(request.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });
}
