import type { DocumentContext } from '../context/document-context.js';
import type { Statement } from '../statement.js';
import type { PageSpan } from '../text/document-text.js';
import { firstDayOf, type PartialDate } from '../tokens/dates.js';
import type { PlaceMention } from '../tokens/places.js';
import { type DateRange, type Gazetteer, type GazetteerLevel, type NameLookup, type UnitVersion } from './gazetteer.js';
import { foldName } from './place-names.js';

/** The unit word written before a name, in the matching view ("thi tran" for "thị trấn"). */
const UNIT_WORD = /^(thi\s+tran|thi\s+xa|thanh\s+pho|xa|phuong|huyen|quan|tinh)\b/;
/** Gazetteer types a unit word asks for. */
const TYPES_OF_WORD: Record<string, readonly string[]> = {
  xa: ['xã'],
  phuong: ['phường'],
  'thi tran': ['thị trấn'],
  huyen: ['huyện'],
  quan: ['quận'],
  'thi xa': ['thị xã'],
  'thanh pho': ['thành phố'],
  tinh: ['tỉnh', 'thành phố'],
};
/** What may stand between a commune and the district that locates it: ", ", " (", " - ", " thuộc ". */
const APPOSITION = /^\s*(?:,|\(|-|thuoc)?\s*$/;
/** NTM assesses xã: a commune named without a unit word (in a list of names) is a xã first. */
const DEFAULT_COMMUNE_TYPES = TYPES_OF_WORD.xa ?? [];
/** "TP. Lạng Sơn", "Thành phố Lạng Sơn", "TX. …" in a header's place line. */
const CITY_PREFIX = /^(?:tp|thanh\s+pho|tx|thi\s+xa)\b\.?\s*/;

/** What the document says about one district: the communes it names there, where it names it. */
export interface DistrictEvidence {
  unit: UnitVersion;
  /** The document's commune names (folded → as written) that a commune of this district has. */
  communes: Map<string, string>;
  /** Mentions in the heading (issuer, number, date line, title) and in the body. */
  heading: PlaceMention[];
  body: PlaceMention[];
  /** Named by the header's place line ("Hữu Lũng, ngày …"). */
  header: boolean;
}

/** The heading named one district (or province); the evidence points to another. */
export interface JurisdictionMismatch {
  level: 'district' | 'province';
  /** The unit the heading names. */
  heading: UnitVersion;
  headingMentions: PlaceMention[];
  /** The unit the statements are attached to instead. */
  supported: UnitVersion;
  /** "communes": the document's communes lie there; "body": only the body names it. */
  reason: 'communes' | 'body';
}

export interface ProvinceChoice {
  unit: UnitVersion;
  basis: string;
}

/**
 * Everything a document says about where it is: the date its units are read at, the heading,
 * the districts it names with the communes that lie in each, the district it is about (the one
 * holding most of its communes, else the one its heading names) and its province.
 */
export class DocumentScope {
  readonly range: DateRange | null;
  /** End of the heading (issuer, number, place and date, title) in the matching view. */
  readonly headingEnd: number;
  readonly districts = new Map<string, DistrictEvidence>();
  readonly home: DistrictEvidence | null;
  readonly province: ProvinceChoice | null;
  readonly mismatch: JurisdictionMismatch | null;
  /** Heading mentions of provinces, resolved. */
  readonly headingProvinces = new Map<string, { unit: UnitVersion; mentions: PlaceMention[] }>();
  /** Folded commune name → the unit types its unit words ask for ("phường X" → phường). */
  private readonly communeTypes = new Map<string, Set<string>>();
  /** Folded commune name → districts written right after it ("xã Chí Minh, huyện Tràng Định"). */
  private readonly apposed = new Map<string, Set<string>>();
  /** Folded name → how the document first writes it, per level. */
  private readonly written = new Map<string, string>();
  private readonly provinceVotes = new Map<string, { unit: UnitVersion; heading: number; header: number; body: number }>();

  constructor(
    readonly context: DocumentContext,
    readonly gazetteer: Gazetteer,
    statements: readonly Statement[],
  ) {
    this.range = dateRange(context.documentDate);
    this.headingEnd = this.findHeadingEnd();
    this.readHeaderPlace();
    const commentioned: Array<{ mention: PlaceMention; name: string }> = [];
    let previous: PlaceMention | null = null;
    for (const mention of context.mentions.all) {
      if (
        previous?.level === 'commune' &&
        !previous.plural &&
        mention.level === 'district' &&
        !mention.plural &&
        APPOSITION.test(context.fold.slice(previous.end, mention.start))
      ) {
        const key = foldName(previous.names[0] ?? '');
        const districts = this.apposed.get(key) ?? new Set<string>();
        districts.add(mention.names[0] ?? '');
        this.apposed.set(key, districts);
      }
      previous = mention;
      if (mention.level === 'village') continue;
      const word = unitWordAt(context.fold, mention.start);
      for (const name of mention.names) {
        this.remember(mention.level, name);
        if (mention.level === 'commune') {
          const types = TYPES_OF_WORD[word] ?? DEFAULT_COMMUNE_TYPES;
          const key = foldName(name);
          const known = this.communeTypes.get(key) ?? new Set<string>();
          for (const type of types) known.add(type);
          this.communeTypes.set(key, known);
          commentioned.push({ mention, name });
        } else if (mention.level === 'district') {
          this.addDistrictMention(mention, name, word);
        } else {
          this.addProvinceMention(mention, name, word);
        }
      }
    }
    // Statements name communes that no mention holds ("Số xã đạt 19 tiêu chí 03 xã: A, B").
    for (const statement of statements) {
      if (statement.place.commune) this.remember('commune', statement.place.commune);
    }
    for (const { name } of commentioned) this.addCommuneSupport(name);
    for (const statement of statements) if (statement.place.commune) this.addCommuneSupport(statement.place.commune);

    const firstGuess = this.provinceFromVotes();
    const home = this.chooseHome(firstGuess?.unit ?? null);
    this.mismatch = this.findMismatch(home, statements);
    this.home = this.mismatch ? (this.districts.get(this.mismatch.supported.code) ?? home) : home;
    this.province = this.chooseProvince(firstGuess);
  }

  private readonly lookups = new Map<string, NameLookup | null>();

  /** `gazetteer.lookup` at the document's date, cached: a document repeats its names. */
  lookup(level: GazetteerLevel, name: string, types?: readonly string[]): NameLookup | null {
    const key = `${level}|${name}|${types?.join(',') ?? ''}`;
    let found = this.lookups.get(key);
    if (found === undefined) {
      found = this.gazetteer.lookup(level, name, { range: this.range, types });
      this.lookups.set(key, found);
    }
    return found;
  }

  /** Gazetteer types for a commune written with this name in the document (xã unless only written otherwise). */
  communeTypesFor(name: string): readonly string[] {
    const types = this.communeTypes.get(foldName(name));
    // Written both ways ("thị trấn Chi Lăng" and "xã Chi Lăng"): a statement about NTM is the xã's.
    if (!types || types.size === 0 || types.has('xã')) return DEFAULT_COMMUNE_TYPES;
    return [...types];
  }

  /** The districts the document writes right after this commune's name, anywhere. */
  districtsApposedTo(name: string): string[] {
    return [...(this.apposed.get(foldName(name)) ?? [])];
  }

  /** How the document writes a unit, if it does. */
  writtenName(unit: UnitVersion): string | null {
    return this.written.get(`${levelName(unit.level)}|${unit.folded}`) ?? null;
  }

  /** The district a written district name stands for here, or null (no such district, or noise). */
  districtNamed(name: string | null): { unit: UnitVersion; lookup: NameLookup } | 'ambiguous' | null {
    if (!name) return null;
    const lookup = this.lookup(2, name);
    if (!lookup) return null;
    const chosen = this.pickDistrict(lookup.versions);
    return chosen ? { unit: chosen, lookup } : 'ambiguous';
  }

  /** Among districts of one name: the one the document supports best, else the one in its province. */
  pickDistrict(versions: readonly UnitVersion[]): UnitVersion | null {
    if (versions.length === 1) return versions[0] ?? null;
    const scored = versions.map((unit) => ({ unit, score: this.districtScore(unit.code, this.province?.unit ?? null) }));
    scored.sort((a, b) => compareScores(b.score, a.score));
    const [first, second] = scored;
    if (!first) return null;
    if (second && compareScores(first.score, second.score) === 0) return null;
    return first.unit;
  }

  /** The page span of a mention, for a flag's evidence. */
  spanOf(mention: PlaceMention): PageSpan[] {
    return this.context.text.toPageSpans(mention.start, mention.end);
  }

  // -------------------------------------------------------------------------------------------

  private findHeadingEnd(): number {
    const metadata = this.context.metadata;
    const spans = [metadata.issuer, metadata.number, metadata.place, metadata.date, metadata.title].flatMap((field) => field?.citation ?? []);
    let end = 0;
    for (const span of spans) end = Math.max(end, this.context.positionOf({ page: span.page, start: span.end, end: span.end }));
    return end;
  }

  private readHeaderPlace(): void {
    const place = this.context.metadata.place?.value;
    if (!place) return;
    const province = this.lookup(1, place);
    if (province && !CITY_PREFIX.test(foldName(place))) {
      for (const unit of province.versions) this.vote(unit, 'header');
      return;
    }
    const district = this.lookup(2, foldName(place).replace(CITY_PREFIX, ''));
    for (const unit of district?.versions ?? []) this.evidence(unit).header = true;
  }

  private remember(level: PlaceMention['level'], name: string): void {
    const key = `${level}|${foldName(name)}`;
    if (!this.written.has(key)) this.written.set(key, name);
  }

  private addDistrictMention(mention: PlaceMention, name: string, word: string): void {
    const lookup = this.lookup(2, name, TYPES_OF_WORD[word]);
    if (!lookup) {
      // "thành phố Hà Nội" is a province.
      if (word === 'thanh pho') this.addProvinceMention(mention, name, word);
      return;
    }
    for (const unit of lookup.versions) {
      const evidence = this.evidence(unit);
      (mention.start < this.headingEnd ? evidence.heading : evidence.body).push(mention);
    }
  }

  private addProvinceMention(mention: PlaceMention, name: string, word: string): void {
    const lookup = this.lookup(1, name, TYPES_OF_WORD[word]);
    for (const unit of lookup?.versions ?? []) {
      const inHeading = mention.start < this.headingEnd;
      this.vote(unit, inHeading ? 'heading' : 'body');
      if (inHeading) {
        const entry = this.headingProvinces.get(unit.code) ?? { unit, mentions: [] };
        entry.mentions.push(mention);
        this.headingProvinces.set(unit.code, entry);
      }
    }
  }

  private readonly supported = new Set<string>();

  /** A commune name counts once for each district that has a commune of that name. */
  private addCommuneSupport(name: string): void {
    const key = foldName(name);
    if (!key || this.supported.has(key)) return;
    this.supported.add(key);
    const lookup = this.lookup(3, name, this.communeTypesFor(name));
    for (const commune of lookup?.versions ?? []) {
      const district = commune.parentCode ? this.gazetteer.unitAt(commune.parentCode, this.range) : undefined;
      if (district) this.evidence(district).communes.set(key, name);
    }
  }

  private evidence(unit: UnitVersion): DistrictEvidence {
    let evidence = this.districts.get(unit.code);
    if (!evidence) {
      evidence = { unit, communes: new Map(), heading: [], body: [], header: false };
      this.districts.set(unit.code, evidence);
    }
    return evidence;
  }

  private vote(unit: UnitVersion, where: 'heading' | 'header' | 'body'): void {
    const votes = this.provinceVotes.get(unit.code) ?? { unit, heading: 0, header: 0, body: 0 };
    votes[where] += 1;
    this.provinceVotes.set(unit.code, votes);
  }

  /** The province the heading, the header's place line or the body names (in that order of weight). */
  private provinceFromVotes(): ProvinceChoice | null {
    const ranked = [...this.provinceVotes.values()].sort((a, b) => b.heading - a.heading || b.header - a.header || b.body - a.body);
    const [first, second] = ranked;
    if (!first) return null;
    if (second && first.heading === second.heading && first.header === second.header && first.body === second.body) return null;
    const basis = first.heading > 0 ? 'named in the heading' : first.header > 0 ? "the header's place line" : 'named in the body';
    return { unit: first.unit, basis };
  }

  private districtScore(code: string, province: UnitVersion | null): number[] {
    const evidence = this.districts.get(code);
    if (!evidence) return [0, 0, 0, 0, 0];
    const inProvince = province && evidence.unit.parentCode === province.code ? 1 : 0;
    return [evidence.communes.size, evidence.heading.length > 0 ? 1 : 0, evidence.header ? 1 : 0, evidence.body.length, inProvince];
  }

  /**
   * The district the document is about: the one holding most of its communes, then one named in
   * its heading, by its header's place line, most often in its body — looking first within the
   * province the document names. None when two tie.
   */
  private chooseHome(province: UnitVersion | null): DistrictEvidence | null {
    const named = (evidence: DistrictEvidence) =>
      this.districtScore(evidence.unit.code, province)
        .slice(0, 4)
        .some((value) => value > 0);
    // Common names ("Tân Lập", "Hòa Bình") meet in districts all over the country: look within
    // the province the document names, unless nothing it names lies there.
    const all = [...this.districts.values()].filter(named);
    const inProvince = province ? all.filter((evidence) => evidence.unit.parentCode === province.code) : [];
    // Outside that province only on more than one commune's name: the document names the
    // district, or two of its communes lie there.
    const outside = all.filter((evidence) => evidence.heading.length + evidence.body.length > 0 || evidence.header || evidence.communes.size >= 2);
    let best: DistrictEvidence | null = null;
    let bestScore: number[] = [];
    let tie = false;
    for (const evidence of inProvince.length > 0 ? inProvince : province ? outside : all) {
      const score = this.districtScore(evidence.unit.code, province);
      const order = best ? compareScores(score, bestScore) : 1;
      if (order > 0) {
        best = evidence;
        bestScore = score;
        tie = false;
      } else if (order === 0) {
        tie = true;
      }
    }
    return tie ? null : best;
  }

  /**
   * The heading names a district that holds none of the document's communes while another holds
   * them (the communes win: a slip in a title is likelier than in every commune); or, in a
   * document without communes, a district its body never names while the body names one other
   * district again and again.
   */
  private findMismatch(home: DistrictEvidence | null, statements: readonly Statement[]): JurisdictionMismatch | null {
    const headingDistricts = [...this.districts.values()].filter((evidence) => evidence.heading.length > 0);
    const statementCommunes = new Set(statements.flatMap((statement) => (statement.place.commune ? [foldName(statement.place.commune)] : [])));
    if (home && headingDistricts.length > 0 && !headingDistricts.includes(home)) {
      const aboutHome = [...home.communes.keys()].some((name) => statementCommunes.has(name));
      const unsupported = headingDistricts.filter((evidence) => evidence.communes.size === 0);
      const heading = unsupported[0];
      if (aboutHome && heading && unsupported.length === headingDistricts.length) {
        return { level: 'district', heading: heading.unit, headingMentions: heading.heading, supported: home.unit, reason: 'communes' };
      }
    }
    const anyCommune = [...this.districts.values()].some((evidence) => evidence.communes.size > 0);
    const [heading] = headingDistricts;
    if (!anyCommune && headingDistricts.length === 1 && heading && heading.body.length === 0) {
      const bodyNamed = [...this.districts.values()].filter((evidence) => evidence.body.length > 0);
      const [other] = bodyNamed;
      if (bodyNamed.length === 1 && other && other !== heading && other.body.length >= 3) {
        return { level: 'district', heading: heading.unit, headingMentions: heading.heading, supported: other.unit, reason: 'body' };
      }
    }
    // The heading names a province in which none of the document's districts and communes lie.
    const homeProvince = home ? this.gazetteer.provinceOf(home.unit) : undefined;
    if (home && homeProvince && home.communes.size > 0 && this.headingProvinces.size > 0 && !this.headingProvinces.has(homeProvince.code)) {
      const named = [...this.headingProvinces.values()];
      const anyInHeadingProvince = [...this.districts.values()].some(
        (evidence) => evidence.communes.size > 0 && named.some((entry) => evidence.unit.parentCode === entry.unit.code),
      );
      const first = named[0];
      if (!anyInHeadingProvince && first) {
        return { level: 'province', heading: first.unit, headingMentions: first.mentions, supported: homeProvince, reason: 'communes' };
      }
    }
    return null;
  }

  private chooseProvince(guess: ProvinceChoice | null): ProvinceChoice | null {
    const home = this.home ? this.gazetteer.provinceOf(this.home.unit) : undefined;
    if (home) return { unit: home, basis: `the province of huyện ${this.home?.unit.name}` };
    return guess;
  }
}

function levelName(level: GazetteerLevel): PlaceMention['level'] {
  return level === 1 ? 'province' : level === 2 ? 'district' : 'commune';
}

function unitWordAt(fold: string, position: number): string {
  const word = UNIT_WORD.exec(fold.slice(position, position + 12))?.[1] ?? '';
  return word.replace(/\s+/g, ' ');
}

/** Lexicographic comparison of score vectors. */
function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** The days a partial date covers: "2020-06" → 2020-06-01 … 2020-06-30; "2024" → the year. */
export function dateRange(date: PartialDate | null): DateRange | null {
  if (!date) return null;
  const from = firstDayOf(date);
  const [year, month, day] = date.split('-').map(Number);
  if (day) return { from, to: from };
  if (month) {
    const last = new Date(Date.UTC(year ?? 0, month, 0)).getUTCDate();
    return { from, to: `${from.slice(0, 8)}${String(last).padStart(2, '0')}` };
  }
  return { from, to: `${year}-12-31` };
}
