import {
  closeDatabase,
  StatusQueries,
  type CountClaim,
  type CriterionClaim,
  type FlagRow,
  type Unit2025Row,
  type UnitRow,
  type UnitSystemName,
} from '../../db/index.js';
import { criteriaSetByCode } from '../../extractors/criteria-sets/criteria-sets.js';
import { foldName, toneKey } from '../../extractors/places/place-names.js';
import { sourceOf } from '../report/source-label.js';
import { openCommandDatabase } from './open-database.js';
import { printErr, printOut } from './terminal-text.js';

const LEVEL_NAMES: Record<string, string> = { ntm: 'NTM', nang_cao: 'NTM nâng cao', kieu_mau: 'NTM kiểu mẫu' };
const STATUS_NAMES: Record<string, string> = { met: 'met', unmet: 'unmet', near: 'nearly met' };
/** Copies of one claim (the same report as TXT, PDF and DOCX) shown on one line, up to this many files. */
const SOURCES_SHOWN = 3;
const QUOTE_LENGTH = 140;

export interface StatusOptions {
  db?: string;
  commune?: string;
  district?: string;
}

/**
 * `ntm status [--commune NAME] [--district NAME]`: each commune's timeline of counts and criteria,
 * the claim that stands marked (precedence in db/migrations/0003_status_views.sql), and the
 * source — file, page, quote — of every figure. Exit code 1 when a name matches no unit.
 */
export function runStatus(options: StatusOptions): number {
  const { db } = openCommandDatabase(options, { readonly: true });
  try {
    const queries = new StatusQueries(db);
    const { text, found } = renderStatus(queries, options);
    (found ? printOut : printErr)(`${text}\n`);
    return found ? 0 : 1;
  } finally {
    closeDatabase(db);
  }
}

export function renderStatus(queries: StatusQueries, options: { commune?: string; district?: string }): { text: string; found: boolean } {
  const lines: string[] = [];
  let districts: UnitRow[] | undefined;
  if (options.district) {
    districts = queries.unitsNamed(2, foldName(options.district));
    if (districts.length === 0) return { text: `No district named "${options.district}" in the gazetteer.`, found: false };
  }
  let communes: string[] | undefined;
  // New communes (units of 1 July 2025) to show: named so, or formed from a commune named so.
  let newCommunes: Unit2025Row[] = [];
  if (options.commune) {
    const folded = foldName(options.commune);
    communes = queries.unitsNamed(3, folded).map((unit) => unit.code);
    const named = queries.units2025Named(folded);
    if (communes.length === 0 && named.length === 0)
      return { text: `No commune named "${options.commune}" in the gazetteer (before or after 1/7/2025).`, found: false };
    const successors = communes.flatMap((code) => queries.successorsOf(code).map((successor) => successor.code));
    const withOwnClaims = new Set(queries.communes2025WithClaims(successors).map((unit) => unit.code));
    newCommunes = [...named, ...successors.filter((code) => withOwnClaims.has(code)).flatMap((code) => queries.unit2025(code) ?? [])].filter(
      (unit, index, all) => all.findIndex((other) => other.code === unit.code) === index,
    );
  } else if (!options.district) {
    newCommunes = queries.communes2025WithClaims();
  }
  const byName = (a: UnitRow, b: UnitRow) =>
    `${a.provinceName} ${a.districtName}`.localeCompare(`${b.provinceName} ${b.districtName}`, 'vi') || a.name.localeCompare(b.name, 'vi');
  const withClaims = queries.communesWithClaims({ communes, districts: districts?.map((district) => district.code) }).sort(byName);

  if (districts) {
    for (const district of districts) {
      const here = withClaims.filter((unit) => unit.districtCode === district.code);
      const assessed = queries
        .childrenOf(district.code)
        .filter((unit) => unit.type === 'xã' && unit.validTo === null)
        .sort((a, b) => a.name.localeCompare(b.name, 'vi'));
      lines.push(
        `${district.type} ${district.name} (${district.code}), ${district.provinceType ?? 'tỉnh'} ${district.provinceName ?? '?'}: ${here.length} commune(s) with claims`,
      );
      const silent = assessed.filter((unit) => !here.some((claimed) => claimed.code === unit.code));
      if (silent.length > 0 && !communes) lines.push(`  no claims yet for ${silent.length} xã: ${silent.map((unit) => unit.name).join(', ')}`);
    }
    lines.push('');
  }
  if (withClaims.length === 0 && newCommunes.length === 0) {
    lines.push(`No claims stored${options.commune ? ` for xã ${options.commune}` : ''}${options.district ? ` in ${options.district}` : ''}.`);
    return { text: lines.join('\n'), found: true };
  }

  const shown: Shown = { flags: new Map(), claimLines: new Map() };
  const { flags } = shown;
  for (const commune of withClaims) {
    lines.push(...communeSection(queries, commune, shown));
    lines.push('');
  }
  for (const commune of newCommunes) {
    lines.push(...newCommuneSection(queries, commune, shown));
    lines.push('');
  }
  if (flags.size > 0) {
    lines.push('Flags on these claims:');
    const seen = new Set<string>();
    for (const flag of [...flags.values()].sort((a, b) => a.id - b.id)) {
      const text = `${flag.type}: ${flag.message}`;
      if (seen.has(text)) continue; // the same document in several formats
      seen.add(text);
      lines.push(`  [${flag.id}] ${text}`);
    }
  }
  return { text: lines.join('\n').trimEnd(), found: true };
}

