import type { DocumentContext } from '../context/document-context.js';
import type { CommuneCount } from '../statement.js';
import { commonFields, subjectConfidence, type Draft } from '../statement-builder.js';
import type { ResolvedPhrase } from '../status-phrase/phrase-subject.js';

/**
 * "xã Thượng Cường đạt 13/19 tiêu chí", "có 10/19 tiêu chí đạt chuẩn", "16/19 tiêu chí đã đạt",
 * "đạt 4/4 tiêu chí": a commune's met count out of a total. Goals ("phấn đấu đạt 19/19 tiêu chí")
 * and unmet counts are not counts of met criteria.
 */
export function communeCounts(context: DocumentContext, resolved: ResolvedPhrase[]): Array<Draft<CommuneCount>> {
  const counts: Array<Draft<CommuneCount>> = [];
  for (const { phrase, subject, level } of resolved) {
    if (phrase.total === null || phrase.count === null || phrase.status !== 'met') continue;
    if (context.isGoalBefore(phrase.verbStart)) continue;
    if (!subject) continue;
    const start = subject.source === 'same_sentence' ? subjectStart(context, phrase.start) : phrase.start;
    counts.push({
      kind: 'commune_count',
      met: phrase.count,
      total: phrase.total,
      ...commonFields(context, {
        start, end: phrase.end, commune: subject.name, level,
        rule: 'commune_count.met_of_total', confidence: subjectConfidence(0.95, subject),
      }),
    });
  }
  return counts;
}

/** Cite from the commune's name when it is in the same sentence, so the quote says who. */
export function subjectStart(context: DocumentContext, anchor: number): number {
  const sentence = context.sentenceAt(anchor);
  const mention = context.mentions.within(sentence.start, anchor).filter((m) => m.level === 'commune' && !m.plural).at(-1);
  return mention?.start ?? anchor;
}
