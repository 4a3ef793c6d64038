import type { OcrWordBox } from '../../../extractors/text/page-text.js';
import type { GreyImage } from './grey-image.js';
import { encodePageImage, type EncodedPageImage } from './page-image.js';
import { placeWords, tsvWords } from './page-words.js';

/** What a reviewer needs to check an OCR'd page: its image, and each word's box on it with its place in the text. */
export interface PageView {
  words: OcrWordBox[];
  image: EncodedPageImage;
}

/** `image` is the one tesseract read (straightened, turned), so the TSV's boxes are on it. */
export function pageView(image: GreyImage, text: string, tsv: string): PageView {
  const encoded = encodePageImage(image);
  return { words: placeWords(tsvWords(tsv), text, encoded.scale), image: encoded };
}
