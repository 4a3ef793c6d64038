import type { PageText } from './text/page-text.js';
import { checkConsistency } from './consistency/consistency-checks.js';
import { checkRecognition } from './consistency/recognition-checks.js';
import { recognitionCountFlags } from './consistency/recognition-count-check.js';
import { unreadDocumentFlags } from './consistency/unread-check.js';
import { addCountDetails } from './commune-group/count-details.rules.js';
import { DocumentContext } from './context/document-context.js';
import type { DocumentMetadata } from './context/document-metadata.js';
import { extractMetadata } from './metadata/metadata.rules.js';
import { DocumentText } from './text/document-text.js';
import { aggregateMismatches } from './places/aggregate-check.js';
import { nameLexicon } from './places/gazetteer.js';
import { resolvePlaces } from './places/resolve-places.js';
import { EXTRACTION_RULES, type ExtractionRule } from './rules.js';
import type { Flag, Statement } from './statement.js';
import type { Draft } from './statement-builder.js';
import { resolvePhrases } from './status-phrase/phrase-subject.js';
import { findStatusPhrases } from './status-phrase/status-phrases.js';

/**
 * Bump when a rule changes what it extracts: documents processed by an older version are
 * re-extracted on the next ingest, and their machine statements replaced.
 */
export const RULES_VERSION = '6';

export interface Extraction {
  metadata: DocumentMetadata;
  statements: Statement[];
  flags: Flag[];
}

/**
 * Runs the rules (every one unless told; the corpus test may run one alone) over a document's
 * pages, ties places to the gazetteer, then the consistency checks.
 */
export function extractStatements(pages: readonly PageText[], rules: readonly ExtractionRule[] = EXTRACTION_RULES): Extraction {
  const context = readDocument(pages);
  const lexicon = nameLexicon();
  const input = { context, phrases: resolvePhrases(context, findStatusPhrases(context)), lexicon };
  const drafts: Draft[] = rules.flatMap((rule) => rule.run(input));
  const read = addCountDetails(
    context,
    withoutRepeats(drafts)
      .filter((draft) => draft.citations.length > 0)
      .sort((a, b) => comparePosition(a, b))
      .map((draft, index) => ({ ...draft, index }) as Statement),
  );
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
      ...unreadDocumentFlags(context, statements),
      ...recognitionCountFlags(context, lexicon, statements),
    ],
  };
}

/** The document as every rule reads it: its text, indexed, with the metadata its header and footer give. */
export function readDocument(pages: readonly PageText[]): DocumentContext {
  const text = new DocumentText(pages);
  return new DocumentContext(text, extractMetadata(text));
}

function comparePosition(a: Draft, b: Draft): number {
  const [first, second] = [a.citations[0], b.citations[0]];
  if (!first || !second) return 0;
  return first.page - second.page || first.start - second.start || a.kind.localeCompare(b.kind);
}

/**
 * Two rules may read the same fact in the same words ("Số xã đạt 19 tiêu chí 03 xã: A, B, C"
 * is both a group count and a district's group): keep the first commune count for a commune and
 * figure whose citation overlaps another's.
 */
function withoutRepeats(drafts: Draft[]): Draft[] {
  const counts = new Map<string, Array<Draft & { kind: 'commune_count' }>>();
  return drafts.filter((draft) => {
    if (draft.kind !== 'commune_count') return true;
    const key = `${draft.place.commune}|${draft.met}|${draft.total}`;
    const same = counts.get(key) ?? [];
    if (same.some((other) => overlap(other, draft))) return false;
    counts.set(key, [...same.slice(-7), draft]); // repeats sit close together: the last few suffice
    return true;
  });
}

function overlap(a: Draft, b: Draft): boolean {
  return a.citations.some((x) => b.citations.some((y) => x.page === y.page && x.start < y.end && y.start < x.end));
}
