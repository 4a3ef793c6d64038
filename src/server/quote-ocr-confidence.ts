import type { Database, StatementRecord } from '../../db/index.js';
import type { OcrWordTuple } from '../../db/schema.js';

/**
 * Below this tesseract word confidence a word of a quote is worth a look at the scan. Read
 * words score 90–97 on the scanned fixtures (2 of 597 words of the photographed page are under
 * 70); misread digits — 13/19 for 18/19 — are the ones that fall below it.
 */
export const LOW_OCR_WORD_CONFIDENCE = 70;

/**
 * The lowest tesseract confidence among the words of each statement's quotes, for statements
 * that quote OCR'd pages (others are absent from the map). One query for all their pages.
 */
export function quoteOcrConfidence(db: Database, statements: readonly StatementRecord[]): Map<number, number> {
  const documentIds = [...new Set(statements.flatMap((s) => [s.document.id, ...s.citations.flatMap((c) => c.documentId ?? [])]))];
  const rows = db.$client
    .prepare(
      `select document_id as documentId, page_no as page, ocr_words as words from pages where ocr_words is not null and document_id in (select value from json_each(?))`,
    )
    .all(JSON.stringify(documentIds)) as Array<{ documentId: number; page: number; words: string }>;
  const wordsOf = new Map(rows.map((row) => [`${row.documentId}/${row.page}`, JSON.parse(row.words) as OcrWordTuple[]]));
  const lowest = new Map<number, number>();
  for (const statement of statements) {
    for (const citation of statement.citations) {
      const words = wordsOf.get(`${citation.documentId ?? statement.document.id}/${citation.page}`);
      if (!words) continue;
      for (const [start, end, , , , , confidence] of words) {
        if (start < citation.end && end > citation.start) lowest.set(statement.id, Math.min(lowest.get(statement.id) ?? 100, confidence));
      }
    }
  }
  return lowest;
}
