import type { DocumentContext } from '../context/document-context.js';
import { criteriaSetFor, criterionNamed, criterionNamedExactly, type CriteriaSet } from '../criteria-sets/criteria-sets.js';
import type { CriteriaList, CriterionItem, CriterionStatus } from '../statement.js';
import { commonFields, subjectConfidence, type Draft } from '../statement-builder.js';
import { subjectStart, type ResolvedPhrase } from '../status-phrase/phrase-subject.js';

/**
 * The criteria a status phrase lists: "gồm tiêu chí: Số 1 (quy hoạch), số 3 (…)",
 * "gồm: Tiêu chí (2) Giao thông; …", "(Tiêu chí 10 Thu nhập; …)", or names alone
 * "(Giao thông, Trường học)" mapped to numbers in the set that applies.
 */
export function criteriaLists(context: DocumentContext, resolved: ResolvedPhrase[]): Array<Draft<CriteriaList>> {
  const lists: Array<Draft<CriteriaList>> = [];
  for (const { phrase, subject, level, levelSource } of resolved) {
    const list = phrase.list;
    // A list needs its commune: "cơ bản đạt 6 tiêu chí gồm …" about nobody in particular says nothing.
    if (!list || !subject || phrase.verbless || context.isGoalBefore(phrase.verbStart)) continue;
    const start = subject?.source === 'same_sentence' ? subjectStart(context, phrase.start) : phrase.start;
    const common = commonFields(context, {
      start,
      end: list.end,
      commune: subject?.name ?? null,
      level,
      rule: '',
      confidence: subjectConfidence(0.9, subject),
    });
    const set = common.criteriaSet ? criteriaSetFor(level, common.asOf ?? context.documentDate) : null;
    const named = list.numbered.length > 0 ? list.numbered : resolveNames(list.names, set);
    if (named === null) continue;
    // Names that give less than half of the count they follow are another set's (a provincial one).
    if (list.numbered.length === 0 && !list.partial && phrase.count !== null && named.length * 2 < phrase.count) continue;
    const items = [...named, ...criteriaFailedThroughIndicators(phrase.status, phrase.indicatorCount, list.indicators, named)];
    if (items.length === 0) continue;
    const unresolvedNames = list.numbered.length > 0 ? [] : list.names.filter((name) => !items.some((item) => item.name?.includes(name)));
    lists.push({
      kind: 'criteria_list',
      status: phrase.status,
      criteria: [...new Set(items.map((item) => item.number))],
      items,
      unresolvedNames,
      statedCount: list.partial ? null : phrase.count,
      ...common,
      rule: `criteria_list.${list.numbered.length > 0 ? 'numbered' : 'names'}${levelSource === 'names' ? '.level_from_names' : ''}`,
      confidence: list.numbered.length > 0 ? common.confidence : Math.round(common.confidence * 0.85 * 100) / 100,
    });
  }
  return lists;
}

/**
 * "02 tiêu chí chưa đạt gồm: Tiêu chí số 2; Chỉ tiêu 17.1, 17.4 trong tiêu chí số 17": a failed
 * indicator leaves its criterion unmet, so 17 is one of the two. Met indicators say nothing of
 * their criterion, and a phrase that counts indicators apart ("04 tiêu chí và 07 chỉ tiêu")
 * lists them apart.
 */
function criteriaFailedThroughIndicators(
  status: CriterionStatus,
  indicatorCount: number | null,
  indicators: string[],
  named: CriterionItem[],
): CriterionItem[] {
  if (status === 'met' || indicatorCount !== null) return [];
  const parents = [...new Set(indicators.map((code) => Number(code.split('.')[0])))];
  return parents.filter((number) => !named.some((item) => item.number === number)).map((number) => ({ number, name: null }));
}

/**
 * Names alone become numbers only when most of them are criteria of the set. Two pieces that
 * together are one criterion's name ("an ninh" + "trật tự xã hội", "thông tin" + "truyền thông")
 * are read as that one.
 */
function resolveNames(names: string[], set: CriteriaSet | null): CriterionItem[] | null {
  if (!set) return null;
  const items: CriterionItem[] = [];
  let pieces = 0;
  for (let index = 0; index < names.length; index += 1) {
    const name = names[index] ?? '';
    const next = names[index + 1];
    const joined = next === undefined ? null : [`${name}, ${next}`, `${name} và ${next}`].find((both) => criterionNamedExactly(both, set));
    if (joined && next !== undefined) {
      const criterion = criterionNamedExactly(joined, set);
      if (criterion) items.push({ number: criterion.number, name: joined });
      index += 1;
    } else {
      const criterion = criterionNamed(name, set);
      if (criterion) items.push({ number: criterion.number, name });
    }
    pieces += 1;
  }
  return items.length * 2 >= pieces ? items : null;
}
