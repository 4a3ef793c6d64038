import { UnsupportedInputError } from '../errors/unsupported-input.error.js';

export type PlainTextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface DecodedPlainText {
  text: string;
  encoding: PlainTextEncoding;
}

/**
 * Decodes a plain-text file. Only UTF-8 (BOM optional) and BOM-marked UTF-16 are accepted:
 * guessing a legacy code page (TCVN3, VNI, Windows-1258…) would silently corrupt Vietnamese
 * diacritics, and a wrong word in a citation is worse than a refused file.
 * The BOM is dropped; everything else is kept verbatim (no line-ending or Unicode normalisation).
 */
export function decodePlainText(bytes: Uint8Array, fileName: string): DecodedPlainText {
  const encoding = detectEncoding(bytes);
  let text: string;
  try {
    // fatal: invalid byte sequences throw instead of turning into U+FFFD.
    // ignoreBOM: false (the default) makes the decoder strip the BOM for us.
    text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch (error) {
    throw notText(fileName, encoding === 'utf-8' ? 'it is not valid UTF-8' : `it is not valid ${encoding.toUpperCase()}`, error);
  }
  // NUL never occurs in real text; it means a binary file (or UTF-16 without a BOM).
  if (text.includes('\u0000')) {
    throw notText(fileName, 'it contains NUL bytes');
  }
  return { text, encoding };
}

function detectEncoding(bytes: Uint8Array): PlainTextEncoding {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

function notText(fileName: string, why: string, cause?: unknown): UnsupportedInputError {
  return new UnsupportedInputError(
    fileName,
    'undecodable',
    `the file is not UTF-8 or UTF-16 text (${why}); save it as UTF-8 and try again`,
    cause === undefined ? undefined : { cause },
  );
}
