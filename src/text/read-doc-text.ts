import WordExtractor from 'word-extractor';
import { UnsupportedInputError } from '../errors/unsupported-input.error.js';
import type { PageText } from '../../extractors/text/page-text.js';

/**
 * Reads the body of a legacy Word (.doc) file as one page. It is only called for OLE compound
 * files; one that is not a Word document (.xls, .msg…) or is damaged fails here as 'corrupt'.
 */
export async function readDocText(bytes: Buffer, fileName: string): Promise<PageText[]> {
  let text: string;
  try {
    const document = await new WordExtractor().extract(bytes);
    // filterUnicode: false keeps curly quotes and dashes as written (the default rewrites them to ASCII).
    text = document.getBody({ filterUnicode: false });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UnsupportedInputError(fileName, 'corrupt', `the file is not a readable Word 97-2003 document (${reason})`, { cause: error });
  }
  const hasTextLayer = /\S/u.test(text);
  return [{ page: 1, text: hasTextLayer ? text : '', hasTextLayer }];
}
