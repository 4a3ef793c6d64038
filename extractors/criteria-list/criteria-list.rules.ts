import { subjectStart } from '../commune-count/commune-count.rules.js';
import type { DocumentContext } from '../context/document-context.js';
import { criteriaSetFor, criterionNamed, type CriteriaSet } from '../criteria-sets/criteria-sets.js';
import type { CriteriaList, CriterionItem } from '../statement.js';
import { commonFields, subjectConfidence, type Draft } from '../statement-builder.js';
import type { ResolvedPhrase } from '../status-phrase/phrase-subject.js';

/**
 * The criteria a status phrase lists: "gồm tiêu chí: Số 1 (quy hoạch), số 3 (…)",
 * "gồm: Tiêu chí (2) Giao thông; …", "(Tiêu chí 10 Thu nhập; …)", or names alone
 * "(Giao thông, Trường học)" mapped to numbers in the set that applies.
 */
export function criteriaLists(context: DocumentContext, resolved: ResolvedPhrase[]): Array<Draft<CriteriaList>> {
  const lists: Array<Draft<CriteriaList>> = [];
  for (const { phrase, subject, level, levelSource } of resolved) {
    const list = phrase.list;
    if (!list || context.isGoalBefore(phrase.start, phrase.verbStart)) continue;
    const start = subject?.source === 'same_sentence' ? subjectStart(context, phrase.start) : phrase.start;
    const common = commonFields(context, {
      start, end: list.end, commune: subject?.name ?? null, level,
      rule: '', confidence: subjectConfidence(0.9, subject),
    });
    const set = common.criteriaSet ? criteriaSetFor(level, common.asOf ?? context.documentDate) : null;
    const items = list.numbered.length > 0 ? list.numbered : resolveNames(list.names, set);
    if (items === null || items.length === 0) continue;
    const unresolvedNames = list.numbered.length > 0 ? [] : list.names.filter((name) => !items.some((item) => item.name === name));
    lists.push({
      kind: 'criteria_list',
      status: phrase.status,
      criteria: [...new Set(items.map((item) => item.number))],
      items,
      unresolvedNames,
      statedCount: phrase.count,
      ...common,
      rule: `criteria_list.${list.numbered.length > 0 ? 'numbered' : 'names'}${levelSource === 'names' ? '.level_from_names' : ''}`,
      confidence: list.numbered.length > 0 ? common.confidence : Math.round(common.confidence * 0.85 * 100) / 100,
    });
  }
  return lists;
}

/** Names alone become numbers only when most of them are criteria of the set. */
function resolveNames(names: string[], set: CriteriaSet | null): CriterionItem[] | null {
  if (!set) return null;
  const items = names.flatMap((name) => {
    const criterion = criterionNamed(name, set);
    return criterion ? [{ number: criterion.number, name }] : [];
  });
  return items.length * 2 >= names.length ? items : null;
}
