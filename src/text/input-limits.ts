/**
 * What one document may cost before it is refused as too large, whatever its size on disk:
 * a small file can declare gigabytes (a decompression bomb, an image header, a page count).
 * Set from the environment in src/config.ts; the defaults leave room for the largest real
 * documents we have seen (a 600 dpi A3 scan is ~70 megapixels; a DOCX of 300 pages inflates
 * to 5–10 MB of XML) while bounding memory: mammoth holds about 50 times the XML it parses
 * (19 MB of XML: 1 GB resident), so 20 MB keeps a Word file near 1 GB.
 */
export interface InputLimits {
  /** Bytes a ZIP-based document (DOCX) may inflate to, over the XML parts its reader parses. */
  maxInflatedBytes: number;
  /** Pixels of one image or page (width × height, from the header, before decoding). */
  maxPixels: number;
  /** Pages of one document to render and recognise (PDF pages without a text layer, TIFF pages); text pages are not counted. */
  maxPages: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = {
  maxInflatedBytes: 20 * 1024 * 1024,
  maxPixels: 150_000_000,
  maxPages: 500,
};

export function inputLimits(limits: Partial<InputLimits> = {}): InputLimits {
  return { ...DEFAULT_INPUT_LIMITS, ...limits };
}
