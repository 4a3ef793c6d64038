import mammoth from 'mammoth';
import { UnsupportedInputError } from '../errors/unsupported-input.error.js';
import type { PageText } from './page-text.js';

/**
 * Reads the body text of an OOXML Word document as one page: a .docx has no fixed pages
 * (they depend on the renderer), so citations use offsets into this single text.
 */
export async function readDocxText(bytes: Buffer, fileName: string): Promise<PageText[]> {
  let text: string;
  try {
    ({ value: text } = await mammoth.extractRawText({ buffer: bytes }));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UnsupportedInputError(fileName, 'corrupt', `the Word document is damaged (${reason})`, { cause: error });
  }
  const hasTextLayer = /\S/u.test(text);
  return [{ page: 1, text: hasTextLayer ? text : '', hasTextLayer }];
}
