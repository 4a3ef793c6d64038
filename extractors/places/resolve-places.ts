import type { DocumentContext } from '../context/document-context.js';
import { jointMentionFlags } from './joint-mention-check.js';
import type { Flag, PlaceUnits, ResolutionMethod, ResolvedUnit, Statement } from '../statement.js';
import type { PageSpan } from '../text/document-text.js';
import { DocumentScope, type JurisdictionMismatch } from './document-scope.js';
import { gazetteer, uniqueByCode, type Gazetteer, type NameLookup, type UnitVersion } from './gazetteer.js';
import { afterReform, gazetteer2025, type Gazetteer2025 } from './gazetteer-2025.js';
import { foldName } from './place-names.js';
import { PostReformPlaces } from './post-reform-places.js';

export interface PlaceResolution {
  statements: Statement[];
  flags: Flag[];
  scope: DocumentScope;
}

/** A commune name that resolved, or why it did not. */
type CommuneOutcome =
  | { kind: 'resolved'; unit: UnitVersion; method: ResolutionMethod; confidence: number; basis: string }
  | { kind: 'ambiguous'; candidates: UnitVersion[]; where: string }
  | { kind: 'unknown'; elsewhere: UnitVersion[]; where: string };

/** Evidence shown per flag: enough quotes to judge, not every repetition. */
const EVIDENCE_PER_FLAG = 5;

const MATCH_FACTOR: Record<'exact' | 'folded', number> = { exact: 1, folded: 0.95 };

/**
 * Ties every statement's province, district and commune to gazetteer units, using the
 * document's context (see DocumentScope), and flags what cannot be tied: a name that fits
 * several units in context (`ambiguous_unit`), one that fits none (`unknown_unit`), and a heading
 * that names another district or province than its body and communes (`jurisdiction_mismatch`).
 * One pass over the statements, with lookups cached per distinct name.
 */
export function resolvePlaces(
  context: DocumentContext,
  statements: readonly Statement[],
  places: Gazetteer = gazetteer(),
  reformed: () => Gazetteer2025 = gazetteer2025,
): PlaceResolution {
  const scope = new DocumentScope(context, places, statements);
  const resolver = new StatementPlaces(scope, places);
  // A document dated on or after 1 July 2025 is read against the units in force then.
  const after = afterReform(context.documentDate) ? new PostReformPlaces(scope, reformed(), resolver) : null;
  const resolved = statements.map((statement) => ({ ...statement, units: (after ?? resolver).resolve(statement) }) as Statement);
  const flags = [...resolver.unitFlags(), ...(after?.unitFlags() ?? []), ...jurisdictionFlags(scope, resolved), ...jointMentionFlags(scope, resolved)];
  return { statements: resolved, flags, scope };
}

class StatementPlaces {
  private readonly communes = new Map<string, CommuneOutcome>();
  /** Flags about names, keyed by level, name and outcome, with the statements that use the name. */
  private readonly issues = new Map<string, { type: Flag['type']; message: string; statements: Statement[] }>();

  constructor(
    private readonly scope: DocumentScope,
    private readonly places: Gazetteer,
  ) {}

  resolve(statement: Statement): PlaceUnits {
    const { place } = statement;
    if (place.commune) {
      const outcome = this.commune(place.commune, place.district);
      if (outcome.kind === 'resolved') {
        const commune: ResolvedUnit = {
          name: place.commune,
          code: outcome.unit.code,
          method: outcome.method,
          confidence: outcome.confidence,
          basis: outcome.basis,
        };
        const district = this.parentOf(outcome.unit, place.district, commune);
        return { province: this.provinceAbove(district.unit, place.province, commune.confidence), district: district.ref, commune };
      }
      this.note(statement, outcome, place.commune);
      const commune: ResolvedUnit = {
        name: place.commune,
        code: null,
        method: null,
        confidence: 0,
        basis: outcome.kind === 'ambiguous' ? 'fits several units: see the ambiguous_unit flag' : 'fits no unit: see the unknown_unit flag',
      };
      const district = this.district(place.district);
      return {
        province: this.provinceAbove(district?.unit ?? null, place.province, district?.ref.confidence ?? 0.8),
        district: district?.ref ?? null,
        commune,
      };
    }
    const district = this.district(place.district);
    return {
      province: this.provinceAbove(district?.unit ?? null, place.province, district?.ref.confidence ?? 0.8),
      district: district?.ref ?? null,
      commune: null,
    };
  }

