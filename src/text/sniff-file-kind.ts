import { fileTypeFromBuffer } from 'file-type';
import { UnsupportedInputError } from '../errors/unsupported-input.error.js';
import { decodePlainText } from './decode-plain-text.js';
import { detectLegacyPlainText, legacyCharset } from './legacy/repair-legacy-pages.js';
import type { FileKind } from '../../extractors/text/page-text.js';

export interface SniffedFileKind {
  kind: FileKind;
  mime: string;
}

/** OOXML Word variants (macro-enabled, templates) share docx's layout, which mammoth reads. */
const WORD_OOXML = new Set(['docx', 'docm', 'dotx', 'dotm']);
const EXCEL_OOXML = new Set(['xlsx', 'xlsm', 'xltx', 'xltm']);
const POWERPOINT_OOXML = new Set(['pptx', 'pptm', 'potx', 'potm', 'ppsx', 'ppsm']);
const OPEN_DOCUMENT = new Set(['odt', 'ott', 'ods', 'ots', 'odp', 'otp', 'odg', 'otg']);
/** Other containers file-type recognises inside a ZIP. */
const OTHER_ZIP_BASED = new Set(['zip', 'jar', 'apk', 'xpi', 'epub', 'vsdx', '3mf']);
/** Scans and photos that are decoded (ocr/decode-image.ts) and recognised page by page. */
const OCR_IMAGES = new Set(['png', 'jpg', 'tif']);
/** Other images: no decoder here (scanners and phones save PNG, JPEG, TIFF or PDF). */
const OTHER_IMAGES = new Set(['jpx', 'jp2', 'jxl', 'heic', 'avif', 'bmp', 'gif', 'webp']);
/** Text-based formats file-type recognises: decoding them as plain text would store markup, not prose. */
const MARKUP_TEXT = new Set(['xml', 'rtf', 'ps', 'eps', 'vcf', 'ics', 'vtt', 'reg']);

/**
 * Decides how to read a file from its bytes. The name is used only in error messages:
 * uploads are often misnamed (a .docx that is really a ZIP, a .pdf that is a Word file).
 */
export async function sniffFileKind(bytes: Uint8Array, fileName: string): Promise<SniffedFileKind> {
  // A UTF-16 BOM must be checked before file-type: it mistakes FF FE + text for an MPEG audio frame.
  if (startsWithUtf16Bom(bytes)) return asPlainText(bytes, fileName);

  const detected = await fileTypeFromBuffer(bytes);
  if (detected === undefined) return asPlainText(bytes, fileName);

  const { ext, mime } = detected;
  if (ext === 'pdf') return { kind: 'pdf', mime };
  if (WORD_OOXML.has(ext)) return { kind: 'docx', mime };
  // OLE compound file: a legacy .doc, or an .xls/.ppt/.msg; word-extractor tells them apart later.
  if (ext === 'cfb') return { kind: 'doc', mime: 'application/msword' };

  // Some binary formats have short printable signatures ("BM" for BMP, "MZ" for EXE, "ID3"…)
  // that a text file can start with. Real binaries always contain NUL or invalid UTF-8.
  if (!MARKUP_TEXT.has(ext) && !mime.startsWith('text/') && isCleanText(bytes, fileName)) {
    return asPlainText(bytes, fileName);
  }
  if (OCR_IMAGES.has(ext)) return { kind: 'image', mime };

  throw new UnsupportedInputError(fileName, 'unsupported_type', describeUnsupported(ext, mime));
}

/**
 * UTF-8 or UTF-16 text; failing that, a file saved by a legacy Vietnamese editor: TCVN3 or VNI
 * bytes, recognised from the Vietnamese syllables they spell (legacy/), which gets the
 * non-IANA charset x-tcvn3 or x-vni. Anything else stays 'undecodable'.
 */
function asPlainText(bytes: Uint8Array, fileName: string): SniffedFileKind {
  try {
    const { encoding } = decodePlainText(bytes, fileName);
    return { kind: 'txt', mime: `text/plain; charset=${encoding}` };
  } catch (error) {
    const legacy = startsWithUtf16Bom(bytes) ? null : detectLegacyPlainText(bytes);
    if (legacy) return { kind: 'txt', mime: `text/plain; charset=${legacyCharset(legacy)}` };
    throw error;
  }
}

function startsWithUtf16Bom(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}

function isCleanText(bytes: Uint8Array, fileName: string): boolean {
  try {
    const { text } = decodePlainText(bytes, fileName);
    // C0 controls other than tab, line feed, vertical tab, form feed and carriage return mark binary data.
    return !/[\u0001-\u0008\u000e-\u001f\u007f]/.test(text);
  } catch {
    return false;
  }
}

function describeUnsupported(ext: string, mime: string): string {
  if (EXCEL_OOXML.has(ext)) return `an Excel spreadsheet (${ext}) is not supported`;
  if (POWERPOINT_OOXML.has(ext)) return `a PowerPoint presentation (${ext}) is not supported`;
  if (OPEN_DOCUMENT.has(ext)) return `an OpenDocument file (${ext}) is not supported; save it as .docx or PDF`;
  if (ext === 'zip') return 'it is a ZIP archive, not a Word document';
  if (ext === 'epub') return 'an EPUB e-book is not supported';
  if (OTHER_ZIP_BASED.has(ext)) return `it is a ZIP-based ${ext} file, not a Word document`;
  if (OTHER_IMAGES.has(ext)) return `an image in ${ext} format is not supported; save the scan as PNG, JPEG, TIFF or PDF`;
  if (ext === 'rtf') return 'an RTF document is not supported; save it as .docx or PDF';
  return `a ${ext} file (${mime}) is not a supported document type`;
}
