import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { asc, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { StatementQueries, StatusQueries } from '../../db/index.js';
import { documents, pages } from '../../db/schema.js';
import { exportRecords, formatExport } from '../report/export-writer.js';
import { statementExport, flagExport } from '../report/export-records.js';
import { HttpError, requireRole } from './auth.js';
import type { ServerContext } from './build-server.js';
import { filterFlags, filterStatements } from './statement-filter.js';

const id = z.object({ id: z.coerce.number().int().positive() });
const documentSchema = z.object({
  id: z.number(),
  sha256: z.string(),
  fileName: z.string(),
  fileKind: z.string().nullable(),
  sizeBytes: z.number(),
  status: z.string(),
  error: z.string().nullable(),
  docType: z.string().nullable(),
  docNumber: z.string().nullable(),
  docDate: z.string().nullable(),
  rulesVersion: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const outcomeSchema = z.object({ fileName: z.string(), documentId: z.number().nullable(), status: z.string(), error: z.string().nullable() });
const boolString = z.enum(['true', 'false']).transform((value) => value === 'true');
export const statementQuery = z.object({
  province: z.string().optional(),
  district: z.string().optional(),
  commune: z.string().optional(),
  kind: z.string().optional(),
  flagType: z.string().optional(),
  document: z.coerce.number().int().optional(),
  reviewed: boolString.optional(),
  confidenceBelow: z.coerce.number().min(0).max(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});

const documentView = (row: typeof documents.$inferSelect) => ({
  id: row.id,
  sha256: row.sha256,
  fileName: row.fileName,
  fileKind: row.fileKind,
  sizeBytes: row.sizeBytes,
  status: row.status,
  error: row.error,
  docType: row.docType,
  docNumber: row.docNumber,
  docDate: row.docDate,
  rulesVersion: row.rulesVersion,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

/** A statement as the API gives it: the export's shape plus what a reviewer needs to act on it. */
export const statementView = (s: Parameters<typeof statementExport>[0]) => ({
  ...statementExport(s),
  fingerprint: s.fingerprint,
  review: s.review,
  machine: s.payload,
});

export function registerDocumentRoutes(app: FastifyInstance, context: ServerContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const readers = requireRole(context.tokens, context.sessions, ['reader', 'reviewer', 'uploader']);
  const uploaders = requireRole(context.tokens, context.sessions, ['uploader']);
  const queries = () => new StatementQueries(context.db);

  api.post(
    '/api/documents',
    {
      preHandler: uploaders,
      schema: {
        tags: ['documents'],
        summary: 'upload one or many files (multipart); answered at once, processed in the background',
        response: { 200: z.object({ documents: z.array(outcomeSchema) }) },
      },
    },
    async (request) => {
      if (!request.isMultipart()) throw new HttpError(400, 'send the files as multipart/form-data');
      const results: Array<z.infer<typeof outcomeSchema>> = [];
      for await (const part of request.files()) {
        // toBuffer throws a 413 error past the size limit (@fastify/multipart's fileSize).
        const bytes = await part.toBuffer();
        const name = part.filename || 'upload';
        const outcome = await context.ingestion.upload(name, bytes);
        results.push({
          fileName: name,
          documentId: outcome.documentId,
          status: outcome.status === 'new' || outcome.status === 'reprocessed' ? 'done' : outcome.status,
          error: outcome.error,
        });
      }
      if (results.length === 0) throw new HttpError(400, 'no file in the request');
      return { documents: results };
    },
  );

  api.get(
    '/api/documents',
    {
      preHandler: readers,
      schema: {
        tags: ['documents'],
        summary: 'documents, newest first',
        querystring: z.object({
          status: z.enum(['queued', 'processing', 'done', 'failed']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.object({ total: z.number(), documents: z.array(documentSchema) }) },
      },
    },
    async (request) => {
      const where = request.query.status ? eq(documents.status, request.query.status) : undefined;
      const rows = context.db.select().from(documents).where(where).orderBy(desc(documents.id)).all();
      return { total: rows.length, documents: rows.slice(request.query.offset, request.query.offset + request.query.limit).map(documentView) };
    },
  );

  api.get(
    '/api/documents/:id',
    { preHandler: readers, schema: { tags: ['documents'], summary: 'one document with its pages, statements and flags', params: id } },
    async (request) => {
      const row = context.db.select().from(documents).where(eq(documents.id, request.params.id)).get();
      if (!row) throw new HttpError(404, `no document ${request.params.id}`);
      const pageRows = context.db
        .select({ page: pages.pageNo, text: pages.text, source: pages.source, ocrConfidence: pages.ocrConfidence, ocrImage: pages.ocrImage })
        .from(pages)
        .where(eq(pages.documentId, row.id))
        .orderBy(asc(pages.pageNo))
        .all()
        // hasImage: the page image and word boxes are at /api/documents/:id/pages/:page/ocr.
        .map(({ ocrImage, ...page }) => ({ ...page, hasImage: ocrImage !== null }));
      const q = queries();
      return {
        document: documentView(row),
        progress: context.ingestion.progress(row.id, row.status) ?? null,
        pages: pageRows,
        statements: filterStatements(q.statements(), { document: row.id }).map(statementView),
        flags: filterFlags(q.flags(), { document: row.id }).map(flagExport),
      };
    },
  );

  api.post(
    '/api/documents/:id/reprocess',
    { preHandler: uploaders, schema: { tags: ['documents'], summary: 'read the stored pages again with the current rules', params: id } },
    async (request) => {
      if (!context.ingestion.reprocess(request.params.id)) throw new HttpError(409, `document ${request.params.id} is not done, or does not exist`);
      return { ok: true };
    },
  );

  api.get(
    '/api/statements',
    { preHandler: readers, schema: { tags: ['statements'], summary: 'statements, filtered', querystring: statementQuery } },
    async (request) => {
      const { limit, offset, ...filter } = request.query;
      const found = filterStatements(queries().statements(), filter);
      return { total: found.length, statements: found.slice(offset, offset + limit).map(statementView) };
    },
  );

  api.get(
    '/api/flags',
    {
      preHandler: readers,
      schema: {
        tags: ['statements'],
        summary: 'flags, filtered',
        querystring: z.object({ type: z.string().optional(), document: z.coerce.number().int().optional() }),
      },
    },
    async (request) => ({ flags: filterFlags(queries().flags(), request.query).map(flagExport) }),
  );

  const code = z.object({ code: z.string().regex(/^\d{5}$/, 'a 5-digit commune code') });
  api.get(
    '/api/communes/:code/status',
    { preHandler: readers, schema: { tags: ['communes'], summary: 'the claims that stand for a commune', params: code } },
    async (request) => {
      const status = new StatusQueries(context.db);
      return {
        counts: status.countClaims(request.params.code).filter((claim) => claim.standing),
        criteria: status.criterionClaims(request.params.code).filter((claim) => claim.standing),
      };
    },
  );
  api.get(
    '/api/communes/:code/timeline',
    { preHandler: readers, schema: { tags: ['communes'], summary: 'every claim about a commune, the standing ones marked', params: code } },
    async (request) => {
      const status = new StatusQueries(context.db);
      return { counts: status.countClaims(request.params.code), criteria: status.criterionClaims(request.params.code) };
    },
  );

  api.get(
    '/api/export',
    {
      preHandler: readers,
      schema: { tags: ['export'], summary: 'the export contract as a download', querystring: z.object({ format: z.enum(['jsonl', 'csv']).default('jsonl') }) },
    },
    async (request, reply) => {
      const format = request.query.format;
      reply.header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="ntm-export.${format}"`);
      return formatExport(exportRecords(queries()), format, { bom: format === 'csv' });
    },
  );
}
