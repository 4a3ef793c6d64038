import type { Flag, PlaceUnits, ResolvedUnit, Statement } from '../statement.js';
import type { DocumentScope } from './document-scope.js';
import type { Gazetteer2025, Unit2025 } from './gazetteer-2025.js';
import { foldName } from './place-names.js';

/** The pre-reform resolver, for clauses that name former units. */
export interface PreReformPlaces {
  resolve(statement: Statement): PlaceUnits;
}

const EVIDENCE_PER_FLAG = 5;
/** Sets that only communes formed on 1 July 2025 are judged against. */
const POST_REFORM_SETS = new Set(['ntm_2026_2030']);
const MATCH_FACTOR = { exact: 1, folded: 0.95, fuzzy: 0.9 } as const;

/**
 * Places in a document dated on or after 1 July 2025, resolved against the units in force then:
 * a commune is one of the province's new communes, with no district. Clause by clause, what the
 * new units do not explain falls back to the pre-reform gazetteer: a commune written with its
 * former district ("xã Thượng Cường, huyện Chi Lăng (cũ)") or a name no new commune has.
 * A "huyện" in such a document is a former district: kept as written, resolved to its old code,
 * and marked `former`.
 */
export class PostReformPlaces {
  private readonly issues = new Map<string, { type: Flag['type']; message: string; statements: Statement[] }>();
  readonly province: { unit: Unit2025; basis: string } | null;

  constructor(
    private readonly scope: DocumentScope,
    private readonly units: Gazetteer2025,
    private readonly before: PreReformPlaces,
  ) {
    this.province = this.chooseProvince();
  }

