import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { CorrectionRepository } from '../../db/correction.repository.js';
import { StatementQueries } from '../../db/index.js';
import { documents, pages } from '../../db/schema.js';
import { HttpError, requireRole } from './auth.js';
import type { ServerContext } from './build-server.js';
import { statementQuery, statementView } from './document.routes.js';
import { LOW_OCR_WORD_CONFIDENCE, quoteOcrConfidence } from './quote-ocr-confidence.js';
import { filterStatements, reviewQueue } from './statement-filter.js';
import { and } from 'drizzle-orm';
import { criteriaSetByCode } from '../../extractors/criteria-sets/criteria-sets.js';
import { StatusQueries } from '../../db/index.js';

const id = z.object({ id: z.coerce.number().int().positive() });
/** The values a correction may set, in the export contract's names; only valid values pass. */
export const correctionValues = z
  .object({
    met: z.number().int().min(0).max(40).optional(),
    total: z.number().int().min(1).max(40).optional(),
    level: z.enum(['ntm', 'nang_cao', 'kieu_mau']).optional(),
    criteriaSet: z
      .string()
      .regex(/^[a-z0-9_]{1,40}$/)
      .optional(),
    assessment: z.enum(['self', 'reported', 'appraised', 'recognized']).optional(),
    asOf: z
      .string()
      .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/)
      .optional(),
    status: z.enum(['met', 'unmet', 'near']).optional(),
    criteria: z.array(z.number().int().min(1).max(40)).max(40).optional(),
    commune: z
      .object({
        name: z.string().min(1).max(200),
        code: z
          .string()
          .regex(/^\d{5}$/)
          .nullable(),
      })
      .optional(),
  })
  .strict()
  .refine((v) => v.met === undefined || v.total === undefined || v.met <= v.total, { message: 'met cannot be over total' });

const reviewBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept'), comment: z.string().max(2000).optional() }),
  z.object({ action: z.literal('reject'), comment: z.string().max(2000).optional() }),
  z.object({ action: z.literal('correct'), values: correctionValues, comment: z.string().max(2000).optional() }),
]);

/** The span as offsets (a selection in the page text), or as the quote alone (typed), which must then occur once on the page. */
const missedBody = z
  .object({
    page: z.number().int().min(1),
    start: z.number().int().min(0).optional(),
    end: z.number().int().min(1).optional(),
    quote: z.string().min(1).max(4000).optional(),
    kind: z.enum(['commune_count', 'criteria_list']),
    values: correctionValues,
    comment: z.string().max(2000).optional(),
  })
  .refine((body) => (body.start !== undefined && body.end !== undefined) || body.quote !== undefined, {
    message: 'give the span as start and end, or the quote',
  });

/** Where the quote is on the page: the offsets given (the quote, when given too, must be what they cover), or its only occurrence. */
function spanOnPage(text: string, body: { page: number; start?: number | undefined; end?: number | undefined; quote?: string | undefined }) {
  const { page, start, end, quote } = body;
  if (start !== undefined && end !== undefined) {
    if (!(start < end && end <= text.length)) throw new HttpError(400, `the span [${start}, ${end}) is not within page ${page} (${text.length} characters)`);
    if (quote !== undefined && text.slice(start, end) !== quote) throw new HttpError(400, `the quote is not what page ${page} has at [${start}, ${end})`);
    return { start, end };
  }
  const wanted = quote ?? '';
  const at = text.indexOf(wanted);
  if (at < 0) throw new HttpError(400, `the quote is not on page ${page}: copy it from the page text, or select it there`);
  if (text.indexOf(wanted, at + 1) >= 0) throw new HttpError(400, `the quote occurs more than once on page ${page}: select the one you mean in the page text`);
  return { start: at, end: at + wanted.length };
}

/**
 * Checks corrected values against the reference data: criteria numbers and counts within the
 * statement's criteria set, a commune code that is a commune of the gazetteer (whose name it
 * takes). Returns the values to store.
 */
function checkedValues(
  values: z.infer<typeof correctionValues>,
  criteriaSet: string | null,
  status: StatusQueries,
  system: UnitSystem = 'three_level',
): z.infer<typeof correctionValues> {
  const setCode = values.criteriaSet ?? criteriaSet;
  if (values.criteriaSet !== undefined && !criteriaSetByCode(values.criteriaSet)) throw new HttpError(400, `unknown criteria set "${values.criteriaSet}"`);
  const set = setCode ? criteriaSetByCode(setCode) : undefined;
  if (set) {
    const numbers = new Set(set.criteria.map((c) => c.number));
    const outside = (values.criteria ?? []).filter((n) => !numbers.has(n));
    if (outside.length) throw new HttpError(400, `criteria ${outside.join(', ')} are not in the set ${set.code} (1–${Math.max(...numbers)})`);
    if (values.total !== undefined && values.total > numbers.size)
      throw new HttpError(400, `the set ${set.code} has ${numbers.size} criteria, not ${values.total}`);
  }
  if (values.commune?.code && system === 'two_level_2025') {
    // Codes were reused on 1 July 2025: a code is looked up in the gazetteer of the statement's date only.
    const unit = status.unit2025(values.commune.code);
    if (!unit) throw new HttpError(400, `${values.commune.code} is not a commune code of the units of 1 July 2025`);
    return { ...values, commune: { name: unit.name, code: unit.code } };
  }
  if (values.commune?.code) {
    const unit = status.unit(values.commune.code);
    if (!unit || unit.level !== 3) throw new HttpError(400, `${values.commune.code} is not a commune code of the gazetteer`);
    return { ...values, commune: { name: unit.name, code: unit.code } };
  }
  return values;
}