function oldUnitLabel(unit: UnitRow): string {
  return `${unit.districtType ?? 'huyện'} ${unit.districtName ?? '?'}, ${unit.provinceType ?? 'tỉnh'} ${unit.provinceName ?? '?'}`;
}

function communeSection(queries: StatusQueries, commune: UnitRow, shown: Shown): string[] {
  const lines = [`${commune.type} ${commune.name} (${commune.code}) — ${oldUnitLabel(commune)}${commune.validTo ? ` (ceased ${commune.validTo})` : ''}`];
  lines.push(...claimLines(queries, commune.code, commune.name, 'three_level', shown));
  const successors = queries.successorsOf(commune.code);
  if (successors.length > 0) {
    const into = successors.map(
      (successor) => `${unitWordLower(successor.fullName)} (${successor.code}${successor.mergeType === 'partial' ? ', part of it' : ''})`,
    );
    lines.push(`  from 1/7/2025 in ${into.join(' and ')}: its claims stay its own, under its pre-reform code`);
  }
  return lines;
}

/**
 * A commune of the units of 1 July 2025: its own claims, then — set apart — the claims about the
 * pre-reform communes it was formed from, each under its own name, code and criteria set. An old
 * commune's 19/19 is its history, never this commune's status; a partial merge says so.
 */
function newCommuneSection(queries: StatusQueries, commune: Unit2025Row, shown: Shown): string[] {
  const lines = [
    `${commune.type} ${commune.name} (${commune.code}) — ${commune.provinceType ?? 'tỉnh'} ${commune.provinceName ?? '?'}, a commune of the units of 1/7/2025 (no district)`,
  ];
  const own = claimLines(queries, commune.code, commune.name, 'two_level_2025', shown);
  lines.push(...(own.length > 0 ? own : ['  no claims of its own yet']));
  const predecessors = queries.predecessorsOf(commune.code);
  if (predecessors.length === 0) return lines;
  lines.push(
    `  formed on 1/7/2025 from: ${predecessors.map((p) => `${p.unit.type} ${p.unit.name} (${p.unit.code}, ${p.unit.districtType ?? 'huyện'} ${p.unit.districtName ?? '?'})${p.mergeType === 'partial' ? ' in part' : ''}`).join('; ')}`,
  );
  const silent: string[] = [];
  const histories: string[] = [];
  for (const predecessor of predecessors) {
    const claims = claimLines(queries, predecessor.unit.code, predecessor.unit.name, 'three_level', shown);
    if (claims.length === 0) {
      silent.push(`${predecessor.unit.type} ${predecessor.unit.name}`);
      continue;
    }
    const share =
      predecessor.mergeType === 'partial'
        ? ` — partial merge: only part of it became ${commune.type} ${commune.name}${predecessor.otherSuccessors.length > 0 ? `, the rest went to ${predecessor.otherSuccessors.map((other) => `${unitWordLower(other.fullName)} (${other.code})`).join(', ')}` : ''}; its claims are about the whole former commune`
        : '';
    histories.push(
      `    ${predecessor.unit.type} ${predecessor.unit.name} (${predecessor.unit.code}) — ${oldUnitLabel(predecessor.unit)}, before 1/7/2025${share}`,
    );
    histories.push(...claims.map((line) => `    ${line}`));
  }
  if (histories.length > 0) {
    lines.push("  predecessors' history (their own claims, against their own criteria sets; not this commune's status):");
    lines.push(...histories);
  }
  if (silent.length > 0) lines.push(`  no claims stored for the predecessors ${silent.join(', ')}`);
  return lines;
}

