import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import UTIF from 'utif2';
import { UnsupportedInputError } from '../../errors/unsupported-input.error.js';
import { greyFromRgba, type GreyImage } from './grey-image.js';

/** TIFF tag 254 (NewSubfileType) bit 0: a reduced-resolution copy (thumbnail), not a page. */
const REDUCED_RESOLUTION = 1;
/** A 600 dpi A3 scan is ~70 megapixels; past this a file is a decompression bomb, not a page. */
const MAX_MEGAPIXELS = 150;

/**
 * Decodes an image file into one grey raster per page: every page of a multi-page TIFF, one
 * page for PNG and JPEG. Decoders are pure JavaScript (pngjs, jpeg-js, UTIF — the last handles
 * the CCITT fax compression of office scanners): a damaged upload then throws, where Skia's
 * native decoders (@napi-rs/canvas) crashed the whole process on a cut-off JPEG or a "BM" text.
 */
export async function decodeImagePages(bytes: Uint8Array, mime: string, fileName: string): Promise<GreyImage[]> {
  try {
    switch (mime) {
      case 'image/tiff':
        return decodeTiffPages(bytes);
      case 'image/png':
        return [decodePng(bytes)];
      case 'image/jpeg':
        return [decodeJpeg(bytes)];
      default:
        throw new Error(`no decoder for ${mime}`);
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UnsupportedInputError(fileName, 'corrupt', `the image is damaged or truncated (${reason})`, { cause: error });
  }
}

function decodePng(bytes: Uint8Array): GreyImage {
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return greyFromRgba(png.data, png.width, png.height);
}

function decodeJpeg(bytes: Uint8Array): GreyImage {
  // jpeg-js fills a cut-off scan with grey instead of failing: require the end marker (EOI).
  if (!Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(-64).includes(Buffer.from([0xff, 0xd9]))) {
    throw new Error('the JPEG is truncated');
  }
  const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_MEGAPIXELS, maxMemoryUsageInMB: 2048 });
  return greyFromRgba(image.data, image.width, image.height);
}

function decodeTiffPages(bytes: Uint8Array): GreyImage[] {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const pages = UTIF.decode(buffer).filter((ifd) => (Number(firstValue(ifd['t254'])) & REDUCED_RESOLUTION) === 0);
  if (pages.length === 0) throw new Error('no image in the TIFF file');
  return pages.map((ifd) => {
    UTIF.decodeImage(buffer, ifd);
    if (!(ifd.width > 0 && ifd.height > 0)) throw new Error('a TIFF page has no pixels');
    if (ifd.width * ifd.height > MAX_MEGAPIXELS * 1e6) throw new Error(`a TIFF page of ${ifd.width}×${ifd.height} pixels is too large`);
    return greyFromRgba(UTIF.toRGBA8(ifd), ifd.width, ifd.height);
  });
}

function firstValue(tag: unknown): unknown {
  return Array.isArray(tag) ? tag[0] : tag;
}