type UnitSystem = 'three_level' | 'two_level_2025';

/** The units of 1 July 2025 apply to a statement resolved against them, and to anything in a document dated from then. */
export function unitSystemOf(statementSystem: string | null | undefined, documentDate: string | null | undefined): UnitSystem {
  if (statementSystem === 'two_level_2025') return 'two_level_2025';
  return (documentDate ?? '').slice(0, 7) >= '2025-07' ? 'two_level_2025' : 'three_level';
}

export function registerReviewRoutes(app: FastifyInstance, context: ServerContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const readers = requireRole(context.tokens, context.sessions, ['reader', 'reviewer', 'uploader']);
  const reviewers = requireRole(context.tokens, context.sessions, ['reviewer']);
  const corrections = () => new CorrectionRepository(context.db);
  const statementById = (statementId: number) => {
    const found = new StatementQueries(context.db).statements().find((s) => s.id === statementId);
    if (!found) throw new HttpError(404, `no statement ${statementId}`);
    return found;
  };

  api.get(
    '/api/review/queue',
    {
      preHandler: readers,
      schema: {
        tags: ['review'],
        summary: 'unreviewed statements needing a human: flagged, then low OCR confidence in the quote, then low rule confidence (all=true: then the rest)',
        querystring: statementQuery.extend({
          all: z.enum(['true', 'false']).optional(),
          /** Tesseract word confidence (0–100) under which a quote's word puts its statement in the OCR tier. */
          ocrBelow: z.coerce.number().min(0).max(100).default(LOW_OCR_WORD_CONFIDENCE),
        }),
      },
    },
    async (request) => {
      const { limit, offset, all, ocrBelow, ...filter } = request.query;
      const statements = filterStatements(new StatementQueries(context.db).statements(), filter);
      const ocrConfidence = quoteOcrConfidence(context.db, statements);
      const queue = reviewQueue(statements, { all: all === 'true', ocrConfidence, lowOcrConfidence: ocrBelow });
      return {
        total: queue.length,
        statements: queue
          .slice(offset, offset + limit)
          .map((s) => ({ ...statementView(s), tier: s.tier, ...(ocrConfidence.has(s.id) ? { quoteOcrConfidence: ocrConfidence.get(s.id) } : {}) })),
      };
    },
  );

  api.get(
    '/api/statements/:id',
    { preHandler: readers, schema: { tags: ['statements'], summary: 'one statement with its history of reviews', params: id } },
    async (request) => {
      const statement = statementById(request.params.id);
      return { statement: statementView(statement), history: corrections().history(statement.document.sha256, statement.fingerprint) };
    },
  );

  api.post(
    '/api/statements/:id/review',
    {
      preHandler: reviewers,
      schema: { tags: ['review'], summary: 'accept, correct or reject a statement (appended; the latest counts)', params: id, body: reviewBody },
    },
    async (request) => {
      const statement = statementById(request.params.id);
      const body = request.body;
      const row = corrections().append({
        documentSha256: statement.document.sha256,
        statementFingerprint: statement.fingerprint,
        action: body.action === 'correct' ? 'replace' : body.action,
        payload:
          body.action === 'correct'
            ? {
                kind: statement.kind,
                ...checkedValues(
                  body.values,
                  statement.criteriaSet,
                  new StatusQueries(context.db),
                  unitSystemOf(statement.places?.system, statement.document.date),
                ),
              }
            : null,
        reviewer: request.holder!.name,
        note: body.comment ?? null,
      });
      return { correction: row, statement: statementView(statementById(request.params.id)) };
    },
  );

  api.post(
    '/api/documents/:id/missed',
    {
      preHandler: reviewers,
      schema: { tags: ['review'], summary: 'add a statement the rules did not read, from a span of a page', params: id, body: missedBody },
    },
    async (request) => {
      const document = context.db.select().from(documents).where(eq(documents.id, request.params.id)).get();
      if (!document) throw new HttpError(404, `no document ${request.params.id}`);
      const { page, kind, values, comment } = request.body;
      const text = context.db
        .select({ text: pages.text })
        .from(pages)
        .where(and(eq(pages.documentId, document.id), eq(pages.pageNo, page)))
        .get()?.text;
      if (text === undefined) throw new HttpError(400, `document ${document.id} has no page ${page}`);
      const { start, end } = spanOnPage(text, request.body);
      const system = unitSystemOf(null, document.docDate);
      const checked = checkedValues(values, null, new StatusQueries(context.db), system);
      const row = corrections().append({
        documentSha256: document.sha256,
        statementFingerprint: null,
        action: 'add',
        payload: { kind, ...checked, unitSystem: system, citation: { page, start, end, quote: text.slice(start, end) } },
        reviewer: request.holder!.name,
        note: comment ?? null,
      });
      return { correction: row };
    },
  );

  api.get(
    '/api/corrections/orphaned',
    { preHandler: readers, schema: { tags: ['review'], summary: 'actions whose statement re-extraction no longer finds' } },
    async () => ({ corrections: corrections().orphaned() }),
  );
}