/**
 * What one `ntm status` has shown: the flags to list at the end, and each commune's claim lines
 * (a pre-reform commune's are shown again under the new commune formed from it).
 */
interface Shown {
  flags: Map<number, FlagRow>;
  claimLines: Map<string, string[]>;
}

function claimLines(queries: StatusQueries, code: string, name: string, system: UnitSystemName, shown: Shown): string[] {
  const key = `${system}|${code}|${name}`;
  let lines = shown.claimLines.get(key);
  if (!lines) {
    lines = readClaimLines(queries, code, name, system, shown.flags);
    shown.claimLines.set(key, lines);
  }
  return lines;
}

/** The count and criteria claims of one commune of one gazetteer, each group with the claim that stands. */
function readClaimLines(queries: StatusQueries, code: string, name: string, system: UnitSystemName, flags: Map<number, FlagRow>): string[] {
  const lines: string[] = [];
  const counts = queries.countClaims(code, system);
  const criteria = queries.criterionClaims(code, system);
  // Thousands of claims write a few names: each distinct name is keyed once.
  const names = new Set<string>();
  const statementIds = new Set<number>();
  for (const claims of [counts, criteria])
    for (const claim of claims) {
      if (claim.communeName) names.add(claim.communeName);
      if (claim.statementId !== null) statementIds.add(claim.statementId);
    }
  const ownKey = toneKey(name);
  const written = [...names].filter((other) => toneKey(other) !== ownKey);
  if (written.length > 0) lines.push(`  written as: ${written.join(', ')}`);

  for (const [key, group] of groupBy(counts, (claim) => `${claim.level}|${claim.criteriaSet}`)) {
    const [level, set] = key.split('|');
    const standing = group.find((claim) => claim.standing);
    lines.push(
      `  ${LEVEL_NAMES[level ?? ''] ?? level ?? '?'} (${set === 'null' ? 'no criteria set' : set}) — stands: ${standing ? `${countValue(standing)}, ${standing.source}, as of ${standing.asOf ?? 'undated'}` : 'none (every claim rejected)'}`,
    );
    for (const entry of merged(group, countValue)) lines.push(`    ${entry}`);
  }

  for (const [set, group] of groupBy(criteria, (claim) => String(claim.criteriaSet))) {
    lines.push(`  criteria (${set === 'null' ? 'no criteria set' : set}):`);
    const standing = group.filter((claim) => claim.standing);
    for (const [status, claims] of groupBy(standing, (claim) => claim.status)) {
      const numbers = [...new Set(claims.map((claim) => claim.criterion))].sort((a, b) => a - b);
      lines.push(`    ${STATUS_NAMES[status] ?? status}: ${numbers.map((number) => criterionLabel(set, number)).join(', ')}`);
    }
    lines.push('    from:');
    for (const entry of merged(group, (claim) => `${STATUS_NAMES[claim.status] ?? claim.status} ${claim.criterion}`, true)) lines.push(`      ${entry}`);
  }

  const own = queries.flagsFor([...statementIds]);
  if (own.length > 0)
    lines.push(
      `  flags: ${[...new Set(own.map((flag) => flag.type))]
        .map(
          (type) =>
            `${type} [${own
              .filter((flag) => flag.type === type)
              .map((flag) => flag.id)
              .join(', ')}]`,
        )
        .join('; ')}`,
    );
  for (const flag of own) flags.set(flag.id, flag);
  return lines;
}

