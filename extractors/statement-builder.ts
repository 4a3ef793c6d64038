import type { DocumentContext, Subject } from './context/document-context.js';
import { criteriaSetOf } from './criteria-sets/set-words.js';
import type { SetWords } from './criteria-sets/set-words.js';
import type { CriteriaSet } from './criteria-sets/criteria-sets.js';
import type { Level, Statement } from './statement.js';
import { foldPhrase } from './text/match-view.js';

/** A statement before it gets its index in the document. */
export type Draft<S extends Statement = Statement> = S extends Statement ? Omit<S, 'index'> : never;

export interface CommonFieldsInput {
  start: number;
  end: number;
  commune: string | null;
  level: Level | null;
  rule: string;
  confidence: number;
}

/** Fields every statement computes the same way: places, set, assessor, date, citation. */
export function commonFields(context: DocumentContext, input: CommonFieldsInput) {
  const asOf = context.asOfAt(input.start);
  return {
    place: context.placesAt(input.start, input.commune),
    level: input.level,
    criteriaSet: input.level ? (statementSet(context, input.level, input.start, input.end)?.code ?? null) : null,
    assessment: context.assessmentIn(input.start, input.end),
    asOf,
    citations: context.text.toPageSpans(input.start, input.end),
    rule: input.rule,
    confidence: input.confidence,
  };
}

/** The set a statement at [start, end) is judged against (see `criteriaSetOf`). */
export function statementSet(context: DocumentContext, level: Level, start: number, end: number): CriteriaSet | null {
  return criteriaSetOf(level, context.asOfAt(start) ?? context.documentDate, setWords(context, start, end));
}

/** The statement's sentence (through its end) and the document's title, folded: where a set may be named. */
function setWords(context: DocumentContext, start: number, end: number): SetWords {
  const sentence = context.sentenceAt(start);
  const title = context.metadata.title;
  // A title read past its end (no line opens the body) may hold the statement itself: not a title then.
  const span = title?.citation;
  const inTitle = span ? start >= context.positionOf(span) && start < context.positionOf({ ...span, start: span.end }) : false;
  return { sentence: context.fold.slice(sentence.start, Math.max(end, sentence.end)), title: title && !inTitle ? foldPhrase(title.value) : null };
}

/** Less sure of a statement whose commune came from the surrounding text. */
export function subjectConfidence(base: number, subject: Subject | null): number {
  if (!subject) return Math.round(base * 0.6 * 100) / 100;
  const factor = subject.source === 'same_sentence' ? 1 : subject.source === 'after_count' ? 0.95 : 0.8;
  return Math.round(base * factor * 100) / 100;
}
