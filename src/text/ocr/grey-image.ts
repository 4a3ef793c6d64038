import { open } from 'node:fs/promises';

/**
 * An 8-bit greyscale raster, one byte per pixel, row by row (0 = black, 255 = white).
 * Tesseract binarises internally; grey input keeps its Otsu threshold honest and is a third
 * of the bytes of RGB (see ../shared/MEASURED.md: feed OCR grey images).
 */
export interface GreyImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** RGBA (canvas ImageData order) to grey, compositing transparent pixels over white paper. */
export function greyFromRgba(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): GreyImage {
  const data = new Uint8Array(width * height);
  for (let i = 0, p = 0; i < data.length; i++, p += 4) {
    // ITU-R BT.601 luma in fixed point (77 + 150 + 29 = 256).
    const luma = (rgba[p]! * 77 + rgba[p + 1]! * 150 + rgba[p + 2]! * 29) >> 8;
    const alpha = rgba[p + 3]!;
    data[i] = alpha === 255 ? luma : (luma * alpha + 255 * (255 - alpha) + 127) / 255;
  }
  return { width, height, data };
}

/** Binary PGM (P5): the cheapest format both tesseract and tesseract.js (Leptonica) read. */
export function encodePgm(image: GreyImage): Buffer {
  return Buffer.concat([pgmHeader(image), image.data]);
}

/** Writes the image as a PGM file, its pixels straight from memory (not copied behind a header first: 4 MB a page). */
export async function writePgm(path: string, image: GreyImage): Promise<void> {
  const file = await open(path, 'w');
  try {
    const header = pgmHeader(image);
    const { bytesWritten } = await file.writev([header, image.data]);
    // A regular file takes it all, or the disk is full.
    if (bytesWritten < header.length + image.data.length) throw new Error(`${path}: wrote ${bytesWritten} of ${header.length + image.data.length} bytes`);
  } finally {
    await file.close();
  }
}

function pgmHeader(image: GreyImage): Buffer {
  return Buffer.from(`P5\n${image.width} ${image.height}\n255\n`, 'ascii');
}

/** Reads a binary PGM (P5, 8-bit) such as pdftoppm -gray writes. */
export function decodePgm(bytes: Uint8Array, what: string): GreyImage {
  // Header: magic, width, height, maxval, each after whitespace, then one whitespace byte.
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(Buffer.from(bytes.subarray(0, 64)).toString('latin1'));
  const [width, height, maxValue] = header ? [Number(header[1]), Number(header[2]), Number(header[3])] : [0, 0, 0];
  const start = header?.[0].length ?? 0;
  if (!header || maxValue !== 255 || bytes.length - start < width * height) throw new Error(`${what} is not an 8-bit grey PGM image`);
  return { width, height, data: new Uint8Array(bytes.buffer, bytes.byteOffset + start, width * height) };
}
