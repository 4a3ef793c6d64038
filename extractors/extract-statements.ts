import type { PageText } from '../src/text/page-text.js';
import { checkConsistency } from './consistency/consistency-checks.js';
import { checkRecognition } from './consistency/recognition-checks.js';
import { communeCounts } from './commune-count/commune-count.rules.js';
import { DocumentContext } from './context/document-context.js';
import { criteriaLists } from './criteria-list/criteria-list.rules.js';
import { districtAggregates } from './district-aggregate/district-aggregate.rules.js';
import { indicatorLists } from './indicator-list/indicator-list.rules.js';
import type { DocumentMetadata } from './metadata/metadata.rules.js';
import { aggregateMismatches } from './places/aggregate-check.js';
import { resolvePlaces } from './places/resolve-places.js';
import type { Flag, Statement } from './statement.js';
import type { Draft } from './statement-builder.js';
import { resolvePhrases } from './status-phrase/phrase-subject.js';
import { findStatusPhrases } from './status-phrase/status-phrases.js';
import { tableStatements } from './table/table-statements.rules.js';
import { targets } from './target/target.rules.js';

/**
 * Bump when a rule changes what it extracts: documents processed by an older version are
 * re-extracted on the next ingest, and their machine statements replaced.
 */
export const RULES_VERSION = '3';

export interface Extraction {
  metadata: DocumentMetadata;
  statements: Statement[];
  flags: Flag[];
}

/** Runs every rule over a document's pages, ties places to the gazetteer, then the consistency checks. */
export function extractStatements(pages: readonly PageText[]): Extraction {
  const context = new DocumentContext(pages);
  const resolved = resolvePhrases(context, findStatusPhrases(context));
  const drafts: Draft[] = [
    ...communeCounts(context, resolved),
    ...criteriaLists(context, resolved),
    ...indicatorLists(context, resolved),
    ...districtAggregates(context),
    ...targets(context),
    ...tableStatements(context),
  ];
  const read = drafts
    .filter((draft) => draft.citations.length > 0)
    .sort((a, b) => comparePosition(a, b))
    .map((draft, index) => ({ ...draft, index }) as Statement);
  const places = resolvePlaces(context, read);
  const statements = places.statements;
  return {
    metadata: context.metadata,
    statements,
    flags: [
      ...checkConsistency(statements),
      ...places.flags,
      ...aggregateMismatches(statements, places.scope),
      ...checkRecognition(pages, context.metadata, statements),
    ],
  };
}

function comparePosition(a: Draft, b: Draft): number {
  const [first, second] = [a.citations[0], b.citations[0]];
  if (!first || !second) return 0;
  return first.page - second.page || first.start - second.start || a.kind.localeCompare(b.kind);
}
