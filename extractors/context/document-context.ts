import type { DocumentMetadata } from './document-metadata.js';
import type { Assessment, PlaceNames } from '../statement.js';
import type { DocumentText, PageSpan } from '../text/document-text.js';
import { Sentences, type Sentence } from '../text/sentences.js';
import { monthDate, MONTH_DATE, numericDate, yearOf, type PartialDate } from '../tokens/dates.js';
import { findPlaceMentions, MentionIndex, type PlaceMention } from '../tokens/places.js';

/** How the commune a statement is about was found; the later, the less sure. */
export type SubjectSource = 'same_sentence' | 'after_count' | 'topic';

export interface Subject {
  name: string;
  source: SubjectSource;
  /** Where the name ends in the matching view. */
  end: number;
}

/** "để / sẽ / cần / phải / nhằm đạt": lower case only, so that a name ("xã Tràng Phái đạt") is no verb. */
const GOAL_VERB_BEFORE = /(?:^|[\s,(])(?:để|sẽ|cần|phải|nhằm|de|se|can|phai|nham)[\s*_]*$/u;

/** "để xã Tân Long đạt …", "nhằm giúp xã A hoàn thành …": the commune's count is the purpose. */
const PURPOSE_BEFORE_COMMUNE =
  /(?:^|[\s,(])(?:[Đđ]ể|[Dd]e|[Nn]hằm|[Nn]ham)\s+(?:(?:giúp|giup|cho)\s+)?(?:các\s+|cac\s+)?(?:xã|xa)(?![\p{L}\p{M}])[^,.;]{0,40}$/u;

/** How far a sentence reaches from a statement: longer real sentences are lists, read by their own rules. */
const SENTENCE_REACH = 800;

/** Words that make what follows a plan or a goal, not what is: one list for every rule. */
export const GOAL_CUE =
  /\b(?:phan\s+dau|muc\s+tieu|du\s+kien|chi\s+tieu\s+giao|duoc\s+giao|theo\s+ke\s+hoach(?!\s+so)|ke\s+hoach\s+(?:nam|giao)|dam\s+bao|bao\s+dam|nham)\b/g;

/**
 * Everything the rules share about one document: its text in matching form, sentences,
 * place mentions, header metadata and the dates that statements fall back on. The metadata is
 * read by the metadata rules before (extract-statements.ts, readDocument) and handed in: the
 * context runs no rule, it only indexes the text.
 */
export class DocumentContext {
  readonly sentences: Sentences;
  readonly mentions: MentionIndex;

  constructor(
    readonly text: DocumentText,
    readonly metadata: DocumentMetadata,
  ) {
    this.sentences = new Sentences(text.fold, text.nfc);
    this.mentions = new MentionIndex(findPlaceMentions(text.fold, text.nfc));
  }

  get fold(): string {
    return this.text.fold;
  }

  get nfc(): string {
    return this.text.nfc;
  }

  /**
   * The sentence holding `position`, clipped to SENTENCE_REACH characters on each side: text with
   * no full stops (a table flattened to lines, a page of blank lines) would otherwise make every
   * per-statement look at its sentence cost the whole text, and the rules quadratic.
   */
  sentenceAt(position: number): Sentence {
    const sentence = this.sentences.at(position);
    return { start: Math.max(sentence.start, position - SENTENCE_REACH), end: Math.min(sentence.end, position + SENTENCE_REACH) };
  }

  private pageStarts: Map<number, number> | null = null;

  /** Where a page span (a citation) starts in the matching view: the inverse of `text.toPageSpans`. */
  positionOf(span: PageSpan): number {
    if (!this.pageStarts) {
      // Pages are joined with one separator each; its length is whatever the joined text shows.
      const pages = this.text.pages;
      const textLength = pages.reduce((sum, page) => sum + page.text.length, 0);
      const separator = pages.length > 1 ? (this.text.view.raw.length - textLength) / (pages.length - 1) : 0;
      this.pageStarts = new Map();
      let offset = 0;
      for (const page of pages) {
        this.pageStarts.set(page.page, offset);
        offset += page.text.length + separator;
      }
    }
    const raw = (this.pageStarts.get(span.page) ?? 0) + span.start;
    // toRaw never decreases: find the first position that maps at or after `raw`.
    let low = 0;
    let high = this.nfc.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.text.view.toRaw(middle) < raw) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The document's own date, else the year of its inspection. */
  get documentDate(): PartialDate | null {
    return this.metadata.date?.value ?? this.metadata.inspectionDate?.value ?? null;
  }

  get documentYear(): number | null {
    const date = this.documentDate;
    return date ? yearOf(date) : null;
  }

  /**
   * The commune a statement at [anchor, phraseEnd) is about: the last commune named before it
   * in its sentence, else one named between the count and its list ("… trên địa bàn xã X gồm"),
   * else the commune the text was last about. Null when the sentence is about a district.
   */
  communeSubject(anchor: number, phraseEnd: number, listStart: number | null): Subject | null {
    const sentence = this.sentenceAt(anchor);
    const before = this.mentions.within(sentence.start, anchor);
    const nearest = before.at(-1);
    if (nearest && !nearest.plural) {
      if (nearest.level === 'commune') return { name: nearest.names[0] ?? '', source: 'same_sentence', end: nearest.end };
      const previous = before.at(-2);
      // "xã Chí Minh, huyện Tràng Định đạt …": the district only locates the commune.
      if (nearest.level !== 'province' && previous?.level === 'commune' && !previous.plural && nearest.start - previous.end <= 3) {
        return { name: previous.names[0] ?? '', source: 'same_sentence', end: previous.end };
      }
      if (nearest.level === 'district' || nearest.level === 'village') return null;
    }
    if (listStart !== null) {
      const between = this.mentions.within(phraseEnd, listStart).find((mention) => mention.level === 'commune' && !mention.plural);
      if (between) return { name: between.names[0] ?? '', source: 'after_count', end: between.end };
    }
    if (nearest?.plural) return null;
    const topic = this.mentions.lastSingleBefore('commune', sentence.start);
    return topic ? { name: topic.names[0] ?? '', source: 'topic', end: topic.end } : null;
  }

  /** District and province named nearest before a position (else first in the document). */
  placesAt(position: number, commune: string | null): PlaceNames {
    return { province: this.nameAt('province', position), district: this.nameAt('district', position), commune };
  }

  private nameAt(level: PlaceMention['level'], position: number): string | null {
    return (this.mentions.lastSingleBefore(level, position) ?? this.mentions.firstSingle(level))?.names[0] ?? null;
  }

  /**
   * The date a statement speaks of: one stated in its sentence ("Ngày 23/8/2024, … thẩm định"),
   * else the document's cut-off or inspection date, else the document date.
   */
  asOfAt(position: number): PartialDate | null {
    const sentence = this.sentenceAt(position);
    const lead = this.fold.slice(sentence.start, position);
    // Only a date that opens the sentence ("- Ngày 23/8/2024, … thẩm định") or ends a period
    // ("tính đến ngày …"); "Kế hoạch số 15/KH-UBND ngày 18/01/2024" dates another document.
    const day = [...lead.matchAll(/(?:(?:^|\n)[\s*#>+•-]*|\b(?:tinh\s+)?den\s+)ngay\s+(\d{1,2})\s*\/\s*(\d{1,2})\s*\/\s*(\d{4})/g)].at(-1);
    const dated = day ? numericDate(day) : null;
    if (dated) return dated;
    const upTo = /\bden\s+(?:het\s+)?(thang\s+\d{1,2}\s*\/\s*\d{4})/.exec(lead);
    const month = upTo ? new RegExp(MONTH_DATE.source).exec(upTo[1] ?? '') : null;
    const monthly = month ? monthDate(month) : null;
    if (monthly) return monthly;
    return this.metadata.asOfDate?.value ?? this.metadata.inspectionDate?.value ?? this.documentDate;
  }

  /** Who assessed what a sentence reports. */
  assessmentIn(start: number, end: number): Assessment {
    const sentence = this.sentenceAt(start);
    const text = this.fold.slice(sentence.start, Math.max(end, sentence.end));
    if (/\btu\s+(?:da\s+)?danh\s+gia\b/.test(text)) return 'self';
    if (/\btham\s+dinh\b/.test(text)) return 'appraised';
    if (/\b(?:quyet\s+dinh|duoc)\s+cong\s+nhan\b/.test(text) || this.metadata.type?.value === 'quyet_dinh') return 'recognized';
    return 'reported';
  }

  /**
   * Does the status verb at `verbStart` state a goal? "để / sẽ / cần đạt …" always; after a goal
   * word ("phấn đấu", "mục tiêu") when only dates stand between, or when the commune the sentence
   * is about comes after the goal word ("Phấn đấu năm 2025, xã X đạt 19/19"). An "đã" or
   * "hiện nay" after the goal word makes it a fact again ("xã X phấn đấu … đã đạt 14/19").
   */
  isGoalBefore(verbStart: number): boolean {
    const sentence = this.sentenceAt(verbStart);
    const lead = this.fold.slice(sentence.start, verbStart);
    if (GOAL_VERB_BEFORE.test(this.nfc.slice(Math.max(sentence.start, verbStart - 12), verbStart))) return true;
    if (PURPOSE_BEFORE_COMMUNE.test(this.nfc.slice(Math.max(sentence.start, verbStart - 60), verbStart))) return true;
    let last: RegExpExecArray | null = null;
    for (const match of lead.matchAll(GOAL_CUE)) last = match;
    if (!last) return false;
    const cueEnd = last.index + last[0].length;
    const between = lead.slice(cueEnd);
    if (/\b(?:da|hien\s+nay|den\s+nay|hien\s+tai)\b/.test(between)) return false;
    // "phấn đấu cuối năm 2011 hoàn thành thêm 5 tiêu chí, đạt 17/19": the goal's own verb came first.
    if (between.length <= 80 && /\bthem\b/.test(between)) return true;
    if (/^(?:\s*(?:[,:]|den|trong|vao|het|nam|thang|cuoi|dau|giai\s+doan|\d{1,4}(?:\s*[/-]\s*\d{1,4})?))*\s*(?:de\s+|co\s+)?$/.test(between)) return true;
    return this.mentions.within(sentence.start + cueEnd, verbStart).some((mention) => mention.level === 'commune');
  }
}
