import { z } from 'zod';
import { type AggregateMetric, type AggregateScope, type Assessment, type CriterionStatus, FLAG_TYPES, type Level } from '../../extractors/statement.js';

/**
 * The export contract (README, "Export contract") as zod schemas: one variant per statement
 * kind and one for flags, told apart by `kind`. The types the export functions return are
 * inferred from them, and the tests check real export records and the README's table against
 * them; the export itself does not parse (the records are built typed).
 */

const whole = z.number().int();

const citation = z.strictObject({
  page: whole.positive(),
  start: whole.nonnegative(),
  end: whole.nonnegative(),
  quote: z.string(),
  row: whole.positive().optional(),
});

/** A flag's evidence from another stored document than the flag's own carries that document's id. */
const evidence = citation.extend({ documentId: whole.optional() });

const documentRef = z.strictObject({
  id: whole,
  sha256: z.string(),
  filename: z.string(),
  type: z.string().nullable(),
  number: z.string().nullable(),
  date: z.string().nullable(),
});

const place = z.strictObject({ name: z.string(), code: z.string().nullable() });

/** A district named in a document dated after 1 July 2025 is a former one (pre-reform code). */
const district = place.extend({ former: z.literal(true).optional() });

const LEVELS = ['ntm', 'nang_cao', 'kieu_mau'] as const satisfies readonly Level[];
const ASSESSMENTS = ['self', 'reported', 'appraised', 'recognized'] as const satisfies readonly Assessment[];
const STATUSES = ['met', 'unmet', 'near'] as const satisfies readonly CriterionStatus[];
const SCOPES = ['district', 'province', 'national'] as const satisfies readonly AggregateScope[];
const METRICS = ['communes_meeting_standard', 'average_criteria_per_commune', 'communes_with_n_criteria'] as const satisfies readonly AggregateMetric[];

/** What every statement carries, whatever its kind. */
const statementCommon = {
  id: whole,
  document: documentRef,
  province: place.nullable(),
  district: district.nullable(),
  commune: place.nullable(),
  unitSystem: z.enum(['three_level', 'two_level_2025']),
  level: z.enum(LEVELS).nullable(),
  criteriaSet: z.string().nullable(),
  assessment: z.enum(ASSESSMENTS).nullable(),
  asOf: z
    .string()
    .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/)
    .nullable(),
  citation: citation.nullable(),
  /** A statement that runs over a page break: the citations of its continuation. */
  continuedOn: z.array(citation).optional(),
  rule: z.string(),
  confidence: z.number(),
  flags: z.array(z.strictObject({ type: z.enum(FLAG_TYPES), message: z.string() })),
  /** Set on a statement a reviewer acted on (the latest action). */
  corrected: z.boolean().optional(),
  rejected: z.literal(true).optional(),
  reviewedBy: z.string().optional(),
  reviewedAt: z.string().optional(),
};

export const communeCountRecord = z.strictObject({
  ...statementCommon,
  kind: z.literal('commune_count'),
  met: whole,
  total: whole,
  indicatorsMet: whole.nullable(),
  indicatorsTotal: whole.nullable(),
  communeGroup: whole.nullable(),
});

export const criteriaListRecord = z.strictObject({
  ...statementCommon,
  kind: z.literal('criteria_list'),
  status: z.enum(STATUSES),
  criteria: z.array(whole),
  statedCount: whole.nullable(),
  items: z.array(z.strictObject({ number: whole, name: z.string().nullable() })),
  unresolvedNames: z.array(z.string()),
});

export const indicatorListRecord = z.strictObject({
  ...statementCommon,
  kind: z.literal('indicator_list'),
  status: z.enum(STATUSES),
  indicators: z.array(z.string()),
  statedCount: whole.nullable(),
});

export const districtAggregateRecord = z.strictObject({
  ...statementCommon,
  kind: z.literal('district_aggregate'),
  scope: z.enum(SCOPES),
  metric: z.enum(METRICS),
  value: z.number(),
  of: whole.nullable(),
  nCriteria: whole.nullable(),
  communes: z.array(z.string()).nullable(),
});

export const targetRecord = z.strictObject({
  ...statementCommon,
  kind: z.literal('target'),
  year: whole.nullable(),
  communes: z.array(z.string()),
  count: whole.nullable(),
});

export const flagRecord = z.strictObject({
  id: z.string().regex(/^flag-\d+$/),
  kind: z.literal('flag'),
  document: documentRef,
  type: z.enum(FLAG_TYPES),
  message: z.string(),
  statements: z.array(whole),
  evidence: z.array(evidence),
});

const statementVariants = [communeCountRecord, criteriaListRecord, indicatorListRecord, districtAggregateRecord, targetRecord] as const;

export const statementExportRecord = z.discriminatedUnion('kind', statementVariants);

/** One line of `ntm export --format jsonl`: a statement of one of the kinds, or a flag. */
export const exportRecord = z.discriminatedUnion('kind', [...statementVariants, flagRecord]);

export type StatementExportRecord = z.infer<typeof statementExportRecord>;
export type FlagExportRecord = z.infer<typeof flagRecord>;
export type ExportRecord = z.infer<typeof exportRecord>;
export type ExportKind = ExportRecord['kind'];
