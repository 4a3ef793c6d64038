import type { DocumentRef, FlagRecord, StatementRecord } from '../../db/index.js';
import type { Statement } from '../../extractors/statement.js';
import type { FlagExportRecord, StatementExportRecord } from './export-record.schema.js';

/** A place as the export contract gives it: the name as the document writes it, the gazetteer code. */
interface PlaceRef {
  name: string;
  code: string | null;
  /** A district named in a document dated after 1 July 2025: a former district (pre-reform code). */
  former?: true;
}

/** The resolved unit when there is one (re-attached, or inferred from the unit below), else the name as read. */
export function place(statement: StatementRecord, level: 'province' | 'district' | 'commune'): PlaceRef | null {
  const resolved = statement.places?.[level];
  if (resolved) {
    const ref: PlaceRef = { name: resolved.name, code: resolved.code };
    if (resolved.former) ref.former = true;
    return ref;
  }
  // A commune of the units of 1 July 2025 has no district: a district named elsewhere in the document is not its.
  if (level === 'district' && statement.places?.system === 'two_level_2025') return null;
  const name = statement[level];
  return name === null ? null : { name, code: null };
}

/** Fields a reviewer's correction may set, in the export contract's names. */
const CORRECTABLE = ['level', 'criteriaSet', 'assessment', 'asOf', 'met', 'total', 'status', 'criteria', 'indicators', 'commune'] as const;

/**
 * One statement in the export contract's shape (README, "Export contract"), with the latest
 * reviewer's action applied: corrected values replace the machine's (`corrected: true`), a
 * rejected statement says so; `reviewedBy`/`reviewedAt` name who and when.
 */
export function statementExport(statement: StatementRecord): StatementExportRecord {
  const machine = machineExport(statement);
  const review = statement.review;
  if (!review) return machine;
  const corrected: Partial<Record<(typeof CORRECTABLE)[number], unknown>> = {};
  if (review.action === 'replace' && review.payload) {
    for (const field of CORRECTABLE) if (field in review.payload) corrected[field] = review.payload[field];
  }
  // The server checked the corrected values (review.routes.ts) before it stored them.
  return {
    ...machine,
    ...corrected,
    corrected: review.action === 'replace',
    ...(review.action === 'reject' ? { rejected: true as const } : {}),
    reviewedBy: review.reviewer,
    reviewedAt: review.at,
  } as StatementExportRecord;
}

/**
 * What every statement exports, in the contract's order, its kind's own fields to be added after.
 * Built key by key (no spread: five million records are exported), in the order JSON gives them.
 */
function commonFields(statement: StatementRecord, kind: Statement['kind']): Record<string, unknown> {
  const { citations } = statement;
  const record: Record<string, unknown> = {
    id: statement.id,
    kind,
    document: statement.document,
    province: place(statement, 'province'),
    district: place(statement, 'district'),
    commune: place(statement, 'commune'),
    // Codes are reused after the reform: which gazetteer they are from.
    unitSystem: statement.places?.system ?? 'three_level',
    level: statement.level,
    criteriaSet: statement.criteriaSet,
    assessment: statement.assessment,
    asOf: statement.asOf,
    citation: citations[0] ?? null,
  };
  // A statement that runs over a page break has one more citation per page.
  if (citations.length > 1) record.continuedOn = citations.slice(1);
  record.rule = statement.rule;
  record.confidence = statement.confidence;
  record.flags = statement.flags;
  return record;
}

/** A kind's own fields as its rule stored them: db/document.repository.ts writes all but the common ones as the payload. */
type StoredPayload<K extends Statement['kind']> = Omit<Extract<Statement, { kind: K }>, keyof Statement>;

function machineExport(statement: StatementRecord): StatementExportRecord {
  const kind = statement.kind as Statement['kind'];
  const record = commonFields(statement, kind);
  switch (kind) {
    case 'commune_count': {
      const p = statement.payload as StoredPayload<typeof kind>;
      record.met = p.met;
      record.total = p.total;
      // Indicators met/total and the commune group, stated with a count against the 2026-2030 set; null otherwise.
      record.indicatorsMet = p.indicators?.met ?? null;
      record.indicatorsTotal = p.indicators?.total ?? null;
      record.communeGroup = p.communeGroup ?? null;
      break;
    }
    case 'criteria_list': {
      const p = statement.payload as StoredPayload<typeof kind>;
      record.status = p.status;
      record.criteria = p.criteria;
      record.statedCount = p.statedCount;
      record.items = p.items;
      record.unresolvedNames = p.unresolvedNames;
      break;
    }
    case 'indicator_list': {
      const p = statement.payload as StoredPayload<typeof kind>;
      record.status = p.status;
      record.indicators = p.indicators;
      record.statedCount = p.statedCount;
      break;
    }
    case 'district_aggregate': {
      const p = statement.payload as StoredPayload<typeof kind>;
      // Aggregates stored before `scope` existed were all districts' figures.
      record.scope = p.scope ?? 'district';
      record.metric = p.metric;
      record.value = p.value;
      record.of = p.of;
      record.nCriteria = p.nCriteria;
      record.communes = p.communes;
      break;
    }
    case 'target': {
      const p = statement.payload as StoredPayload<typeof kind>;
      record.year = p.year;
      record.communes = p.communes;
      record.count = p.count;
      break;
    }
  }
  return record as StatementExportRecord;
}

export function flagExport(flag: FlagRecord): FlagExportRecord {
  const document: DocumentRef = flag.document;
  return {
    id: `flag-${flag.id}`,
    kind: 'flag' as const,
    document,
    type: flag.type,
    message: flag.message,
    statements: flag.statements,
    evidence: flag.evidence,
  };
}
