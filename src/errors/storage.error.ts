/** SQLite result codes (better-sqlite3's `code`) that mean the database cannot be written at all. */
const SQLITE_STORAGE = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN)/;
/** File-system codes that mean the disk (or mount) takes no more writes. */
const FS_STORAGE = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EROFS']);

/**
 * The database or the blob store cannot be written: a full disk or quota, a read-only mount,
 * a failing device. No file is to blame and the next file would fail the same way, so the
 * batch stops (exit code 3) instead of recording every remaining file as failed.
 */
export function isStorageError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (SQLITE_STORAGE.test(code) || FS_STORAGE.has(code));
}

/** Stops a batch: names the file being stored when it happened and what was not attempted. */
export class StorageError extends Error {
  override readonly name = 'StorageError';

  constructor(
    readonly fileName: string,
    readonly notAttempted: number,
    cause: unknown,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(
      `Storage failed while storing ${fileName}: ${detail}. ${fileName} and the ${notAttempted} file(s) after it were not ingested; the database is unchanged for them. Free space (or fix the mount) and run the same command again.`,
      { cause },
    );
  }
}
