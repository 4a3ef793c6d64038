import { communeCounts } from './commune-count/commune-count.rules.js';
import type { DocumentContext } from './context/document-context.js';
import { criteriaLists } from './criteria-list/criteria-list.rules.js';
import { districtAggregates } from './district-aggregate/district-aggregate.rules.js';
import { indicatorLists } from './indicator-list/indicator-list.rules.js';
import type { StatementKind } from './statement.js';
import type { Draft } from './statement-builder.js';
import type { ResolvedPhrase } from './status-phrase/phrase-subject.js';
import { tableStatements } from './table/table-statements.rules.js';
import { targets } from './target/target.rules.js';
import type { NameLexicon } from './tokens/commune-groups.js';

/** What a rule reads: the document, its status phrases with their subjects, the gazetteer's names. */
export interface RuleInput {
  context: DocumentContext;
  phrases: ResolvedPhrase[];
  lexicon: NameLexicon;
}

/** One extraction rule: its name (the corpus can run it alone), the kinds of statement it drafts, and how. */
export interface ExtractionRule {
  name: string;
  kinds: readonly StatementKind[];
  run(input: RuleInput): Draft[];
}

/**
 * Every extraction rule, listed once. The order matters: where two rules read the same commune
 * count from the same words, the first one's is kept (extract-statements.ts, withoutRepeats).
 */
export const EXTRACTION_RULES: readonly ExtractionRule[] = [
  { name: 'commune-count', kinds: ['commune_count'], run: ({ context, phrases, lexicon }) => communeCounts(context, phrases, lexicon) },
  { name: 'criteria-list', kinds: ['criteria_list'], run: ({ context, phrases }) => criteriaLists(context, phrases) },
  { name: 'indicator-list', kinds: ['indicator_list'], run: ({ context, phrases }) => indicatorLists(context, phrases) },
  // A district's group of communes ("Số xã đạt 19 tiêu chí 03 xã: A, B, C") also gives each commune's count.
  { name: 'district-aggregate', kinds: ['district_aggregate', 'commune_count'], run: ({ context, lexicon }) => districtAggregates(context, lexicon) },
  { name: 'target', kinds: ['target'], run: ({ context }) => targets(context) },
  { name: 'table', kinds: ['commune_count', 'criteria_list', 'district_aggregate'], run: ({ context }) => tableStatements(context) },
];

/** The rules of these names, in the list's order; an unknown name is an error that lists the known ones. */
export function rulesNamed(names: readonly string[]): ExtractionRule[] {
  const unknown = names.filter((name) => !EXTRACTION_RULES.some((rule) => rule.name === name));
  if (unknown.length) throw new Error(`no extraction rule named ${unknown.join(', ')} (the rules: ${EXTRACTION_RULES.map((rule) => rule.name).join(', ')})`);
  return EXTRACTION_RULES.filter((rule) => names.includes(rule.name));
}