  unitFlags(): Flag[] {
    return [...this.issues.values()].map((issue) => ({
      type: issue.type,
      message: issue.message,
      statements: issue.statements.map((statement) => statement.index),
      evidence: issue.statements.slice(0, EVIDENCE_PER_FLAG).flatMap((statement) => statement.citations.slice(0, 1)),
    }));
  }

  // -------------------------------------------------------------------------------------------

  /** Cached per (commune name, district written before it). */
  private commune(name: string, writtenDistrict: string | null): CommuneOutcome {
    const key = `${foldName(name)}|${foldName(writtenDistrict ?? '')}`;
    let outcome = this.communes.get(key);
    if (!outcome) {
      outcome = this.resolveCommune(name, writtenDistrict);
      this.communes.set(key, outcome);
    }
    return outcome;
  }

  private resolveCommune(name: string, writtenDistrict: string | null): CommuneOutcome {
    const { scope } = this;
    const types = scope.communeTypesFor(name);
    const province = scope.province?.unit ?? null;
    let lookup: NameLookup | null = scope.lookup(3, name, types);
    if (!lookup) {
      const pool = province ? this.places.unitsInProvince(3, province.code, scope.range) : null;
      lookup = this.places.fuzzy(3, name, pool, { range: scope.range, types });
    }
    if (!lookup) return { kind: 'unknown', elsewhere: [], where: 'in the gazetteer' };
    const candidates = lookup.versions;
    const match = lookup.match === 'fuzzy' ? 0.9 * lookup.similarity : MATCH_FACTOR[lookup.match];
    const resolved = (unit: UnitVersion, factor: number, basis: string): CommuneOutcome => ({
      kind: 'resolved',
      unit,
      method: lookup.match,
      confidence: round(match * (candidates.length === 1 ? 1 : factor)),
      basis: lookup.match === 'fuzzy' ? `${basis}; spelled "${unit.name}" in the gazetteer` : basis,
    });
    const formerly = (unit: UnitVersion) => {
      const latest = this.places.unit(unit.code);
      return latest && latest.name !== unit.name ? ` (named ${latest.name} from ${latest.validFrom})` : '';
    };

    // 1. A district written right after the commune's name somewhere ("xã Chí Minh, huyện Tràng Định").
    const apposed = uniqueByCode(
      scope.districtsApposedTo(name).flatMap((district) => {
        const found = scope.districtNamed(district);
        return found && found !== 'ambiguous' ? candidates.filter((unit) => unit.parentCode === found.unit.code) : [];
      }),
    );
    const [locatedOnly] = apposed;
    if (apposed.length === 1 && locatedOnly) {
      const district = this.places.unit(locatedOnly.parentCode ?? '');
      return resolved(
        locatedOnly,
        1,
        `located by the text: "${types[0] ?? 'xã'} ${name}, ${district?.type ?? 'huyện'} ${district?.name ?? '?'}"${formerly(locatedOnly)}`,
      );
    }
    // 2. The district written nearest before it ("… huyện Chi Lăng … xã Chi Lăng").
    const named = scope.districtNamed(writtenDistrict);
    if (named && named !== 'ambiguous') {
      const inNamed = candidates.filter((unit) => unit.parentCode === named.unit.code);
      const [only] = inNamed;
      if (inNamed.length === 1 && only) return resolved(only, 0.95, `in huyện ${named.unit.name}, named before it${formerly(only)}`);
      if (inNamed.length > 1) return { kind: 'ambiguous', candidates: inNamed, where: `in ${districtLabel(named.unit)}` };
    }
    // 3. The district the document is about (most of its communes lie there).
    const home = scope.home;
    if (home) {
      const inHome = candidates.filter((unit) => unit.parentCode === home.unit.code);
      const [only] = inHome;
      if (inHome.length === 1 && only) return resolved(only, 0.9, `in ${districtLabel(home.unit)}, the district of the document's communes${formerly(only)}`);
    }
    // 4. The document's province.
    if (province) {
      const inProvince = candidates.filter((unit) => this.places.provinceOf(unit)?.code === province.code);
      const [only] = inProvince;
      if (inProvince.length === 1 && only) return resolved(only, 0.85, `the only ${only.type} ${only.name} of tỉnh ${province.name}${formerly(only)}`);
      if (inProvince.length > 1) return { kind: 'ambiguous', candidates: inProvince, where: `in tỉnh ${province.name}, with no district that settles it` };
      return { kind: 'unknown', elsewhere: candidates, where: `in tỉnh ${province.name} (the document's province: ${scope.province?.basis})` };
    }
    // 5. No province known: only a name unique in the whole country resolves.
    const [only] = candidates;
    if (candidates.length === 1 && only) return resolved(only, 0.8, `the only ${only.type} of this name${formerly(only)}`);
    return { kind: 'ambiguous', candidates, where: 'in the country (the document names no province or district that settles it)' };
  }

