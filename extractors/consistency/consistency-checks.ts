import { criteriaSetByCode, criteriaSets, nameMatchScore } from '../criteria-sets/criteria-sets.js';
import type { CommuneCount, CriteriaList, Flag, Statement } from '../statement.js';
import { foldPhrase } from '../text/match-view.js';

/**
 * Checks one document's statements against each other. Each finding is a flag with the
 * statements and quotes involved: the system shows disagreements instead of picking one.
 */
export function checkConsistency(statements: Statement[]): Flag[] {
  return [
    ...countListMismatches(statements),
    ...sumMismatches(statements),
    ...criteriaOutOfSet(statements),
    ...contradictoryCounts(statements),
    ...criteriaSetMismatches(statements),
  ];
}

/** Adds to a group in place: a copy per statement made a document with thousands of counts for one commune quadratic. */
function append<K, V>(groups: Map<K, V[]>, key: K, value: V): void {
  const group = groups.get(key);
  if (group) group.push(value);
  else groups.set(key, [value]);
}

function flag(type: Flag['type'], message: string, involved: Statement[]): Flag {
  return { type, message, statements: involved.map((s) => s.index), evidence: involved.flatMap((s) => s.citations.slice(0, 1)) };
}

function who(statement: Statement): string {
  return statement.place.commune ? `xã ${statement.place.commune}` : statement.place.district ? `huyện ${statement.place.district}` : 'the document';
}

function countListMismatches(statements: Statement[]): Flag[] {
  return statements.flatMap((s) => {
    if (s.kind === 'criteria_list' && s.statedCount !== null && s.statedCount !== s.criteria.length) {
      return [
        flag(
          'count_list_mismatch',
          `${who(s)}: the text says ${s.statedCount} criteria are ${s.status} but lists ${s.criteria.length} (${s.criteria.join(', ')})`,
          [s],
        ),
      ];
    }
    if (s.kind === 'indicator_list' && s.statedCount !== null && s.statedCount !== s.indicators.length) {
      return [
        flag(
          'count_list_mismatch',
          `${who(s)}: the text says ${s.statedCount} indicators are ${s.status} but lists ${s.indicators.length} (${s.indicators.join(', ')})`,
          [s],
        ),
      ];
    }
    if (s.kind === 'district_aggregate' && s.communes && s.communes.length !== s.value) {
      return [
        flag(
          'count_list_mismatch',
          `${who(s)}: the text says ${s.value} communes reach ${s.nCriteria} criteria but names ${s.communes.length} (${s.communes.join(', ')})`,
          [s],
        ),
      ];
    }
    return [];
  });
}

/** The commune's gazetteer code when it resolved (two communes may share a name), else its folded name. */
function communeOf(statement: Statement): string {
  const code = statement.units?.commune?.code;
  // Codes are reused after 1 July 2025: a new commune's code is another unit than the same old code.
  return code ? `${statement.units?.system ?? 'three_level'}|${code}` : foldPhrase(statement.place.commune ?? '');
}

function communeKey(statement: Statement): string {
  return `${communeOf(statement)}|${statement.level}`;
}

/** met + unmet + nearly met must make the total, comparing each list with the count stated just before it. */
function sumMismatches(statements: Statement[]): Flag[] {
  // Statements come in document order: one pass pairs each list with the latest count of its commune.
  const latestCount = new Map<string, CommuneCount>();
  const byCount = new Map<CommuneCount, CriteriaList[]>();
  for (const s of statements) {
    if (!s.place.commune) continue;
    if (s.kind === 'commune_count' && s.rule === 'commune_count.met_of_total') latestCount.set(communeKey(s), s);
    if (s.kind !== 'criteria_list' || s.status === 'met' || s.statedCount === null) continue;
    const count = latestCount.get(communeKey(s));
    if (count) append(byCount, count, s);
  }
  return [...byCount].flatMap(([count, lists]) => {
    const others = lists.reduce((sum, list) => sum + (list.statedCount ?? 0), 0);
    if (count.met + others === count.total) return [];
    const parts = lists.map((list) => `${list.statedCount} ${list.status}`).join(' + ');
    return [
      flag('sum_mismatch', `${who(count)}: ${count.met} met + ${parts} = ${count.met + others}, not the stated total of ${count.total}`, [count, ...lists]),
    ];
  });
}

