/**
 * Scores exported records against gold statements, by the rules of the evaluation format
 * (README, "Measuring extraction"): each gold statement matches at most one record; a record
 * repeating a fact already matched is a repeated mention, neither right nor wrong; a province's
 * or the nation's aggregate is not scored; a gold conflict is found when the document has a
 * flag of a conflict type (of the gold's type when it names one). Optional gold is neither
 * required nor counted wrong.
 */
import { z } from 'zod';

export const SCORED_KINDS = ['commune_count', 'criteria_list', 'indicator_list', 'district_aggregate'] as const;
export type ScoredKind = (typeof SCORED_KINDS)[number];

export const CONFLICT_FLAGS = new Set([
  'jurisdiction_mismatch',
  'contradictory_counts',
  'count_list_mismatch',
  'sum_mismatch',
  'aggregate_mismatch',
  'criteria_set_mismatch',
]);

const goldStatementSchema = z.looseObject({
  kind: z.string(),
  optional: z.boolean().optional(),
  quote: z.string().optional(),
  commune: z.string().nullable().optional(),
  met: z.number().nullable().optional(),
  total: z.number().nullable().optional(),
  status: z.string().optional(),
  criteria: z.array(z.number()).optional(),
  alt_criteria: z.array(z.array(z.number())).optional(),
  indicators: z.array(z.string()).optional(),
  metric: z.string().optional(),
  value: z.number().optional(),
  of: z.number().nullable().optional(),
  level: z.string().nullable().optional(),
  n_criteria: z.number().nullable().optional(),
  nCriteria: z.number().nullable().optional(),
  communes: z.array(z.string()).nullable().optional(),
  type: z.string().nullable().optional(),
  description: z.string().optional(),
});

export const goldDocumentSchema = z.looseObject({
  doc: z.string().min(1),
  statements: z.array(goldStatementSchema),
});

export type GoldStatement = z.infer<typeof goldStatementSchema>;
export type GoldDocument = z.infer<typeof goldDocumentSchema>;
export type ExportedRecord = Record<string, unknown>;

export interface KindScore {
  found: number;
  expected: number;
  extracted: number;
  repeated: number;
}

export interface Finding {
  doc: string;
  kind: string;
  text: string;
}

export interface Score {
  kinds: Record<ScoredKind, KindScore>;
  conflicts: { found: number; expected: number };
  recall: number;
  precision: number;
  conflictRecall: number;
  misses: Finding[];
  falsePositives: Finding[];
  documents: number;
  exportedDocuments: number;
}

/** Names compare folded: no diacritics, lower case, a leading unit word dropped. */
export function foldName(value: unknown): string | null {
  const name = value && typeof value === 'object' ? (value as { name?: unknown }).name : value;
  if (name === null || name === undefined) return null;
  const folded = String(name).replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  return folded
    .trim()
    .replace(/^(?:xa|huyen|tinh|thi tran|phuong|thi xa|thanh pho)\s+/, '')
    .replace(/\s+/g, ' ');
}

function statusOf(record: ExportedRecord): unknown {
  const { status, assessment } = record;
  return status === 'appraised' || (status === 'met' && assessment === 'appraised') ? 'appraised' : status;
}

const sortedSet = (values: readonly unknown[]) => JSON.stringify([...new Set(values.map(String))].sort());

