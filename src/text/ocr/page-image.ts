import { createCanvas } from '@napi-rs/canvas';
import type { GreyImage } from './grey-image.js';

/**
 * Widest stored page image: 1,240 pixels is an A4 page at 150 dpi, where a reviewer still
 * tells 13/19 from 18/19 in 11-point type; wider scans (200 dpi renders, phone photos) are
 * shrunk to it.
 */
export const PAGE_IMAGE_MAX_WIDTH = 1240;

/**
 * JPEG quality of the stored image. Scans carry paper grain, which lossless formats keep at a
 * high price: one A4 page of the scanned fixtures at 1,240 px is ~1.2 MB as PNG (pngjs, level 9),
 * ~320 KB as JPEG 70 (Skia, 35 ms) and ~200 KB as WebP 70 (Skia, 250 ms); JPEG is the
 * cheap middle, and its artefacts at 70 leave digits legible.
 */
const JPEG_QUALITY = 70;

export interface EncodedPageImage {
  /** JPEG bytes. */
  jpeg: Buffer;
  width: number;
  height: number;
  /** Stored width over the recognised image's: word boxes are multiplied by it. */
  scale: number;
}

/** The page image a reviewer sees beside the OCR text: grey, at most PAGE_IMAGE_MAX_WIDTH wide, as JPEG (Skia, via @napi-rs/canvas). */
export function encodePageImage(image: GreyImage, maxWidth = PAGE_IMAGE_MAX_WIDTH): EncodedPageImage {
  const shrunk = image.width > maxWidth ? shrinkGrey(image, maxWidth / image.width) : image;
  const canvas = createCanvas(shrunk.width, shrunk.height);
  canvas.getContext('2d'); // creates Skia's surface, whose pixels data() views
  // Written straight into the canvas's RGBA pixels (a view on Skia's memory, pinned
  // @napi-rs/canvas version): an ImageData's copy is memory the collector is not told about,
  // and 60 pages of it held 600 MB.
  const pixels = canvas.data();
  const rgba = new Uint32Array(pixels.buffer, pixels.byteOffset, pixels.length / 4);
  const grey = shrunk.data;
  // Little-endian words: 0xAABBGGRR, opaque grey.
  for (let i = 0; i < grey.length; i++) rgba[i] = 0xff000000 | (grey[i]! * 0x010101);
  const jpeg = canvas.encodeSync('jpeg', JPEG_QUALITY);
  // An empty canvas gives Skia's memory back now rather than when the collector gets to it.
  canvas.width = canvas.height = 0;
  return { jpeg, width: shrunk.width, height: shrunk.height, scale: shrunk.width / image.width };
}

/**
 * Area-average downscale (each target pixel the mean of the source pixels it covers, whole
 * ones only): keeps thin strokes grey instead of dropping them as nearest-neighbour would.
 * Hand-written: a few lines, where Skia's drawImage would need the full-size page copied to
 * RGBA (4× its bytes) first.
 */
function shrinkGrey(image: GreyImage, factor: number): GreyImage {
  const width = Math.max(1, Math.round(image.width * factor));
  const height = Math.max(1, Math.round(image.height * factor));
  const data = new Uint8Array(width * height);
  const xFrom = (x: number) => Math.floor((x * image.width) / width);
  const yFrom = (y: number) => Math.floor((y * image.height) / height);
  // Each target column's source columns, worked out once rather than for every row.
  const [x0s, x1s] = [new Int32Array(width), new Int32Array(width)];
  for (let x = 0; x < width; x++) [x0s[x], x1s[x]] = [xFrom(x), Math.max(xFrom(x) + 1, xFrom(x + 1))];
  const source = image.data;
  for (let y = 0; y < height; y++) {
    const [y0, y1] = [yFrom(y), Math.max(yFrom(y) + 1, yFrom(y + 1))];
    for (let x = 0; x < width; x++) {
      const [x0, x1] = [x0s[x]!, x1s[x]!];
      let sum = 0;
      for (let sy = y0; sy < y1; sy++) for (let sx = x0, row = sy * image.width; sx < x1; sx++) sum += source[row + sx]!;
      data[y * width + x] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
    }
  }
  return { width, height, data };
}
