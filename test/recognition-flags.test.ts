import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeDatabase, DocumentRepository, openDatabase } from '../db/index.js';
import { extractStatements, RULES_VERSION } from '../extractors/extract-statements.js';
import type { PageText } from '../extractors/text/page-text.js';
import { useTempFolder } from './support/temp-folder.js';

const newTempFolder = useTempFolder();
const report = 'Xã Tân Lập đạt 15/19 tiêu chí; xã Hòa Bình đạt 12/19 tiêu chí.';

function flagsOf(pages: PageText[]) {
  return extractStatements(pages).flags.map((flag) => ({ type: flag.type, statements: flag.statements }));
}

describe('flags for text that may be misread', () => {
  it('flags every statement of a page that OCR read with low confidence, once per page', () => {
    expect(flagsOf([{ page: 1, text: report, hasTextLayer: false, source: 'ocr', ocrConfidence: 62 }])).toContainEqual({
      type: 'low_ocr_confidence',
      statements: [0, 1],
    });
  });

  it('leaves a confidently read page and a text layer alone', () => {
    for (const page of [{ source: 'ocr' as const, ocrConfidence: 95 }, {}]) {
      expect(flagsOf([{ page: 1, text: report, hasTextLayer: page.source !== 'ocr', ...page }]).map((flag) => flag.type)).not.toContain('low_ocr_confidence');
    }
  });

  it('flags statements on a page whose legacy-encoding conversion is doubtful', () => {
    expect(flagsOf([{ page: 1, text: report, hasTextLayer: true, source: 'legacy_repaired', encoding: { from: 'tcvn3', doubtful: true } }])).toContainEqual({
      type: 'doubtful_encoding',
      statements: [0, 1],
    });
  });

  it('mends an OCR-damaged inspection date only to the one reading before the document, and flags it', () => {
    const text =
      'Lạng Sơn, ngày   tháng 6 năm 2020\n\nNgày 20/57/2020, Đoàn kiểm tra đã làm việc tại huyện Văn Quan. Tại thời điểm kiểm tra, xã Tú Xuyên có 10/19 tiêu chí đạt chuẩn.';
    const extraction = extractStatements([{ page: 1, text, hasTextLayer: false, source: 'ocr', ocrConfidence: 93 }]);
    expect(extraction.metadata.inspectionDate).toMatchObject({ value: '2020-05-20', rule: 'metadata.inspection_date.ocr_repaired' });
    expect(extraction.statements[0]).toMatchObject({ kind: 'commune_count', met: 10, asOf: '2020-05-20' });
    expect(extraction.flags.map((flag) => flag.type)).toContain('ocr_repaired_date');
  });

  it('leaves a damaged date unread when two readings fit', () => {
    const text = 'Lạng Sơn, ngày   tháng 12 năm 2020\n\nNgày 20/57/2020, Đoàn kiểm tra đã làm việc. Xã Tú Xuyên có 10/19 tiêu chí đạt chuẩn.';
    expect(extractStatements([{ page: 1, text, hasTextLayer: false }]).metadata.inspectionDate).toBeNull();
  });

  it('stores how each page was read, so re-extraction from stored pages keeps the flags', () => {
    const db = openDatabase(join(newTempFolder(), 'ntm.sqlite'));
    try {
      const documents = new DocumentRepository(db);
      const { row } = documents.register({ sha256: 'a'.repeat(64), fileName: 'scan.pdf', sizeBytes: 1 });
      const pages: PageText[] = [{ page: 1, text: report, hasTextLayer: false, source: 'ocr', ocrConfidence: 62, ocrEngine: 'native' }];
      documents.saveExtraction(row.id, { fileKind: 'pdf', mime: 'application/pdf', pages, extraction: extractStatements(pages), rulesVersion: RULES_VERSION });
      const stored = documents.loadPages(row.id);
      expect(stored).toEqual(pages);
      expect(flagsOf(stored).map((flag) => flag.type)).toContain('low_ocr_confidence');
    } finally {
      closeDatabase(db);
    }
  });
});