export function matches(gold: GoldStatement, record: ExportedRecord): boolean {
  if (gold.kind !== record.kind) return false;
  switch (gold.kind) {
    case 'commune_count':
      return foldName(gold.commune) === foldName(record.commune) && gold.met === record.met && gold.total === record.total;
    case 'criteria_list': {
      const got = sortedSet((record.criteria as unknown[] | undefined) ?? []);
      const options = [gold.criteria ?? [], ...(gold.alt_criteria ?? [])];
      return foldName(gold.commune) === foldName(record.commune) && gold.status === statusOf(record) && options.some((criteria) => sortedSet(criteria) === got);
    }
    case 'indicator_list':
      return (
        foldName(gold.commune) === foldName(record.commune) &&
        gold.status === statusOf(record) &&
        sortedSet(gold.indicators ?? []) === sortedSet((record.indicators as unknown[] | undefined) ?? [])
      );
    case 'district_aggregate': {
      if (gold.metric !== record.metric) return false;
      if (gold.level && gold.level !== record.level) return false;
      if (Math.abs(Number(gold.value) - Number(record.value ?? -1e9)) > 1e-6) return false;
      if (gold.of !== null && gold.of !== undefined && gold.of !== record.of) return false;
      const nCriteria = gold.n_criteria ?? gold.nCriteria;
      if (nCriteria !== null && nCriteria !== undefined && nCriteria !== record.nCriteria) return false;
      if (gold.communes && gold.communes.length > 0) {
        const got = ((record.communes as unknown[] | null | undefined) ?? []).map(foldName).sort();
        if (JSON.stringify(gold.communes.map(foldName).sort()) !== JSON.stringify(got)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/** The gold document a record belongs to: the one whose key its file name starts with. */
function documentKey(record: ExportedRecord, keys: readonly string[]): string | undefined {
  const filename = String((record.document as { filename?: unknown } | undefined)?.filename ?? '');
  const base = filename.split(/[\\/]/).at(-1) ?? '';
  return keys.find((key) => base.startsWith(key));
}

const isUnscoredAggregate = (record: ExportedRecord) => record.kind === 'district_aggregate' && (record.scope === 'province' || record.scope === 'national');

export function scoreExport(golds: readonly GoldDocument[], records: readonly ExportedRecord[]): Score {
  const keys = golds.map((gold) => gold.doc);
  const byDocument = new Map<string, ExportedRecord[]>();
  for (const record of records) {
    const key = documentKey(record, keys);
    if (key !== undefined) byDocument.set(key, [...(byDocument.get(key) ?? []), record]);
  }
  const kinds = Object.fromEntries(SCORED_KINDS.map((kind) => [kind, { found: 0, expected: 0, extracted: 0, repeated: 0 }])) as Record<ScoredKind, KindScore>;
  const conflicts = { found: 0, expected: 0 };
  const misses: Finding[] = [];
  const falsePositives: Finding[] = [];
  const isScored = (kind: unknown): kind is ScoredKind => (SCORED_KINDS as readonly unknown[]).includes(kind);

  for (const gold of golds) {
    const recordsOf = (byDocument.get(gold.doc) ?? []).filter((record) => !isUnscoredAggregate(record));
    const used = new Set<number>();
    for (const statement of gold.statements) {
      if (statement.kind === 'conflict') {
        if (statement.optional) continue;
        conflicts.expected += 1;
        const hit = recordsOf.some(
          (record) => record.kind === 'flag' && CONFLICT_FLAGS.has(String(record.type)) && (!statement.type || record.type === statement.type),
        );
        if (hit) conflicts.found += 1;
        else misses.push({ doc: gold.doc, kind: 'conflict', text: statement.type ?? statement.description ?? '' });
        continue;
      }
      if (!isScored(statement.kind)) continue;
      const index = recordsOf.findIndex((record, at) => !used.has(at) && matches(statement, record));
      if (index >= 0) used.add(index);
      if (statement.optional) continue;
      kinds[statement.kind].expected += 1;
      if (index >= 0) kinds[statement.kind].found += 1;
      else misses.push({ doc: gold.doc, kind: statement.kind, text: (statement.quote ?? '').slice(0, 90) });
    }
    recordsOf.forEach((record, at) => {
      if (!isScored(record.kind) || used.has(at)) return;
      // The same fact stated again elsewhere in the document is a further citation, not an error.
      if (gold.statements.some((statement) => isScored(statement.kind) && matches(statement, record))) {
        kinds[record.kind].repeated += 1;
        return;
      }
      kinds[record.kind].extracted += 1;
      falsePositives.push({ doc: gold.doc, kind: record.kind, text: describe(record) });
    });
  }
  for (const kind of SCORED_KINDS) kinds[kind].extracted += kinds[kind].found;
  const found = SCORED_KINDS.reduce((sum, kind) => sum + kinds[kind].found, 0);
  const expected = SCORED_KINDS.reduce((sum, kind) => sum + kinds[kind].expected, 0);
  const extracted = SCORED_KINDS.reduce((sum, kind) => sum + kinds[kind].extracted, 0);
  return {
    kinds,
    conflicts,
    misses,
    falsePositives,
    recall: expected ? found / expected : 1,
    precision: extracted ? found / extracted : 1,
    conflictRecall: conflicts.expected ? conflicts.found / conflicts.expected : 1,
    documents: golds.length,
    exportedDocuments: byDocument.size,
  };
}

function describe(record: ExportedRecord): string {
  const fields = ['commune', 'met', 'total', 'status', 'criteria', 'metric', 'value', 'of'] as const;
  const shown = Object.fromEntries(
    fields
      .filter((field) => record[field] !== undefined && record[field] !== null)
      .map((field) => [field, field === 'commune' ? foldName(record[field]) : record[field]]),
  );
  const quote = String((record.citation as { quote?: unknown } | undefined)?.quote ?? '')
    .replace(/\s+/g, ' ')
    .slice(0, 90);
  return `${JSON.stringify(shown)} «${quote}»`;
}