  /** The district above a resolved commune; its name as the statement writes it if it is that district. */
  private parentOf(commune: UnitVersion, writtenDistrict: string | null, child: ResolvedUnit): { unit: UnitVersion | null; ref: ResolvedUnit } {
    const unit = commune.parentCode ? this.places.unitAt(commune.parentCode, this.scope.range) : undefined;
    if (!unit) return { unit: null, ref: { name: '', code: null, method: null, confidence: 0, basis: 'no parent in the gazetteer' } };
    const written = writtenDistrict ? this.scope.lookup(2, writtenDistrict) : null;
    if (writtenDistrict && written?.versions.some((version) => version.code === unit.code)) {
      return {
        unit,
        ref: {
          name: writtenDistrict,
          code: unit.code,
          method: written.match,
          confidence: child.confidence,
          basis: 'named with the statement; holds its commune',
        },
      };
    }
    const mismatch = this.scope.mismatch;
    const overruled = mismatch?.level === 'district' && written?.versions.some((version) => version.code === mismatch.heading.code);
    const basis = overruled
      ? `holds ${commune.type} ${child.name}; the heading's ${mismatch.heading.type} ${mismatch.heading.name} does not: see the jurisdiction_mismatch flag`
      : writtenDistrict
        ? `holds ${commune.type} ${child.name} (the statement follows "${writtenDistrict}", which does not)`
        : `holds ${commune.type} ${child.name}`;
    return { unit, ref: { name: this.scope.writtenName(unit) ?? unit.name, code: unit.code, method: 'context', confidence: child.confidence, basis } };
  }

  /** A district-level statement's district: the one written before it, else the document's own. */
  private district(written: string | null): { unit: UnitVersion | null; ref: ResolvedUnit } | null {
    if (!written) return null;
    const { scope } = this;
    const mismatch = scope.mismatch?.level === 'district' ? scope.mismatch : null;
    const named = scope.districtNamed(written);
    if (named === 'ambiguous') {
      return {
        unit: null,
        ref: { name: written, code: null, method: null, confidence: 0, basis: 'several districts have this name and nothing in the document settles it' },
      };
    }
    if (named && mismatch && named.unit.code === mismatch.heading.code) {
      const unit = mismatch.supported;
      return {
        unit,
        ref: {
          name: scope.writtenName(unit) ?? unit.name,
          code: unit.code,
          method: 'context',
          confidence: 0.8,
          basis: `attached to huyện ${unit.name} instead of the heading's huyện ${named.unit.name}: see the jurisdiction_mismatch flag`,
        },
      };
    }
    if (named)
      return {
        unit: named.unit,
        ref: {
          name: written,
          code: named.unit.code,
          method: named.lookup.match,
          confidence: MATCH_FACTOR[named.lookup.match === 'fuzzy' ? 'folded' : named.lookup.match],
          basis: 'named before the statement',
        },
      };
    const home = scope.home;
    if (home) {
      const unit = home.unit;
      return {
        unit,
        ref: {
          name: scope.writtenName(unit) ?? unit.name,
          code: unit.code,
          method: 'context',
          confidence: 0.7,
          basis: `"${written}" names no district; the document's district`,
        },
      };
    }
    return { unit: null, ref: { name: written, code: null, method: null, confidence: 0, basis: 'names no district of the gazetteer' } };
  }

