import type { DocumentContext } from '../context/document-context.js';
import type { IndicatorList } from '../statement.js';
import { commonFields, subjectConfidence, type Draft } from '../statement-builder.js';
import { subjectStart, type ResolvedPhrase } from '../status-phrase/phrase-subject.js';

/**
 * Indicators listed with a status: "đạt 04 tiêu chí và 07 chỉ tiêu … gồm: …; Các chỉ tiêu 13.2,
 * 13.3 trong tiêu chí số 13 …", "chỉ tiêu 17.1 đến 17.6". Indicator codes named outside a status
 * list (who is responsible for 17.1) state no status and are not read.
 */
export function indicatorLists(context: DocumentContext, resolved: ResolvedPhrase[]): Array<Draft<IndicatorList>> {
  const lists: Array<Draft<IndicatorList>> = [];
  for (const { phrase, subject, level } of resolved) {
    const list = phrase.list;
    if (!list || phrase.verbless || list.indicators.length === 0 || context.isGoalBefore(phrase.verbStart)) continue;
    const start = subject?.source === 'same_sentence' ? subjectStart(context, phrase.start) : phrase.start;
    lists.push({
      kind: 'indicator_list',
      status: phrase.status,
      indicators: [...new Set(list.indicators)],
      statedCount: phrase.indicatorCount,
      ...commonFields(context, {
        start,
        end: list.end,
        commune: subject?.name ?? null,
        level,
        rule: 'indicator_list.in_status_list',
        confidence: subjectConfidence(0.9, subject),
      }),
    });
  }
  return lists;
}
