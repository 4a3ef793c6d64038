import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { wordFromTuple } from '../../db/document.repository.js';
import { pages } from '../../db/schema.js';
import { HttpError, requireRole } from './auth.js';
import type { ServerContext } from './build-server.js';

const pageParams = z.object({ id: z.coerce.number().int().positive(), page: z.coerce.number().int().positive() });
const wordSchema = z.object({
  start: z.number(),
  end: z.number(),
  left: z.number(),
  top: z.number(),
  width: z.number(),
  height: z.number(),
  confidence: z.number(),
});

/** An OCR'd page's image and the boxes of its words, for the review page; same roles as the document itself. */
export function registerPageImageRoutes(app: FastifyInstance, context: ServerContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const readers = requireRole(context.tokens, context.sessions, ['reader', 'reviewer', 'uploader']);
  const ocrPage = (documentId: number, pageNo: number) => {
    const row = context.db
      .select({ source: pages.source, ocrWords: pages.ocrWords, ocrImage: pages.ocrImage })
      .from(pages)
      .where(and(eq(pages.documentId, documentId), eq(pages.pageNo, pageNo)))
      .get();
    if (!row) throw new HttpError(404, `document ${documentId} has no page ${pageNo}`);
    if (!row.ocrImage) throw new HttpError(404, `page ${pageNo} of document ${documentId} was not read by OCR, or was read before page images were kept`);
    return { ...row, ocrImage: row.ocrImage };
  };

  api.get(
    '/api/documents/:id/pages/:page/ocr',
    {
      preHandler: readers,
      schema: {
        tags: ['documents'],
        summary: "an OCR'd page: its image's size and every word's box on it with its span of the page text",
        params: pageParams,
        response: { 200: z.object({ image: z.object({ url: z.string(), width: z.number(), height: z.number() }), words: z.array(wordSchema) }) },
      },
    },
    async (request) => {
      const { id, page } = request.params;
      const row = ocrPage(id, page);
      return {
        image: { url: `/api/documents/${id}/pages/${page}/image`, width: row.ocrImage.width, height: row.ocrImage.height },
        words: (row.ocrWords ?? []).map(wordFromTuple),
      };
    },
  );

  api.get(
    '/api/documents/:id/pages/:page/image',
    { preHandler: readers, schema: { tags: ['documents'], summary: "an OCR'd page's image (JPEG, straightened as it was read)", params: pageParams } },
    async (request, reply) => {
      const row = ocrPage(request.params.id, request.params.page);
      let bytes: Buffer;
      try {
        bytes = await context.blobs.getPageImage(row.ocrImage.sha256);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT')
          throw new HttpError(404, `the image of page ${request.params.page} is missing from the blob store`);
        throw error;
      }
      // Content-addressed: the same URL may change image only when the document is read again.
      return reply.header('content-type', 'image/jpeg').header('cache-control', 'private, no-cache').send(bytes);
    },
  );
}
