import { describe, expect, it } from 'vitest';
import { DocumentText } from '../extractors/text/document-text.js';
import { createMatchView, foldPhrase } from '../extractors/text/match-view.js';

describe('the matching view', () => {
  const sentence = 'Xã Thượng Cường đạt **13/19** tiêu chí – Số 1 (quy hoạch)';

  it.each([
    ['NFC', sentence],
    ['NFD', sentence.normalize('NFD')],
  ])('folds %s text to one ASCII form of the same length as its NFC form', (_form, text) => {
    const view = createMatchView(text);
    expect(view.fold).toBe('xa thuong cuong dat   13/19   tieu chi - so 1 (quy hoach)');
    expect(view.fold.length).toBe(view.nfc.length);
  });

  it('maps a match back to the exact stored characters, also in NFD text', () => {
    const text = `Báo cáo.\n${sentence.normalize('NFD')}`;
    const view = createMatchView(text);
    const match = /thuong cuong dat\s+13\/19\s+tieu chi/.exec(view.fold);
    const quote = text.slice(view.toRaw(match?.index ?? 0), view.toRaw((match?.index ?? 0) + (match?.[0].length ?? 0)));
    expect(quote.normalize('NFC')).toBe('Thượng Cường đạt **13/19** tiêu chí');
  });

  it('treats OCR and typing variants alike: Ð for Đ, tone placement, non-breaking spaces', () => {
    expect(foldPhrase('ÐẠT')).toBe('dat');
    expect(foldPhrase('Hoà Bình')).toBe(foldPhrase('Hòa Bình'));
    expect(foldPhrase('Thuỷ\u00a0lợi')).toBe('thuy loi');
  });
});

describe('a document of several pages', () => {
  it('cites a statement that runs over a page break with one span per page', () => {
    const doc = new DocumentText([
      { page: 1, text: 'Kết quả: xã Tú Xuyên đạt 10/19', hasTextLayer: true },
      { page: 2, text: 'tiêu chí. Hết.', hasTextLayer: true },
    ]);
    const match = /xa tu xuyen dat 10\/19\s+tieu chi/.exec(doc.fold);
    const spans = doc.toPageSpans(match?.index ?? 0, (match?.index ?? 0) + (match?.[0].length ?? 0));
    expect(spans).toEqual([
      { page: 1, start: 9, end: 30 },
      { page: 2, start: 0, end: 8 },
    ]);
    expect(spans.map((span) => doc.quote(span))).toEqual(['xã Tú Xuyên đạt 10/19', 'tiêu chí']);
  });
});
