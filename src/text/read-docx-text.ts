import mammoth from 'mammoth';
import { UnsupportedInputError } from '../errors/unsupported-input.error.js';
import { assertDocxInflatesWithin } from './docx-inflation-guard.js';
import { DEFAULT_INPUT_LIMITS } from './input-limits.js';
import { tableToText } from './docx-table-text.js';
import type { PageText } from '../../extractors/text/page-text.js';

/** The part of mammoth's document tree that carries text (see mammoth/lib/documents.js). */
interface DocxElement {
  type: string;
  value?: string;
  children?: DocxElement[];
  colSpan?: number;
  rowSpan?: number;
}

/**
 * mammoth's own raw-text rule (lib/raw-text.js) plus one change: a break (`<w:br/>`, a soft
 * line break; page and column breaks too, which equally separate words) becomes "\n".
 * extractRawText drops breaks, gluing "ỦY BAN NHÂN DÂN" and "HUYỆN HỮU LŨNG" together.
 */
function toText(element: DocxElement): string {
  switch (element.type) {
    case 'text':
      return element.value ?? '';
    case 'tab':
      return '\t';
    case 'break':
      return '\n';
    case 'table':
      // Rows and cells kept as lines of " | "-separated cells (docx-table-text.ts).
      return tableToText(element, (cell) => (cell.children ?? []).map(toText).join(''));
    default: {
      const inner = (element.children ?? []).map(toText).join('');
      return element.type === 'paragraph' ? `${inner}\n\n` : inner;
    }
  }
}

/**
 * Reads the body text of an OOXML Word document as one page: a .docx has no fixed pages
 * (they depend on the renderer), so citations use offsets into this single text.
 *
 * extractRawText takes no options, so the document tree is taken from convertToHtml's
 * `transformDocument` hook and written out as text here. That keeps extractRawText's output
 * exactly (paragraphs, table cells and empty paragraphs as "\n\n"; no footnote markers or
 * HTML to parse back) except for breaks. The hook returns an empty body, so no HTML (nor
 * image data URIs) is built. The hook is documented as unstable: test/text-layer.test.ts
 * checks the soft breaks of seed 002 survive.
 */
export async function readDocxText(bytes: Buffer, fileName: string, maxInflatedBytes = DEFAULT_INPUT_LIMITS.maxInflatedBytes): Promise<PageText[]> {
  await assertDocxInflatesWithin(bytes, fileName, maxInflatedBytes);
  let text: string | undefined;
  try {
    await mammoth.convertToHtml(
      { buffer: bytes },
      {
        transformDocument: (document: DocxElement) => {
          text = toText(document);
          return { ...document, children: [] };
        },
      },
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UnsupportedInputError(fileName, 'corrupt', `the Word document is damaged (${reason})`, { cause: error });
  }
  if (text === undefined) throw new Error('mammoth did not pass the document to transformDocument');
  const hasTextLayer = /\S/u.test(text);
  return [{ page: 1, text: hasTextLayer ? text : '', hasTextLayer }];
}