  /** The province above a district, else the one the document names. */
  private provinceAbove(district: UnitVersion | null, written: string | null, confidence: number): ResolvedUnit | null {
    const unit = district ? this.places.provinceOf(district) : this.scope.province?.unit;
    if (!unit) return written ? { name: written, code: null, method: null, confidence: 0, basis: 'names no province of the gazetteer' } : null;
    const lookup = written ? this.scope.lookup(1, written) : null;
    if (written && lookup?.versions.some((version) => version.code === unit.code)) {
      return {
        name: written,
        code: unit.code,
        method: lookup.match,
        confidence: round(Math.min(confidence, MATCH_FACTOR[lookup.match === 'fuzzy' ? 'folded' : lookup.match])),
        basis: 'named in the document',
      };
    }
    const basis = district ? `the province of huyện ${district.name}` : (this.scope.province?.basis ?? "the document's province");
    return { name: this.scope.writtenName(unit) ?? unit.name, code: unit.code, method: 'context', confidence: round(confidence), basis };
  }

  private note(statement: Statement, outcome: Exclude<CommuneOutcome, { kind: 'resolved' }>, name: string): void {
    const key = `${outcome.kind}|${foldName(name)}|${outcome.where}`;
    const issue = this.issues.get(key);
    if (issue) {
      issue.statements.push(statement);
      return;
    }
    const message =
      outcome.kind === 'ambiguous'
        ? `xã ${name} fits ${uniqueByCode(outcome.candidates).length} units ${outcome.where}: ${outcome.candidates.map((unit) => this.describe(unit)).join('; ')}. Its statements are attached to none of them until a reviewer chooses.`
        : outcome.elsewhere.length > 0
          ? `xã ${name} is no commune ${outcome.where}; the gazetteer has it only elsewhere: ${outcome.elsewhere
              .slice(0, 5)
              .map((unit) => this.describe(unit))
              .join('; ')}${outcome.elsewhere.length > 5 ? `; and ${outcome.elsewhere.length - 5} more` : ''}. Its statements are attached to no commune.`
          : `xã ${name} matches no commune ${outcome.where} (any name from 2012 to 2025, with or without diacritics, nor one or two letters off). Its statements are attached to no commune.`;
    this.issues.set(key, { type: outcome.kind === 'ambiguous' ? 'ambiguous_unit' : 'unknown_unit', message, statements: [statement] });
  }

  private describe(unit: UnitVersion): string {
    const district = this.places.districtOf(unit);
    const province = this.places.provinceOf(unit);
    return `${unit.type} ${unit.name} (${unit.code}${district && district !== unit ? `, ${district.type} ${district.name}` : ''}${province ? `, ${province.type} ${province.name}` : ''})`;
  }
}

