import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import UTIF from 'utif2';
import { imageSize } from 'image-size';
import { UnsupportedInputError } from '../../errors/unsupported-input.error.js';
import { DEFAULT_INPUT_LIMITS } from '../input-limits.js';
import { greyFromRgba, type GreyImage } from './grey-image.js';

/** TIFF tag 254 (NewSubfileType) bit 0: a reduced-resolution copy (thumbnail), not a page. */
const REDUCED_RESOLUTION = 1;

export interface ImageLimits {
  /** Pixels per page, read from the header before any pixel is decoded (a 69-byte PNG can declare 60000×60000). */
  maxPixels: number;
  /** Pages of a multi-page TIFF. */
  maxPages: number;
}

/**
 * Decodes an image file into one grey raster per page: every page of a multi-page TIFF, one
 * page for PNG and JPEG. Decoders are pure JavaScript (pngjs, jpeg-js, UTIF — the last handles
 * the CCITT fax compression of office scanners): a damaged upload then throws, where Skia's
 * native decoders (@napi-rs/canvas) crashed the whole process on a cut-off JPEG or a "BM" text.
 * Every page's dimensions are read from its header and checked first: an image bomb is
 * refused (too_large) before a single pixel buffer is allocated.
 */
export async function decodeImagePages(bytes: Uint8Array, mime: string, fileName: string, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): Promise<GreyImage[]> {
  let tiffPages: UTIF.IFD[] | undefined;
  try {
    if (mime === 'image/tiff') tiffPages = readTiffPages(bytes);
  } catch (error) {
    throw damaged(fileName, error);
  }
  assertWithinLimits(headerSizes(bytes, mime, tiffPages, fileName), fileName, limits);
  try {
    switch (mime) {
      case 'image/tiff':
        return decodeTiffPages(bytes, tiffPages ?? []);
      case 'image/png':
        return [decodePng(bytes)];
      case 'image/jpeg':
        return [decodeJpeg(bytes, limits.maxPixels)];
      default:
        throw new Error(`no decoder for ${mime}`);
    }
  } catch (error) {
    throw damaged(fileName, error);
  }
}

const DEFAULT_IMAGE_LIMITS: ImageLimits = { maxPixels: DEFAULT_INPUT_LIMITS.maxPixels, maxPages: DEFAULT_INPUT_LIMITS.maxPages };

function damaged(fileName: string, error: unknown): UnsupportedInputError {
  const reason = error instanceof Error ? error.message : String(error);
  return new UnsupportedInputError(fileName, 'corrupt', `the image is damaged or truncated (${reason})`, { cause: error });
}

/** Width and height of each page, from the headers alone (image-size for PNG and JPEG; the TIFF's own tags). */
function headerSizes(bytes: Uint8Array, mime: string, tiffPages: UTIF.IFD[] | undefined, fileName: string): Array<{ width: number; height: number }> {
  if (tiffPages) {
    return tiffPages.map((ifd) => ({ width: Number(firstValue(ifd['t256'])), height: Number(firstValue(ifd['t257'])) }));
  }
  try {
    const { width, height } = imageSize(bytes);
    return [{ width, height }];
  } catch (error) {
    throw damaged(fileName, new Error(`no readable ${mime} header: ${error instanceof Error ? error.message : String(error)}`));
  }
}

function assertWithinLimits(sizes: Array<{ width: number; height: number }>, fileName: string, limits: ImageLimits): void {
  if (sizes.length > limits.maxPages) {
    throw new UnsupportedInputError(fileName, 'too_large', `the image has ${sizes.length} pages, over the ${limits.maxPages}-page limit (NTM_MAX_PAGES)`);
  }
  for (const [index, { width, height }] of sizes.entries()) {
    if (!(width > 0 && height > 0)) throw damaged(fileName, new Error(`${pageName(index, sizes.length)} declares no pixels (${width}×${height})`));
    if (width * height > limits.maxPixels) {
      throw new UnsupportedInputError(
        fileName,
        'too_large',
        `${pageName(index, sizes.length)} declares ${width}×${height} pixels (${megapixels(width * height)}), over the ${megapixels(limits.maxPixels)} limit (NTM_MAX_MEGAPIXELS): refused before decoding`,
      );
    }
  }
}

function pageName(index: number, pages: number): string {
  return pages > 1 ? `page ${index + 1} of the image` : 'the image';
}

function megapixels(pixels: number): string {
  return `${Math.round(pixels / 1e5) / 10} megapixels`;
}

function decodePng(bytes: Uint8Array): GreyImage {
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return greyFromRgba(png.data, png.width, png.height);
}

function decodeJpeg(bytes: Uint8Array, maxPixels: number): GreyImage {
  // jpeg-js fills a cut-off scan with grey instead of failing: require the end marker (EOI).
  if (
    !Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      .subarray(-64)
      .includes(Buffer.from([0xff, 0xd9]))
  ) {
    throw new Error('the JPEG is truncated');
  }
  // jpeg-js checks its own frame header too, should image-size and it ever read a file differently.
  const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: maxPixels / 1e6, maxMemoryUsageInMB: 2048 });
  return greyFromRgba(image.data, image.width, image.height);
}

/** The pages of a TIFF: its image file directories (tags only, no pixels), thumbnails left out. */
function readTiffPages(bytes: Uint8Array): UTIF.IFD[] {
  const pages = UTIF.decode(tiffBuffer(bytes)).filter((ifd) => (Number(firstValue(ifd['t254'])) & REDUCED_RESOLUTION) === 0);
  if (pages.length === 0) throw new Error('no image in the TIFF file');
  return pages;
}

function decodeTiffPages(bytes: Uint8Array, pages: UTIF.IFD[]): GreyImage[] {
  const buffer = tiffBuffer(bytes);
  return pages.map((ifd) => {
    UTIF.decodeImage(buffer, ifd);
    if (!(ifd.width > 0 && ifd.height > 0)) throw new Error('a TIFF page has no pixels');
    return greyFromRgba(UTIF.toRGBA8(ifd), ifd.width, ifd.height);
  });
}

function tiffBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function firstValue(tag: unknown): unknown {
  return Array.isArray(tag) ? tag[0] : tag;
}
