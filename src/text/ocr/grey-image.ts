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
  const header = Buffer.from(`P5\n${image.width} ${image.height}\n255\n`, 'ascii');
  return Buffer.concat([header, image.data]);
}