function criteriaOutOfSet(statements: Statement[]): Flag[] {
  return statements.flatMap((s) => {
    const set = s.criteriaSet ? criteriaSetByCode(s.criteriaSet) : undefined;
    if (!set) return [];
    const size = set.criteria.length;
    const numbers = s.kind === 'criteria_list' ? s.criteria : s.kind === 'indicator_list' ? s.indicators.map((code) => Number(code.split('.')[0])) : [];
    const outside = numbers.filter((n) => n < 1 || n > size);
    if (outside.length > 0)
      return [flag('criterion_out_of_set', `${who(s)}: criterion ${outside.join(', ')} does not exist in ${set.code} (${size} criteria)`, [s])];
    if (s.kind === 'commune_count' && (s.total !== size || s.met > s.total)) {
      return [flag('criterion_out_of_set', `${who(s)}: ${s.met}/${s.total} does not fit ${set.code}, which has ${size} criteria`, [s])];
    }
    if (s.kind === 'commune_count' && s.indicators && (s.indicators.total !== set.total_indicators || s.indicators.met > s.indicators.total)) {
      return [
        flag(
          'criterion_out_of_set',
          `${who(s)}: ${s.indicators.met}/${s.indicators.total} chỉ tiêu does not fit ${set.code}, which has ${set.total_indicators ?? 'no counted'} indicators`,
          [s],
        ),
      ];
    }
    return [];
  });
}

/** Two different counts for one commune, level and date in one document. */
function contradictoryCounts(statements: Statement[]): Flag[] {
  const groups = new Map<string, CommuneCount[]>();
  for (const s of statements) {
    if (s.kind !== 'commune_count' || !s.place.commune) continue;
    // Never across criteria sets: two counts against different sets are two different measures.
    const key = `${communeOf(s)}|${s.level}|${s.criteriaSet}|${s.asOf}`;
    append(groups, key, s);
  }
  return [...groups.values()].flatMap((group) => {
    const values = [...new Set(group.map((s) => `${s.met}/${s.total}`))];
    if (values.length < 2) return [];
    const first = group[0] as CommuneCount;
    const detail = group.map((s) => `${s.met}/${s.total} (${s.assessment ?? 'unknown'}, ${s.rule})`).join(' vs ');
    return [flag('contradictory_counts', `${who(first)} has different counts for the same date ${first.asOf ?? '(undated)'}: ${detail}`, group)];
  });
}

/** A criterion written with a name that belongs to another set ("Số 14 – Y tế" in the NTM set). */
function criteriaSetMismatches(statements: Statement[]): Flag[] {
  return statements.flatMap((s) => {
    if (s.kind !== 'criteria_list' || !s.criteriaSet) return [];
    const set = criteriaSetByCode(s.criteriaSet);
    if (!set) return [];
    const misnamed = s.items.flatMap((item) => {
      const own = set.criteria.find((c) => c.number === item.number);
      if (!item.name || !own || nameMatchScore(item.name, own) > 0) return [];
      const elsewhere = criteriaSets().filter(
        (other) => other.code !== set.code && other.criteria.some((c) => c.number === item.number && nameMatchScore(item.name ?? '', c) === 2),
      );
      return elsewhere.length > 0
        ? [`số ${item.number} "${item.name}" (criterion ${item.number} of ${elsewhere.map((o) => o.code).join(', ')}; in ${set.code} it is "${own.name}")`]
        : [];
    });
    return misnamed.length > 0 ? [flag('criteria_set_mismatch', `${who(s)}: ${misnamed.join('; ')}`, [s])] : [];
  });
}
