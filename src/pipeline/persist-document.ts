import type { DocumentRepository } from '../../db/index.js';
import type { ExtractionResult } from './extract-document.js';

export type PersistInput =
  | { outcome: 'extracted'; documentId: number; result: ExtractionResult }
  /** Read again by the current rules from the pages already stored (reread-document.ts): the pages stay. */
  | { outcome: 'reread'; documentId: number; result: Omit<ExtractionResult, 'pages'> }
  | { outcome: 'failed'; documentId: number; reason: string; message: string };

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
