import type { DocumentContext, Subject } from './context/document-context.js';
import { criteriaSetFor } from './criteria-sets/criteria-sets.js';
import type { Level, Statement } from './statement.js';

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
    criteriaSet: input.level ? criteriaSetFor(input.level, asOf ?? context.documentDate)?.code ?? null : null,
    assessment: context.assessmentIn(input.start, input.end),
    asOf,
    citations: context.text.toPageSpans(input.start, input.end),
    rule: input.rule,
    confidence: input.confidence,
  };
}

/** Less sure of a statement whose commune came from the surrounding text. */
export function subjectConfidence(base: number, subject: Subject | null): number {
  if (!subject) return Math.round(base * 0.6 * 100) / 100;
  const factor = subject.source === 'same_sentence' ? 1 : subject.source === 'after_count' ? 0.95 : 0.8;
  return Math.round(base * factor * 100) / 100;
}
