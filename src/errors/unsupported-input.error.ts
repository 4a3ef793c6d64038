/** Why a file cannot be turned into text. Retrying will not help with any of these. */
export type UnsupportedInputReason = 'empty' | 'too_large' | 'unsupported_type' | 'corrupt' | 'encrypted' | 'undecodable';

/**
 * The input itself is unusable (corrupt, encrypted, of an unsupported type...).
 * Queues treat it as unrecoverable: the document is stored as failed with this message.
 */
export class UnsupportedInputError extends Error {
  override readonly name = 'UnsupportedInputError';

  constructor(
    readonly fileName: string,
    readonly reason: UnsupportedInputReason,
    /** The problem, without the file's name: what a pool worker sends back to rebuild the error. */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot read ${fileName}: ${detail}`, options);
  }
}

export function isUnsupportedInputError(error: unknown): error is UnsupportedInputError {
  return error instanceof UnsupportedInputError;
}
