import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { StatusQueries } from '../../db/index.js';
import { criteriaSets } from '../../extractors/criteria-sets/criteria-sets.js';
import { requireRole } from './auth.js';
import type { ServerContext } from './build-server.js';

/** What the correction form may offer: the criteria of each set, the communes of a district. */
export function registerReferenceRoutes(app: FastifyInstance, context: ServerContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const readers = requireRole(context.tokens, context.sessions, ['reader', 'reviewer', 'uploader']);
  api.get(
    '/api/reference/criteria-sets',
    { preHandler: readers, schema: { tags: ['reference'], summary: 'the criteria sets and their numbered criteria' } },
    async () => ({
      criteriaSets: criteriaSets().map((set) => ({
        code: set.code,
        title: set.title,
        level: set.level,
        criteria: set.criteria.map((c) => ({ number: c.number, name: c.name })),
      })),
    }),
  );
  api.get(
    '/api/reference/units/:code/children',
    {
      preHandler: readers,
      schema: {
        tags: ['reference'],
        summary: 'the units under a province or district (gazetteer before 1 July 2025)',
        params: z.object({ code: z.string().regex(/^\d{2,3}$/) }),
      },
    },
    async (request) => ({
      units: new StatusQueries(context.db).childrenOf(request.params.code).map((u) => ({ code: u.code, name: u.name, type: u.type, validTo: u.validTo })),
    }),
  );
  api.get(
    '/api/reference/units-2025/:province/communes',
    {
      preHandler: readers,
      schema: {
        tags: ['reference'],
        summary: 'the communes of a province of 1 July 2025 (two levels: no districts), for documents dated from then',
        params: z.object({ province: z.string().regex(/^\d{2}$/, 'a 2-digit province code') }),
      },
    },
    async (request) => ({
      units: new StatusQueries(context.db).communes2025Of(request.params.province).map((u) => ({ code: u.code, name: u.name, type: u.type })),
    }),
  );
}
