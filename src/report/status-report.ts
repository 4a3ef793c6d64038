import type { StatementQueries, StatementRecord } from '../../db/index.js';
import { place } from './export-records.js';
import { sourceOf } from './source-label.js';

const LEVEL_NAMES: Record<string, string> = { ntm: 'NTM', nang_cao: 'NTM nâng cao', kieu_mau: 'NTM kiểu mẫu' };
const STATUS_NAMES: Record<string, string> = { met: 'met', unmet: 'unmet', near: 'nearly met' };
const SOURCES_SHOWN = 2;

/** A claim stated alike in several documents (the same report as PDF and DOCX) is shown once. */
interface Claim {
  text: string;
  sources: string[];
}

function source(statement: StatementRecord): string {
  const citation = statement.citations[0];
  return sourceOf(statement.document.filename, citation?.page, citation?.row) ?? statement.document.filename;
}

function addClaim(claims: Map<string, Claim>, text: string, statement: StatementRecord): void {
  const claim = claims.get(text) ?? { text, sources: [] };
  if (!claim.sources.includes(source(statement))) claim.sources.push(source(statement));
  claims.set(text, claim);
}

function claimLines(claims: Map<string, Claim>, indent: string): string[] {
  return [...claims.values()].map((claim) => {
    const shown = claim.sources.slice(0, SOURCES_SHOWN).join(', ');
    const more = claim.sources.length > SOURCES_SHOWN ? ` (+${claim.sources.length - SOURCES_SHOWN} more)` : '';
    return `${indent}${claim.text} — ${shown}${more}`;
  });
}

function when(statement: StatementRecord): string {
  return [statement.asOf ? `as of ${statement.asOf}` : 'undated', statement.assessment].filter(Boolean).join(', ');
}

/** Places as resolved against the gazetteer (a heading's wrong district corrected), else as written. */
function placeNames(statement: StatementRecord, levels: Array<'province' | 'district' | 'commune'>): Array<string | null> {
  return levels.map((level) => place(statement, level)?.name ?? null);
}

function placePath(...names: Array<string | null>): string {
  return names.map((name) => name ?? '?').join(' / ');
}

/** The report `ntm report` prints: each commune's status with sources, district figures, targets, flags. */
export function renderStatusReport(queries: StatementQueries): string {
  const statements = queries.statements();
  const lines: string[] = [];
  const documents = queries.documents();
  const failed = documents.filter((document) => document.status === 'failed');
  lines.push(
    `${documents.length} documents: ${documents.filter((d) => d.status === 'done').length} done, ${failed.length} failed, ${statements.length} statements`,
  );

  lines.push('', '== Communes ==');
  const communes = groupBy(
    statements.filter((s) => s.commune && s.kind !== 'target'),
    (s) => placePath(...placeNames(s, ['province', 'district', 'commune'])),
  );
  for (const [path, group] of [...communes].sort(([a], [b]) => a.localeCompare(b, 'vi'))) {
    lines.push(path);
    for (const [level, ofLevel] of groupBy(group, (s) => s.level ?? '?')) {
      lines.push(`  ${LEVEL_NAMES[level] ?? level} (${ofLevel[0]?.criteriaSet ?? 'no criteria set'})`);
      const claims = new Map<string, Claim>();
      for (const s of ofLevel) {
        const p = s.payload;
        if (s.kind === 'commune_count') addClaim(claims, `${p.met}/${p.total} met, ${when(s)}`, s);
        if (s.kind === 'criteria_list') addClaim(claims, `${STATUS_NAMES[String(p.status)]}: ${(p.criteria as number[]).join(', ')} (${when(s)})`, s);
        if (s.kind === 'indicator_list')
          addClaim(claims, `indicators ${STATUS_NAMES[String(p.status)]}: ${(p.indicators as string[]).join(', ')} (${when(s)})`, s);
      }
      lines.push(...claimLines(claims, '    '));
    }
  }

  lines.push('', '== Districts ==');
  const districts = groupBy(
    statements.filter((s) => s.kind === 'district_aggregate'),
    (s) => placePath(...placeNames(s, ['province', 'district'])),
  );
  for (const [path, group] of districts) {
    lines.push(path);
    const claims = new Map<string, Claim>();
    for (const s of group) addClaim(claims, `${aggregateText(s)}, ${when(s)}`, s);
    lines.push(...claimLines(claims, '  '));
  }

  lines.push('', '== Targets (plans, not status) ==');
  const targets = new Map<string, Claim>();
  for (const s of statements.filter((t) => t.kind === 'target')) {
    const p = s.payload;
    const communes = (p.communes as string[]).join(', ') || `${p.count ?? '?'} communes`;
    addClaim(
      targets,
      `${placePath(...placeNames(s, ['province', 'district']))}: ${communes} → ${LEVEL_NAMES[s.level ?? ''] ?? s.level} by ${p.year ?? '?'}`,
      s,
    );
  }
  lines.push(...claimLines(targets, '  '));

  lines.push('', '== Flags ==');
  const flags = new Map<string, Claim>();
  for (const flag of queries.flags()) {
    const text = `${flag.type}: ${flag.message}`;
    const claim = flags.get(text) ?? { text, sources: [] };
    claim.sources.push(`${flag.document.filename}${flag.evidence[0] ? ` p.${flag.evidence[0].page}` : ''}`);
    flags.set(text, claim);
  }
  lines.push(...claimLines(flags, '  '));

  if (failed.length > 0) {
    lines.push('', '== Failed documents ==');
    for (const document of failed) lines.push(`  ${document.fileName}: ${document.error ?? document.errorReason ?? 'unknown error'}`);
  }
  return lines.join('\n');
}

function aggregateText(statement: StatementRecord): string {
  const p = statement.payload;
  const level = LEVEL_NAMES[statement.level ?? ''] ?? '';
  switch (p.metric) {
    case 'communes_meeting_standard':
      return `${p.value}${p.of ? `/${p.of}` : ''} communes meet the ${level} standard`;
    case 'average_criteria_per_commune':
      return `average ${p.value} criteria per commune`;
    default:
      return `${p.value} communes reach ${p.nCriteria} criteria: ${((p.communes as string[] | null) ?? []).join(', ')}`;
  }
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
