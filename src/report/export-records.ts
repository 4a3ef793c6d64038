import type { CitationRecord, DocumentRef, FlagRecord, StatementRecord } from '../../db/index.js';

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
export function statementExport(statement: StatementRecord): Record<string, unknown> {
  const machine = machineExport(statement);
  const review = statement.review;
  if (!review) return machine;
  const corrected: Record<string, unknown> = {};
  if (review.action === 'replace' && review.payload) {
    for (const field of CORRECTABLE) if (field in review.payload) corrected[field] = review.payload[field];
  }
  return {
    ...machine,
    ...corrected,
    corrected: review.action === 'replace',
    ...(review.action === 'reject' ? { rejected: true } : {}),
    reviewedBy: review.reviewer,
    reviewedAt: review.at,
  };
}

function machineExport(statement: StatementRecord): Record<string, unknown> {
  return {
    id: statement.id,
    kind: statement.kind,
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
    citation: firstCitation(statement.citations),
    // A statement that runs over a page break has one more citation per page.
    ...(statement.citations.length > 1 ? { continuedOn: statement.citations.slice(1) } : {}),
    rule: statement.rule,
    confidence: statement.confidence,
    flags: statement.flags,
    ...kindFields(statement),
  };
}

function kindFields(statement: StatementRecord): Record<string, unknown> {
  const p = statement.payload;
  switch (statement.kind) {
    case 'commune_count':
      return { met: p.met, total: p.total, ...countDetails(p) };
    case 'criteria_list':
      return { status: p.status, criteria: p.criteria, statedCount: p.statedCount, items: p.items, unresolvedNames: p.unresolvedNames };
    case 'indicator_list':
      return { status: p.status, indicators: p.indicators, statedCount: p.statedCount };
    case 'district_aggregate':
      return { scope: p.scope ?? 'district', metric: p.metric, value: p.value, of: p.of, nCriteria: p.nCriteria, communes: p.communes };
    case 'target':
      return { year: p.year, communes: p.communes, count: p.count };
    default:
      return {};
  }
}

/** Indicators met/total and the commune group, stated with a count against the 2026-2030 set; null otherwise. */
function countDetails(p: Record<string, unknown>): { indicatorsMet: number | null; indicatorsTotal: number | null; communeGroup: number | null } {
  const indicators = p.indicators as { met: number; total: number } | undefined;
  return { indicatorsMet: indicators?.met ?? null, indicatorsTotal: indicators?.total ?? null, communeGroup: (p.communeGroup as number | undefined) ?? null };
}

export function flagExport(flag: FlagRecord): Record<string, unknown> {
  const document: DocumentRef = flag.document;
  return {
    id: `flag-${flag.id}`,
    kind: 'flag',
    document,
    type: flag.type,
    message: flag.message,
    statements: flag.statements,
    evidence: flag.evidence,
  };
}
