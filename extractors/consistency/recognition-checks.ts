import type { PageText } from '../text/page-text.js';
import type { DocumentMetadata } from '../context/document-metadata.js';
import type { Flag, Statement } from '../statement.js';

/** Below this mean word confidence (0–100) a recognised page's figures need a reviewer's eye. */
export const LOW_OCR_CONFIDENCE = 80;

/**
 * Flags for statements read from text that may be wrong in ways no rule can see: a page that OCR
 * read with low confidence, a legacy-encoded page whose conversion is doubtful, an inspection
 * date that OCR damaged and that was mended. One flag per page or per date, naming every
 * statement it covers.
 */
export function checkRecognition(pages: readonly PageText[], metadata: DocumentMetadata, statements: Statement[]): Flag[] {
  const flags: Flag[] = [];
  for (const page of pages) {
    const onPage = statements.filter((statement) => statement.citations.some((citation) => citation.page === page.page));
    if (onPage.length === 0) continue;
    if (page.source === 'ocr' && (page.ocrConfidence ?? 0) < LOW_OCR_CONFIDENCE) {
      flags.push({
        type: 'low_ocr_confidence',
        message: `page ${page.page} was read by OCR with ${Math.round(page.ocrConfidence ?? 0)}% confidence: check these ${onPage.length} figures against the scan`,
        statements: onPage.map((statement) => statement.index),
        evidence: onPage.flatMap((statement) => statement.citations.filter((citation) => citation.page === page.page).slice(0, 1)),
      });
    }
    if (page.encoding?.doubtful) {
      flags.push({
        type: 'doubtful_encoding',
        message: `page ${page.page} was converted from the legacy ${page.encoding.from.toUpperCase()} encoding and the result is doubtful: check these ${onPage.length} figures against the original`,
        statements: onPage.map((statement) => statement.index),
        evidence: onPage.flatMap((statement) => statement.citations.filter((citation) => citation.page === page.page).slice(0, 1)),
      });
    }
  }
  const inspection = metadata.inspectionDate;
  if (inspection?.rule.endsWith('ocr_repaired')) {
    const dated = statements.filter((statement) => statement.asOf === inspection.value);
    flags.push({
      type: 'ocr_repaired_date',
      message: `the inspection date is not a date as read; ${inspection.value} is the only reading before the document's own date, and ${dated.length} statements are dated by it: check the scan`,
      statements: dated.map((statement) => statement.index),
      evidence: inspection.citation ? [inspection.citation] : [],
    });
  }
  return flags;
}
