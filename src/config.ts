import { availableParallelism } from 'node:os';
import { z } from 'zod';
import type { InputLimits } from './text/input-limits.js';
import type { OcrEngineName } from './text/ocr/ocr-engine.js';

const OCR_ENGINES = ['tesseractjs', 'native'] as const satisfies readonly OcrEngineName[];
const PDF_RENDERERS = ['poppler', 'pdfjs'] as const;
export type PdfRenderer = (typeof PDF_RENDERERS)[number];

/** The OCR settings, also read on their own by the OCR code (loadOcrSettings), which runs without the rest of the config. */
const ocrEnvironmentSchema = z.object({
  /** "native" (the tesseract command) or "tesseractjs"; any case, blank = unset. Default: native when installed with Vietnamese, else tesseractjs. */
  NTM_OCR_ENGINE: z.preprocess((value) => (typeof value === 'string' ? value.trim().toLowerCase() || undefined : value), z.enum(OCR_ENGINES).optional()),
  /** The tesseract command, for machines where it is not on PATH. Default "tesseract". */
  NTM_TESSERACT_PATH: z.string().trim().min(1, 'a command or a path to it').default('tesseract'),
  /** What draws PDF pages for OCR: "poppler" (pdftoppm) or "pdfjs"; any case, blank = unset. Default: poppler when installed, else pdfjs. */
  NTM_PDF_RENDERER: z.preprocess((value) => (typeof value === 'string' ? value.trim().toLowerCase() || undefined : value), z.enum(PDF_RENDERERS).optional()),
});

const environmentSchema = ocrEnvironmentSchema.extend({
  /** SQLite file; `--db` on the command line wins. Default: ./data/ntm.sqlite. */
  NTM_DB: z.string().min(1).default('data/ntm.sqlite'),
  /** Content-addressed uploads and results; every worker machine must see the same folder. Default: "blobs" beside the database. */
  NTM_BLOB_DIR: z.string().min(1).optional(),
  /** Files larger than this many megabytes are refused (stored as failed). Default 50. */
  NTM_MAX_FILE_MB: z.coerce.number().positive().default(50),
  /** A Word file whose XML parts inflate past this many megabytes is refused (a decompression bomb); mammoth holds ~50 times the XML in memory. Default 20. */
  NTM_MAX_INFLATED_MB: z.coerce.number().positive().default(20),
  /** An image or image page declaring more pixels than this many millions is refused before decoding. Default 150. */
  NTM_MAX_MEGAPIXELS: z.coerce.number().positive().default(150),
  /** A document with more pages to render and recognise than this (PDF pages without a text layer, TIFF pages) is refused; text pages do not count. Default 500. */
  NTM_MAX_PAGES: z.coerce.number().int().positive().default(500),
  /** Threads of the extraction pool (text, OCR, rules); `ntm ingest --jobs` wins. Default: the machine's cores. */
  NTM_JOBS: z.coerce
    .number({ error: 'must be a number of threads, such as 4' })
    .int('must be a whole number of threads')
    .min(1, 'must be at least 1')
    .max(256, 'must be at most 256')
    .optional(),
  /** Heap limit of each extraction thread, in megabytes: a document needing more fails alone, naming it. Default: Node's. */
  NTM_WORKER_HEAP_MB: z.coerce.number().int().min(16).optional(),
  /** When set, ingestion runs on BullMQ workers through this Redis instead of in-process. */
  REDIS_URL: z.string().url().optional(),
  /** Prefix of every BullMQ key in Redis; one per deployment (tests use one each). Default "ntm". */
  NTM_QUEUE_PREFIX: z
    .string()
    .min(1)
    .regex(/^[^:]+$/, 'no ":"')
    .default('ntm'),
  /** Attempts per job, the first included. Default 3. */
  NTM_JOB_ATTEMPTS: z.coerce.number().int().min(1).default(3),
  /** First retry delay in ms, doubled after each failure. Default 2000. */
  NTM_JOB_BACKOFF_MS: z.coerce.number().int().min(0).default(2000),
  /**
   * How long a worker's lock on a job lasts without renewal, in ms. A worker killed mid-job
   * has its job picked up by another after about this long. Default 30000 (BullMQ's).
   */
  NTM_WORKER_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  /** After SIGTERM, how long a worker's active jobs get to finish before it exits anyway, in ms. Default 30000. */
  NTM_WORKER_GRACE_MS: z.coerce.number().int().min(0).default(30_000),
});

export type Config = Readonly<{
  databasePath: string;
  blobDirectory: string | undefined;
  maxFileBytes: number;
  /** Per-document limits past the file size: inflated bytes, pixels, pages. */
  limits: InputLimits;
  /** Threads extracting documents at once (pages of a scan are spread over them). */
  jobs: number;
  workerHeapMb: number | undefined;
  redisUrl: string | undefined;
  queuePrefix: string;
  jobAttempts: number;
  jobBackoffMs: number;
  workerLockMs: number;
  workerGraceMs: number;
  ocr: OcrSettings;
}>;

export type OcrSettings = Readonly<{
  /** Unset: chosen by what is installed. */
  engine: OcrEngineName | undefined;
  tesseractPath: string;
  /** Unset: chosen by what is installed. */
  pdfRenderer: PdfRenderer | undefined;
}>;

/** The environment checked by a schema; an error names each variable and its problem. */
function parseEnvironment<T>(schema: z.ZodType<T>, environment: NodeJS.ProcessEnv): T {
  const parsed = schema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid environment: ${problems}`);
  }
  return parsed.data;
}

function ocrSettings(env: z.infer<typeof ocrEnvironmentSchema>): OcrSettings {
  return Object.freeze({ engine: env.NTM_OCR_ENGINE, tesseractPath: env.NTM_TESSERACT_PATH, pdfRenderer: env.NTM_PDF_RENDERER });
}

/** The OCR settings alone: OCR runs deep in the text stage, in workers and tests that have no Config at hand. */
export function loadOcrSettings(environment: NodeJS.ProcessEnv = process.env): OcrSettings {
  return ocrSettings(parseEnvironment(ocrEnvironmentSchema, environment));
}

/** Reads the environment once, checked by one schema. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const env = parseEnvironment(environmentSchema, environment);
  return Object.freeze({
    databasePath: env.NTM_DB,
    blobDirectory: env.NTM_BLOB_DIR,
    maxFileBytes: Math.round(env.NTM_MAX_FILE_MB * 1024 * 1024),
    limits: Object.freeze({
      maxInflatedBytes: Math.round(env.NTM_MAX_INFLATED_MB * 1024 * 1024),
      maxPixels: Math.round(env.NTM_MAX_MEGAPIXELS * 1e6),
      maxPages: env.NTM_MAX_PAGES,
    }),
    jobs: env.NTM_JOBS ?? availableParallelism(),
    workerHeapMb: env.NTM_WORKER_HEAP_MB,
    redisUrl: env.REDIS_URL,
    queuePrefix: env.NTM_QUEUE_PREFIX,
    jobAttempts: env.NTM_JOB_ATTEMPTS,
    jobBackoffMs: env.NTM_JOB_BACKOFF_MS,
    workerLockMs: env.NTM_WORKER_LOCK_MS,
    workerGraceMs: env.NTM_WORKER_GRACE_MS,
    ocr: ocrSettings(env),
  });
}