  resolve(statement: Statement): PlaceUnits {
    const { place } = statement;
    const districtHere = this.districtInSentence(statement);
    const former = districtHere ? this.formerDistrict(place.district) : null;
    // Clause by clause: "xã X, huyện Y (cũ) đạt 15/19" speaks of the old commune; a count against
    // the 2026-2030 set is about a new commune whatever district is written with it.
    const oldClause =
      districtHere && !POST_REFORM_SETS.has(statement.criteriaSet ?? '') && place.commune !== null && this.writtenWithFormerDistrict(place.commune);
    if (place.commune && !oldClause) {
      const found = this.commune(place.commune);
      if (found.kind === 'resolved') {
        return { province: this.provinceRef(place.province, found.commune.confidence), district: former, commune: found.commune, system: 'two_level_2025' };
      }
      if (found.kind === 'ambiguous') {
        this.note(
          statement,
          'ambiguous_unit',
          `xã ${place.commune} fits ${found.units.length} communes of the units in force from 1/7/2025 ${this.where()}: ${found.units.map(describe).join('; ')}. Its statements are attached to none of them until a reviewer chooses.`,
        );
        return {
          province: this.provinceRef(place.province, 0.8),
          district: former,
          commune: { name: place.commune, code: null, method: null, confidence: 0, basis: 'fits several units: see the ambiguous_unit flag' },
          system: 'two_level_2025',
        };
      }
    }
    if (!place.commune) {
      // A statement about the province (or a former district): the new province, the district as written.
      if (former) return { ...this.before.resolve(statement), district: former };
      return { province: this.provinceRef(place.province, 0.9), district: null, commune: null, system: 'two_level_2025' };
    }
    // A former commune (no new commune has its name, or it is written with its former district).
    const old = this.before.resolve(statement);
    const commune = old.commune?.code
      ? { ...old.commune, basis: `${old.commune.basis}; a unit from before 1/7/2025, named in a document dated after it` }
      : old.commune;
    return {
      ...old,
      commune,
      district:
        old.district && place.district
          ? { ...old.district, former: true, basis: `${old.district.basis}; a former district (districts were abolished on 1/7/2025)` }
          : old.district,
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

  /**
   * Is a district named in the statement's own sentence? A new commune has no district: a former
   * one named elsewhere in the document ("xã X, huyện Y (cũ)" two paragraphs down) is not its.
   */
  private districtInSentence(statement: Statement): boolean {
    const citation = statement.citations[0];
    if (!citation) return false;
    const { context } = this.scope;
    const sentence = context.sentenceAt(context.positionOf(citation));
    return context.mentions.within(sentence.start, sentence.end).some((mention) => mention.level === 'district');
  }

  /** "xã X, huyện Y" in this document: the clause locates X in a former district, so X is the old commune. */
  private writtenWithFormerDistrict(commune: string): boolean {
    return this.scope.districtsApposedTo(commune).some((district) => {
      const named = this.scope.districtNamed(district);
      return named !== null && named !== 'ambiguous';
    });
  }

  private readonly communes = new Map<string, ReturnType<PostReformPlaces['findCommune']>>();

  private commune(name: string) {
    const key = foldName(name);
    let found = this.communes.get(key);
    if (!found) {
      found = this.findCommune(name);
      this.communes.set(key, found);
    }
    return found;
  }

  private findCommune(name: string): { kind: 'resolved'; commune: ResolvedUnit } | { kind: 'ambiguous'; units: Unit2025[] } | { kind: 'none' } {
    const province = this.province?.unit ?? null;
    const lookup = this.units.lookup(3, name, { provinceCode: province?.code ?? null, types: this.scope.communeTypesFor(name) });
    if (!lookup) return { kind: 'none' };
    const [only] = lookup.units;
    if (lookup.units.length > 1 || !only) return { kind: 'ambiguous', units: lookup.units };
    const confidence = MATCH_FACTOR[lookup.match] * (province ? 1 : 0.8);
    const basis = province
      ? `the ${only.type} ${only.name} of ${province.type} ${province.name} in the units of 1/7/2025 (the document is dated after the reform)`
      : `the only ${only.type} of this name in the units of 1/7/2025 (the document is dated after the reform)`;
    return { kind: 'resolved', commune: { name, code: only.code, method: lookup.match, confidence: Math.round(confidence * 100) / 100, basis } };
  }

  /** A district named after the reform: its former unit, marked as such; null when none is written. */
  private formerDistrict(written: string | null): ResolvedUnit | null {
    if (!written) return null;
    const named = this.scope.districtNamed(written);
    const basis = 'a former district (districts were abolished on 1/7/2025), kept as written';
    if (named === 'ambiguous')
      return { name: written, code: null, method: null, confidence: 0, basis: `${basis}; several former districts have this name`, former: true };
    if (!named) return { name: written, code: null, method: null, confidence: 0, basis: `${basis}; names no former district of the gazetteer`, former: true };
    return {
      name: written,
      code: named.unit.code,
      method: named.lookup.match,
      confidence: MATCH_FACTOR[named.lookup.match],
      basis: `${basis}, resolved to its pre-reform code`,
      former: true,
    };
  }

  /** The document's province among the 34 of 1/7/2025: the one its mentions name most, the heading first. */
  private chooseProvince(): { unit: Unit2025; basis: string } | null {
    const votes = new Map<string, { unit: Unit2025; count: number; first: number }>();
    for (const mention of this.scope.context.mentions.all) {
      if (mention.level !== 'province' || mention.plural) continue;
      for (const name of mention.names) {
        const lookup = this.units.lookup(1, name);
        const [unit] = lookup?.units ?? [];
        if (!unit || (lookup?.units.length ?? 0) > 1) continue;
        const vote = votes.get(unit.code) ?? { unit, count: 0, first: mention.start };
        vote.count += mention.start < this.scope.headingEnd ? 2 : 1;
        votes.set(unit.code, vote);
      }
    }
    const best = [...votes.values()].sort((a, b) => b.count - a.count || a.first - b.first)[0];
    if (best) return { unit: best.unit, basis: `named in the document (${best.unit.type} ${best.unit.name} of the units of 1/7/2025)` };
    // No province named: the old province, where a new one has its code and name.
    const old = this.scope.province?.unit;
    const same = old ? this.units.unit(old.code) : undefined;
    return same && old && same.folded === old.folded ? { unit: same, basis: `the document's province (${this.scope.province?.basis ?? 'context'})` } : null;
  }

  private provinceRef(written: string | null, confidence: number): ResolvedUnit | null {
    const province = this.province;
    if (!province) return written ? { name: written, code: null, method: null, confidence: 0, basis: 'names no province of the units of 1/7/2025' } : null;
    const lookup = written ? this.units.lookup(1, written) : null;
    if (written && lookup?.units.some((unit) => unit.code === province.unit.code)) {
      return {
        name: written,
        code: province.unit.code,
        method: lookup.match,
        confidence: Math.min(confidence, MATCH_FACTOR[lookup.match]),
        basis: 'named in the document',
      };
    }
    return { name: province.unit.name, code: province.unit.code, method: 'context', confidence: Math.round(confidence * 100) / 100, basis: province.basis };
  }

  private where(): string {
    return this.province ? `of ${this.province.unit.type} ${this.province.unit.name}` : 'in the country (the document names no province)';
  }

  private note(statement: Statement, type: Flag['type'], message: string): void {
    const issue = this.issues.get(message);
    if (issue) issue.statements.push(statement);
    else this.issues.set(message, { type, message, statements: [statement] });
  }
}

function describe(unit: Unit2025): string {
  return `${unit.type} ${unit.name} (${unit.code})`;
}
