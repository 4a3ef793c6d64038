import type { DocumentContext } from '../context/document-context.js';
import type { Flag, Statement } from '../statement.js';

/** Counts of criteria as any rule would start from: "13/19 tiêu chí", "đạt 14 tiêu chí". */
const COUNT_OF_CRITERIA = /(?<![\d/])\d{1,2}(?:\s*\/\s*\d{1,2})?\s+tieu\s+chi\b/g;
const PROGRAMME = /\b(?:nong\s+thon\s+moi|ntm)\b/;
/** Fewer counts than this are a passing mention, not a text about communes' status. */
const MANY_COUNTS = 3;

/**
 * A document full of the programme's counts that gives no status at all (an unusual layout, a
 * text the rules do not know) is flagged rather than passed over in silence, with its first
 * counts as evidence for a reviewer.
 */
export function unreadDocumentFlags(context: DocumentContext, statements: readonly Statement[]): Flag[] {
  if (statements.length > 0) return []; // a plan's targets are read too: its counts are goals
  if (!PROGRAMME.test(context.fold)) return [];
  const counts = [...context.fold.matchAll(COUNT_OF_CRITERIA)].slice(0, 20);
  if (counts.length < MANY_COUNTS) return [];
  return [
    {
      type: 'nothing_read',
      message: `the text holds ${counts.length === 20 ? '20 or more' : counts.length} counts of criteria but no rule read a status from it: read it and add the statements it makes`,
      statements: [],
      evidence: counts.slice(0, 3).flatMap((match) => context.text.toPageSpans(match.index, match.index + match[0].length)),
    },
  ];
}