/** "Xã Đình Lập" → "xã Đình Lập": the mapping's full names start with a capital unit word. */
function unitWordLower(fullName: string): string {
  const word = /^(Xã|Phường|Đặc khu|Thị trấn)\s/u.exec(fullName)?.[1];
  return word ? `${word.toLowerCase()}${fullName.slice(word.length)}` : fullName;
}

/** "13/19"; with the 2026-2030 set "7/10, 38/47 chỉ tiêu, xã nhóm 2". */
function countValue(claim: CountClaim): string {
  const indicators = claim.indicatorsMet !== null && claim.indicatorsTotal !== null ? `, ${claim.indicatorsMet}/${claim.indicatorsTotal} chỉ tiêu` : '';
  const group = claim.communeGroup !== null ? `, xã nhóm ${claim.communeGroup}` : '';
  return `${claim.met}/${claim.total}${indicators}${group}`;
}

/**
 * One line per distinct claim — as-of, value, who assessed, the standing mark — with every
 * file that states it (the same report in several formats) and one quote. Criteria claims of one
 * statement are joined on one line ("unmet 2, 4, 5").
 */
function merged<T extends CountClaim | CriterionClaim>(claims: T[], value: (claim: T) => string, joinStatement = false): string[] {
  const byStatement = joinStatement
    ? groupBy(claims, (claim) => String(claim.statementId ?? `correction-${claim.asOf}`))
    : new Map(claims.map((claim, index) => [String(index), [claim]]));
  const lines = new Map<string, { text: string; standing: boolean; sources: string[]; quote: string | null }>();
  for (const group of byStatement.values()) {
    const first = group[0];
    if (!first) continue;
    const values = joinStatement ? joinCriteria(group.map(value)) : value(first);
    const quote = first.quote ? clip(first.quote) : null;
    const key = `${first.asOf}|${values}|${first.source}|${first.rejected}|${quote}`;
    const line = lines.get(key) ?? {
      text: `${first.asOf ?? 'undated'}  ${values}  ${first.source}${first.rejected ? ' (rejected by a reviewer)' : ''}`,
      standing: false,
      sources: [],
      quote,
    };
    line.standing ||= group.some((claim) => claim.standing);
    const source = sourceOf(first.fileName, first.page, first.tableRow) ?? 'reviewer';
    if (!line.sources.includes(source)) line.sources.push(source);
    lines.set(key, line);
  }
  return [...lines.values()].map((line) => {
    const more = line.sources.length > SOURCES_SHOWN ? ` (+${line.sources.length - SOURCES_SHOWN} more)` : '';
    return `${line.text}${line.standing ? '  ← stands' : ''} — ${line.sources.slice(0, SOURCES_SHOWN).join(', ')}${more}${line.quote ? `: "${line.quote}"` : ''}`;
  });
}

/** "unmet 2", "unmet 4" → "unmet 2, 4". */
function joinCriteria(values: string[]): string {
  const byStatus = new Map<string, string[]>();
  for (const value of values) {
    const cut = value.lastIndexOf(' ');
    const status = value.slice(0, cut);
    byStatus.set(status, [...(byStatus.get(status) ?? []), value.slice(cut + 1)]);
  }
  return [...byStatus].map(([status, numbers]) => `${status} ${numbers.join(', ')}`).join('; ');
}

function criterionLabel(set: string, number: number): string {
  const name = criteriaSetByCode(set)?.criteria.find((criterion) => criterion.number === number)?.name;
  return name ? `${number} ${name}` : String(number);
}

function clip(quote: string): string {
  const flat = quote
    .replace(/[*_#]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > QUOTE_LENGTH ? `${flat.slice(0, QUOTE_LENGTH - 1)}…` : flat;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name);
    if (group) group.push(item);
    else groups.set(name, [item]);
  }
  return groups;
}
