import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import { documents } from '../../db/schema.js';
import { requireRole } from './auth.js';
import type { ServerContext } from './build-server.js';
import type { DocumentProgress } from './ingestion.js';

/** How often the stream looks at the documents' status in the database (the persist stage's end is not a progress report). */
const STATUS_CHECK_MS = 400;
/** A comment line now and then keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

const FINISHED = new Set(['done', 'failed']);

/**
 * Progress as Server-Sent Events: `GET /api/documents/events?ids=1,2` sends a `state` event
 * for each document now, then on every progress report (stage, page n of m) and status
 * change, and `end` once all are done or failed. Written on the raw response: the protocol is
 * a few lines of text, and Fastify's own plugin (@fastify/sse) is still at 0.x. The pages
 * fall back to polling `GET /api/documents/:id` when the stream fails.
 */
export function registerProgressEventRoutes(app: FastifyInstance, context: ServerContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const readers = requireRole(context.tokens, context.sessions, ['reader', 'reviewer', 'uploader']);
  api.get(
    '/api/documents/events',
    {
      preHandler: readers,
      schema: {
        tags: ['documents'],
        summary: 'progress of documents as Server-Sent Events (text/event-stream): state events, then end',
        querystring: z.object({
          ids: z
            .string()
            .regex(/^\d+(,\d+){0,99}$/, 'up to 100 document ids, comma-separated')
            .transform((ids) => [...new Set(ids.split(',').map(Number))]),
        }),
      },
    },
    async (request, reply) => {
      const ids = request.query.ids;
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
      const send = (event: string, data: unknown) => raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

      const last = new Map<number, string>();
      const state = (id: number, status: string, error: string | null, progress?: DocumentProgress) => {
        const message = { documentId: id, status, error, ...(progress ? { progress } : {}) };
        const key = JSON.stringify(message);
        if (last.get(id) === key) return;
        last.set(id, key);
        send('state', message);
      };
      const check = () => {
        const rows = context.db
          .select({ id: documents.id, status: documents.status, error: documents.error })
          .from(documents)
          .where(inArray(documents.id, ids))
          .all();
        for (const id of ids.filter((id) => !rows.some((row) => row.id === id))) state(id, 'unknown', `no document ${id}`);
        for (const row of rows) state(row.id, row.status, row.error, context.ingestion.progress(row.id, row.status));
        // Unknown ids were said so once above; they do not keep the stream open.
        if (rows.every((row) => FINISHED.has(row.status))) finish();
      };

      let finished = false;
      const stopListening = context.ingestion.onProgress((id, progress) => {
        if (ids.includes(id)) state(id, 'processing', null, progress);
      });
      const timer = setInterval(check, STATUS_CHECK_MS);
      const heartbeat = setInterval(() => raw.write(': still here\n\n'), HEARTBEAT_MS);
      function finish() {
        if (finished) return;
        finished = true;
        send('end', { ids });
        cleanUp();
        raw.end();
      }
      function cleanUp() {
        clearInterval(timer);
        clearInterval(heartbeat);
        stopListening();
      }
      raw.on('close', () => {
        finished = true;
        cleanUp();
      });
      check();
    },
  );
}