function districtLabel(unit: UnitVersion): string {
  return `${unit.type} ${unit.name}`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

// ---------------------------------------------------------------------------------------------
// jurisdiction_mismatch

/** One flag when the heading names a unit that the evidence does not support. */
function jurisdictionFlags(scope: DocumentScope, statements: readonly Statement[]): Flag[] {
  const mismatch = scope.mismatch;
  if (!mismatch) return [];
  const places = scope.gazetteer;
  const headingName = foldName(mismatch.heading.name);
  // The statements written under the heading's unit, now attached to the supported one.
  const involved = statements.filter((statement) => {
    const written = mismatch.level === 'district' ? statement.place.district : statement.place.province;
    return written !== null && foldName(written) === headingName;
  });
  if (involved.length === 0) return [];
  const label = (unit: UnitVersion) =>
    `${unit.type} ${unit.name} (${unit.code}${mismatch.level === 'district' ? `, ${places.provinceOf(unit)?.type ?? 'tỉnh'} ${places.provinceOf(unit)?.name ?? '?'}` : ''})`;
  const supported = scope.districts.get(mismatch.supported.code);
  const why: string[] = [];
  if (mismatch.level === 'district' && supported) {
    const communes = [...supported.communes.values()];
    if (mismatch.reason === 'communes')
      why.push(`its communes ${communes.join(', ')} lie there, and ${mismatch.heading.type} ${mismatch.heading.name} has none of them`);
    const headingBody = scope.districts.get(mismatch.heading.code)?.body.length ?? 0;
    if (supported.body.length > 0) {
      why.push(
        `the body names ${mismatch.supported.type} ${mismatch.supported.name} ${times(supported.body.length)}${headingBody > 0 ? ` (and repeats the heading's ${mismatch.heading.type} ${mismatch.heading.name} ${times(headingBody)})` : ''}`,
      );
    }
    const headingProvince = places.provinceOf(mismatch.heading);
    const documentProvince = scope.province?.unit;
    if (headingProvince && documentProvince && headingProvince.code !== documentProvince.code) {
      why.push(
        `${mismatch.heading.type} ${mismatch.heading.name} is in ${headingProvince.type} ${headingProvince.name}, while the document's communes and body are in ${documentProvince.type} ${documentProvince.name}`,
      );
    }
    const sizes = districtSizeFit(scope, statements, mismatch);
    if (sizes) why.push(sizes);
  } else if (mismatch.level === 'province') {
    why.push(`the districts and communes it names lie in ${label(mismatch.supported)}, none in ${label(mismatch.heading)}`);
  }
  const message =
    `The heading names ${label(mismatch.heading)}, but the evidence supports ${label(mismatch.supported)}: ${why.join('; ')}. ` +
    `The ${involved.length} statement(s) written under ${mismatch.heading.type} ${mismatch.heading.name} are attached to ${mismatch.supported.type} ${mismatch.supported.name}.`;
  return [
    {
      type: 'jurisdiction_mismatch',
      message,
      statements: involved.map((statement) => statement.index),
      evidence: jurisdictionEvidence(scope, mismatch, involved),
    },
  ];
}

/** "its 10/21 xã fits the 21 xã of huyện Tràng Định (huyện Trùng Khánh has 19)". */
function districtSizeFit(scope: DocumentScope, statements: readonly Statement[], mismatch: JurisdictionMismatch): string | null {
  const places = scope.gazetteer;
  const count = (unit: UnitVersion) => places.childrenOf(unit.code, scope.range).filter((child) => child.type === 'xã').length;
  const stated = statements.find(
    (statement) => statement.kind === 'district_aggregate' && statement.metric === 'communes_meeting_standard' && statement.of !== null,
  );
  if (!stated || stated.kind !== 'district_aggregate' || stated.of === null) return null;
  const supported = count(mismatch.supported);
  const heading = count(mismatch.heading);
  if (stated.of !== supported || stated.of === heading) return null;
  return `its "${stated.value}/${stated.of} xã" fits the ${supported} xã of ${mismatch.supported.type} ${mismatch.supported.name} (${mismatch.heading.type} ${mismatch.heading.name} has ${heading})`;
}

/** The heading (title, else issuer, else the heading mention), a body passage naming the supported unit, the statements' quotes. */
function jurisdictionEvidence(scope: DocumentScope, mismatch: JurisdictionMismatch, involved: readonly Statement[]): PageSpan[] {
  const { context } = scope;
  const evidence: PageSpan[] = [];
  const metadata = context.metadata;
  const headingMention = mismatch.headingMentions[0];
  const inField = (field: { citation: PageSpan | null } | null) => {
    if (!field?.citation || !headingMention) return false;
    const start = context.positionOf(field.citation);
    const end = context.positionOf({ ...field.citation, start: field.citation.end });
    return headingMention.start >= start && headingMention.end <= end;
  };
  const heading = [metadata.title, metadata.issuer].find(inField)?.citation;
  if (heading) evidence.push(heading);
  else if (headingMention) evidence.push(...scope.spanOf(headingMention));
  const bodyMention = scope.districts.get(mismatch.supported.code)?.body[0];
  if (bodyMention) evidence.push(...passage(context, bodyMention.start, bodyMention.end));
  for (const statement of involved.filter((s) => s.place.commune).slice(0, 3)) evidence.push(...statement.citations.slice(0, 1));
  return evidence;
}

/** A mention with up to ~120 characters of its sentence on each side, cut at spaces. */
function passage(context: DocumentContext, start: number, end: number): PageSpan[] {
  const sentence = context.sentenceAt(start);
  let from = Math.max(sentence.start, start - 120);
  let to = Math.min(sentence.end, end + 120);
  if (from > sentence.start) from = context.nfc.indexOf(' ', from) + 1 || start;
  if (to < sentence.end) to = Math.max(end, context.nfc.lastIndexOf(' ', to));
  return context.text.toPageSpans(Math.min(from, start), Math.max(to, end));
}

function times(count: number): string {
  return count === 1 ? 'once' : `${count} times`;
}
