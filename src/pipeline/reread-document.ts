import type { DocumentRepository } from '../../db/index.js';
import { extractStatements, RULES_VERSION } from '../../extractors/extract-statements.js';
import { persistDocument } from './persist-document.js';

/**
 * Reads a done document again with the current rules, from its stored pages (the rules are
 * cheap; the text stage, OCR included, is not run again), and hands the result to the persist
 * stage like any extraction. Statements get new row ids; reviewers' actions follow their
 * fingerprints. False when the document does not exist or is not done. Runs on the database
 * host, like the persist stage.
 */
export function rereadDocument(documents: DocumentRepository, documentId: number): boolean {
  const row = documents.findById(documentId);
  if (row?.status !== 'done') return false;
  const pages = documents.loadPages(documentId);
  const result = { fileKind: row.fileKind ?? 'txt', mime: row.mime ?? '', extraction: extractStatements(pages), rulesVersion: RULES_VERSION };
  persistDocument(documents, { outcome: 'reread', documentId, result });
  return true;
}
