/**
 * A queue message that can never succeed: an unknown job name, a payload its schema refuses,
 * a result key outside the blob store, a document that does not exist. Queue messages are
 * input too; retrying one of these only repeats the failure, so it fails at once
 * (UnrecoverableError) with this one-line reason.
 */
export class InvalidJobError extends Error {
  override readonly name = 'InvalidJobError';
}

export function isInvalidJobError(error: unknown): error is InvalidJobError {
  return error instanceof InvalidJobError;
}
