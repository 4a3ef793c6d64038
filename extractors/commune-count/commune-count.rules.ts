import type { DocumentContext } from '../context/document-context.js';
import type { CommuneCount, Level } from '../statement.js';
import { commonFields, statementSet, subjectConfidence, type Draft } from '../statement-builder.js';
import { groupSubject, type GroupSource } from '../status-phrase/phrase-groups.js';
import { subjectStart, type ResolvedPhrase } from '../status-phrase/phrase-subject.js';
import type { GroupItem, NameLexicon } from '../tokens/commune-groups.js';
import type { StatusPhrase } from '../status-phrase/status-phrases.js';

/** Largest set a count may be out of: provincial nâng cao sets run to 20, indicator sets are apart. */
const LARGEST_SET = 20;
/** "đạt 9/9 tiêu chí huyện nông thôn mới": a district's own criteria, not a commune's. */
const DISTRICT_CRITERIA = /\btieu\s+chi\s+(?:theo\s+bo\s+tieu\s+chi\s+)?huyen\b/;
/** "hoàn thành 04 tiêu chí còn lại": what is left to do. */
const REMAINING = /^\s*(?:tieu\s+chi\s+)?con\s+lai\b/;
/** "cần tập trung hoàn thành 04 tiêu chí", "sẽ hoàn thành": a duty or a plan, a few words before the verb. */
const DUTY_BEFORE = /(?:^|[\s,(])(?:cần|phải|sẽ|nhằm|can|phai|se|nham)\s+(?:[\p{L}\p{M}]+\s+){0,3}$/u;
const GROUP_CONFIDENCE: Record<GroupSource, number> = { names_before: 0.9, list_after: 0.85, earlier_list: 0.75 };

/**
 * A commune's met count: "xã Thượng Cường đạt 13/19 tiêu chí", "có 10/19 tiêu chí đạt chuẩn",
 * "xã A đạt 14 tiêu chí" (the total from the set in force, or the document's own denominator),
 * one count shared by a group ("xã A và B đều đạt 16/19", "có 03 xã đạt 19/19 tiêu chí, gồm: …",
 * "Các xã trên đã hoàn thành 19 tiêu chí"), names each followed by a count ("A 14/19 tiêu chí,
 * B 10/19 tiêu chí"). Goals, negations and unmet counts are not counts of met criteria.
 */
export function communeCounts(context: DocumentContext, resolved: ResolvedPhrase[], lexicon: NameLexicon): Array<Draft<CommuneCount>> {
  const counts: Array<Draft<CommuneCount>> = [];
  const denominators = statedDenominators(resolved);
  resolved.forEach(({ phrase, subject, level }, index) => {
    if (phrase.count === null || phrase.status !== 'met' || phrase.gained) return;
    if (context.isGoalBefore(phrase.verbStart)) return;
    // "đạt 04 tiêu chí và 07 chỉ tiêu gồm: …" counts what an appraisal covered, not the commune's status.
    if (phrase.total === null && phrase.indicatorCount !== null) return;
    const total = phrase.total ?? denominators.get(level) ?? setSize(context, level, phrase.start, phrase.end);
    if (total === null || phrase.count > total || total > LARGEST_SET) return;
    if (DISTRICT_CRITERIA.test(context.fold.slice(phrase.countStart, phrase.end + 40))) return;
    if (REMAINING.test(context.fold.slice(phrase.end, phrase.end + 20))) return;
    if (DUTY_BEFORE.test(context.nfc.slice(Math.max(0, phrase.verbStart - 40), phrase.verbStart))) return;
    const previous = resolved[index - 1]?.phrase;
    const sentence = context.sentenceAt(phrase.start);
    const clauseStart = Math.max(sentence.start, previous && previous.end <= phrase.start ? previous.end : 0, phrase.start - 600);
    const next = resolved[index + 1]?.phrase.start ?? context.nfc.length;
    const group = groupSubject(context, lexicon, phrase, clauseStart, next);
    let named: Named[];
    if (group) {
      // One commune named right before its count is the plain case, not a group.
      const single = group.source === 'names_before' && group.group.items.length === 1;
      named = group.group.items.map((item) => ({
        ...item,
        rule: single ? plainRule(phrase.total) : `commune_count.group.${group.source}`,
        confidence: single ? plainConfidence(phrase.total) : GROUP_CONFIDENCE[group.source],
      }));
    } else {
      if (phrase.verbless || !subject || pluralBefore(context, clauseStart, phrase.start)) return;
      const start = subject.source === 'same_sentence' ? subjectStart(context, phrase.start) : phrase.start;
      named = [
        {
          name: subject.name,
          district: null,
          province: null,
          ownCount: null,
          start,
          end: start,
          prefixed: true,
          rule: plainRule(phrase.total),
          confidence: subjectConfidence(plainConfidence(phrase.total), subject),
        },
      ];
    }
    for (const commune of named) counts.push(communeCount(context, commune, phrase.count, total, level, phrase.start, phrase.end));
    // "Từ 5/19 tiêu chí năm 2012, đến nay xã A đã đạt 19/19": the starting point is A's too, as of its year.
    const baseline = previous && previous.verbless && previous.count !== null && sentence.start <= previous.start ? startingPoint(context, previous) : null;
    if (baseline && previous?.count != null) {
      for (const commune of named) {
        const draft = communeCount(
          context,
          { ...commune, rule: 'commune_count.timeline_start' },
          previous.count,
          previous.total ?? total,
          level,
          previous.start,
          previous.end,
        );
        counts.push({ ...draft, asOf: baseline });
      }
    }
  });
  return counts;
}

interface Named extends GroupItem {
  rule: string;
  confidence: number;
}

function communeCount(context: DocumentContext, commune: Named, met: number, total: number, level: Level, start: number, end: number): Draft<CommuneCount> {
  const common = commonFields(context, {
    start: Math.min(commune.start, start),
    end: Math.max(commune.end, end),
    commune: commune.name,
    level,
    rule: commune.rule,
    confidence: commune.confidence,
  });
  return {
    kind: 'commune_count',
    met: commune.ownCount?.met ?? met,
    total: commune.ownCount?.total ?? total,
    ...common,
    place: { ...common.place, district: commune.district ?? common.place.district, province: commune.province ?? common.place.province },
  };
}

/** "Từ 5/19 tiêu chí (năm 2012)": a count the commune started from, with the year it held. */
function startingPoint(context: DocumentContext, phrase: StatusPhrase): string | null {
  if (!/\btu\s*$/.test(context.fold.slice(Math.max(0, phrase.countStart - 6), phrase.countStart))) return null;
  const year = /^\s*(?:\(\s*)?(?:vao\s+|trong\s+)?nam\s+((?:19|20)\d{2})\b/.exec(context.fold.slice(phrase.end, phrase.end + 30));
  return year?.[1] ?? null;
}

/** "đạt 13/19" states its total; "đạt 14 tiêu chí" takes it from the set (or the document). */
function plainRule(total: number | null): string {
  return total === null ? 'commune_count.met_of_set' : 'commune_count.met_of_total';
}

function plainConfidence(total: number | null): number {
  return total === null ? 0.85 : 0.95;
}

/**
 * "… 03 xã đạt 19/19 tiêu chí", "Số xã đạt 19 tiêu chí 03 xã" with no names to give it: a count of
 * communes (the district-aggregate rule reads it), not a commune's.
 */
function pluralBefore(context: DocumentContext, from: number, to: number): boolean {
  return /(?:\b(?:cac|nhung|hai|ba|so)|(?<![\d/.,])\d{1,3}(?:\s*\/\s*\d{1,3})?)\s+xa\b[^.;:]{0,70}$/.test(context.fold.slice(from, to));
}

/** The document's own denominator per level ("đạt 18/18 tiêu chí NTM nâng cao"): the most frequent. */
function statedDenominators(resolved: ResolvedPhrase[]): Map<Level, number> {
  const tally = new Map<Level, Map<number, number>>();
  for (const { phrase, level } of resolved) {
    if (phrase.total === null || phrase.total > LARGEST_SET || phrase.total < 9) continue;
    const counts = tally.get(level) ?? new Map<number, number>();
    counts.set(phrase.total, (counts.get(phrase.total) ?? 0) + 1);
    tally.set(level, counts);
  }
  const result = new Map<Level, number>();
  for (const [level, counts] of tally) {
    const [best] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    if (best) result.set(level, best[0]);
  }
  return result;
}

/** The size of the set the count is judged against: the one its sentence or title names, else the one of its date. */
function setSize(context: DocumentContext, level: Level, start: number, end: number): number | null {
  return statementSet(context, level, start, end)?.criteria.length ?? null;
}
