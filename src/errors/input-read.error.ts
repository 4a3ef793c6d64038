/**
 * An input path could not be read (gone since it was listed, no permission, a failing disk):
 * that file fails, the batch goes on. Nothing is stored for it, having no bytes to hash.
 */
export class InputReadError extends Error {
  override readonly name = 'InputReadError';

  constructor(
    readonly path: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot read ${path}: ${detail}`, options);
  }
}

export function isInputReadError(error: unknown): error is InputReadError {
  return error instanceof InputReadError;
}
