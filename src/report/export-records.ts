import type { CitationRecord, DocumentRef, FlagRecord, StatementRecord } from '../../db/index.js';
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
  if (resolved) return { name: resolved.name, code: resolved.code, ...(resolved.former ? { former: true as const } : {}) };
  // A commune of the units of 1 July 2025 has no district: a district named elsewhere in the document is not its.
  if (level === 'district' && statement.places?.system === 'two_level_2025') return null;
  const name = statement[level];
  return name === null ? null : { name, code: null };
}

function firstCitation(citations: CitationRecord[]): CitationRecord | null {
  return citations[0] ?? null;
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

/** What every statement exports, in the contract's order once `kind` follows `id`. */
function commonFields(statement: StatementRecord) {
  return {
    id: statement.id,
    document: statement.document,
    province: place(statement, 'province'),
    district: place(statement, 'district'),
    commune: place(statement, 'commune'),
    // Codes are reused after the reform: which gazetteer they are from.
    unitSystem: statement.places?.system ?? ('three_level' as const),
    level: statement.level as Statement['level'],
    criteriaSet: statement.criteriaSet,
    assessment: statement.assessment as Statement['assessment'],
    asOf: statement.asOf,
    citation: firstCitation(statement.citations),
    // A statement that runs over a page break has one more citation per page.
    ...(statement.citations.length > 1 ? { continuedOn: statement.citations.slice(1) } : {}),
    rule: statement.rule,
    confidence: statement.confidence,
    flags: statement.flags,
  };
}

/** A kind's own fields as its rule stored them: db/document.repository.ts writes all but the common ones as the payload. */
type StoredPayload<K extends Statement['kind']> = Omit<Extract<Statement, { kind: K }>, keyof Statement>;

function machineExport(statement: StatementRecord): StatementExportRecord {
  const { id, ...common } = commonFields(statement);
  const kind = statement.kind as Statement['kind'];
  switch (kind) {
    case 'commune_count': {
      const p = statement.payload as StoredPayload<typeof kind>;
      return { id, kind, ...common, met: p.met, total: p.total, ...countDetails(p) };
    }
    case 'criteria_list': {
      const p = statement.payload as StoredPayload<typeof kind>;
      return { id, kind, ...common, status: p.status, criteria: p.criteria, statedCount: p.statedCount, items: p.items, unresolvedNames: p.unresolvedNames };
    }
    case 'indicator_list': {
      const p = statement.payload as StoredPayload<typeof kind>;
      return { id, kind, ...common, status: p.status, indicators: p.indicators, statedCount: p.statedCount };
    }
    case 'district_aggregate': {
      const p = statement.payload as StoredPayload<typeof kind>;
      // Aggregates stored before `scope` existed were all districts' figures.
      return { id, kind, ...common, scope: p.scope ?? 'district', metric: p.metric, value: p.value, of: p.of, nCriteria: p.nCriteria, communes: p.communes };
    }
    case 'target': {
      const p = statement.payload as StoredPayload<typeof kind>;
      return { id, kind, ...common, year: p.year, communes: p.communes, count: p.count };
    }
  }
}

/** Indicators met/total and the commune group, stated with a count against the 2026-2030 set; null otherwise. */
function countDetails(p: StoredPayload<'commune_count'>): { indicatorsMet: number | null; indicatorsTotal: number | null; communeGroup: number | null } {
  return { indicatorsMet: p.indicators?.met ?? null, indicatorsTotal: p.indicators?.total ?? null, communeGroup: p.communeGroup ?? null };
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
