import { z } from 'zod';

const environmentSchema = z.object({
  /** SQLite file; `--db` on the command line wins. Default: ./data/ntm.sqlite. */
  NTM_DB: z.string().min(1).default('data/ntm.sqlite'),
  /** Files larger than this many megabytes are refused (stored as failed). Default 50. */
  NTM_MAX_FILE_MB: z.coerce.number().positive().default(50),
  /** When set, ingestion runs on BullMQ workers through this Redis instead of in-process. */
  REDIS_URL: z.string().url().optional(),
});

export type Config = Readonly<{
  databasePath: string;
  maxFileBytes: number;
  redisUrl: string | undefined;
}>;

/** Reads the environment once, checked by one schema. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid environment: ${problems}`);
  }
  return Object.freeze({
    databasePath: parsed.data.NTM_DB,
    maxFileBytes: Math.round(parsed.data.NTM_MAX_FILE_MB * 1024 * 1024),
    redisUrl: parsed.data.REDIS_URL,
  });
}
