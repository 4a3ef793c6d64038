import { isUnsupportedInputError, UnsupportedInputError, type UnsupportedInputReason } from '../../errors/unsupported-input.error.js';
import { OcrEngineError } from '../../text/ocr/ocr-engine.js';

/**
 * An error as it crosses from a pool thread to the main thread. Structured cloning keeps an
 * Error's message but not its class or fields, and the queues decide on the class (unusable
 * input is final, an OCR engine failure is retried): so the worker sends what it was.
 */
export type SentError =
  | { type: 'unsupported_input'; fileName: string; reason: UnsupportedInputReason; detail: string }
  | { type: 'ocr_engine'; message: string }
  | { type: 'other'; message: string };

/** What every pool task returns: its value, or the error it threw. */
export type TaskOutcome<T> = { ok: true; value: T } | { ok: false; error: SentError };

/** Runs a task in the worker, catching its error as data. */
export async function outcomeOf<T>(task: () => Promise<T> | T): Promise<TaskOutcome<T>> {
  try {
    return { ok: true, value: await task() };
  } catch (error) {
    return { ok: false, error: sendError(error) };
  }
}

function sendError(error: unknown): SentError {
  if (isUnsupportedInputError(error)) return { type: 'unsupported_input', fileName: error.fileName, reason: error.reason, detail: error.detail };
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof OcrEngineError) return { type: 'ocr_engine', message };
  return { type: 'other', message };
}

/** The task's value on the main thread, or its error rebuilt with its class. */
export function unwrapOutcome<T>(outcome: TaskOutcome<T>): T {
  if (outcome.ok) return outcome.value;
  const sent = outcome.error;
  switch (sent.type) {
    case 'unsupported_input':
      throw new UnsupportedInputError(sent.fileName, sent.reason, sent.detail);
    case 'ocr_engine':
      throw new OcrEngineError(sent.message);
    case 'other':
      throw new Error(sent.message);
  }
}
