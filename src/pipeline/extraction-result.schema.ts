import { z } from 'zod';
import { InvalidJobError } from '../../queues/invalid-job.error.js';
import { FLAG_TYPES, type StatementKind } from '../../extractors/statement.js';
import type { BlobStore } from './blob-store.js';
import type { ExtractionResult } from './extract-document.js';

const STATEMENT_KINDS = ['commune_count', 'criteria_list', 'indicator_list', 'district_aggregate', 'target'] as const satisfies readonly StatementKind[];

const count = z.number().int().nonnegative();
const span = z.object({ page: z.number().int().positive(), start: count, end: count, row: z.number().int().positive().optional() });

const pageText = z.object({
  page: z.number().int().positive(),
  text: z.string(),
  hasTextLayer: z.boolean(),
  source: z.enum(['text_layer', 'ocr', 'legacy_repaired']).optional(),
  ocrConfidence: z.number().optional(),
  ocrEngine: z.enum(['tesseractjs', 'native']).optional(),
  encoding: z.object({ from: z.enum(['tcvn3', 'vni']), doubtful: z.boolean() }).optional(),
  ocrWords: z
    .array(z.object({ start: count, end: count, left: count, top: count, width: count, height: count, confidence: z.number().min(0).max(100) }))
    .optional(),
  ocrImage: z
    .object({
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      width: z.number().int().positive(),
      height: z.number().int().positive(),
    })
    .optional(),
});

/** What every statement carries; the fields of each kind are the rules' and stored as they are. */
const statement = z.looseObject({
  kind: z.enum(STATEMENT_KINDS),
  index: count,
  citations: z.array(span),
  rule: z.string(),
  confidence: z.number(),
});

const flag = z.object({ type: z.enum(FLAG_TYPES), message: z.string(), statements: z.array(count), evidence: z.array(span) });

/**
 * The extract stage's result as the persist stage reads it back from the blob store: a file
 * anyone with access to the store could have replaced, checked like every job payload.
 */
export const extractionResultSchema = z.object({
  fileKind: z.enum(['pdf', 'docx', 'doc', 'txt', 'image']),
  mime: z.string(),
  pages: z.array(pageText),
  extraction: z.object({ metadata: z.record(z.string(), z.unknown()), statements: z.array(statement), flags: z.array(flag) }),
  rulesVersion: z.string().min(1),
});

/**
 * Reads and checks a result. A blob that is not JSON, not an extraction result, or another
 * rules version's than its key says fails the job at once (InvalidJobError) with the reason;
 * nothing is persisted. The value is returned as it was read, so what is stored is unchanged.
 */
export async function readExtractionResult(blobs: BlobStore, key: string, fileName: string): Promise<ExtractionResult> {
  const what = `result ${key} of ${fileName} in the blob store`;
  let value: unknown;
  try {
    value = await blobs.getResult(key);
  } catch (error) {
    if (error instanceof SyntaxError) throw new InvalidJobError(`${what} is not JSON (${error.message}): nothing persisted; extract it again with ntm requeue`);
    throw error;
  }
  const result = checkExtractionResult(value, what);
  if (!key.endsWith(`.rules-${result.rulesVersion}`)) {
    throw new InvalidJobError(
      `${what} was written by rules version ${JSON.stringify(result.rulesVersion).slice(0, 40)}, not the one its key names: nothing persisted`,
    );
  }
  return result;
}

/**
 * Checks a result that came in its persist job (small results travel inline): the job is input
 * like the blob, checked by the same schema, refused the same way.
 */
export function checkExtractionResult(value: unknown, what: string): ExtractionResult {
  const parsed = extractionResultSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || 'result'}: ${issue.message}`)
      .join('; ');
    throw new InvalidJobError(`${what} is not an extraction result (${problems}): nothing persisted; extract it again with ntm requeue`);
  }
  return value as ExtractionResult;
}
