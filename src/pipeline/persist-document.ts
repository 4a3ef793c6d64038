import type { DocumentRepository } from '../../db/index.js';
import { isStorageError } from '../errors/storage.error.js';
import type { ExtractionResult } from './extract-document.js';

export type PersistInput =
  | { outcome: 'extracted'; documentId: number; result: ExtractionResult }
  /** Read again by the current rules from the pages already stored (reread-document.ts): the pages stay. */
  | { outcome: 'reread'; documentId: number; result: Omit<ExtractionResult, 'pages'> }
  | { outcome: 'failed'; documentId: number; reason: string; message: string };

/** One document of a batch: what to write, and the file it is named by in errors. */
export type BatchItem = PersistInput & { fileName: string };

/** What became of one document of a batch. */
export type BatchOutcome = { stored: true } | { stored: false; error: DocumentNotStoredError };

/**
 * A document whose results the database refused (a constraint its result breaks, a value of
 * the wrong shape): retrying cannot help. It is recorded as failed, naming the file.
 */
export class DocumentNotStoredError extends Error {
  override readonly name = 'DocumentNotStoredError';

  constructor(
    readonly fileName: string,
    cause: unknown,
  ) {
    super(`Cannot store ${fileName} in the database: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * The single-writer stage: the only code that writes a document's results to SQLite, one
 * transaction per document. Safe to re-run: a second run replaces the first.
 */
export function persistDocument(documents: DocumentRepository, input: PersistInput): void {
  if (input.outcome === 'failed') {
    documents.markFailed(input.documentId, { reason: input.reason, message: input.message });
    return;
  }
  const { result } = input;
  documents.saveExtraction(input.documentId, {
    fileKind: result.fileKind,
    mime: result.mime,
    ...('pages' in result ? { pages: result.pages } : {}),
    extraction: result.extraction,
    rulesVersion: result.rulesVersion,
  });
}

/**
 * Several documents in one transaction (a commit per document costs more than most documents'
 * rows), each in its own savepoint: a document the database refuses is rolled back alone and
 * marked failed with the reason, the others are stored. A storage failure (full disk, I/O)
 * is nobody's document: it throws and the whole batch is retried.
 */
export function persistDocuments(documents: DocumentRepository, items: readonly BatchItem[]): BatchOutcome[] {
  return documents.inOneTransaction(() =>
    items.map((item): BatchOutcome => {
      try {
        persistDocument(documents, item);
        return { stored: true };
      } catch (error) {
        if (isStorageError(error) || (error as { code?: unknown }).code === 'SQLITE_BUSY') throw error;
        const refused = new DocumentNotStoredError(item.fileName, error);
        documents.markFailed(item.documentId, { reason: 'internal', message: refused.message });
        return { stored: false, error: refused };
      }
    }),
  );
}
