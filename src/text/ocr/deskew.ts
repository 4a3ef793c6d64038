import type { GreyImage } from './grey-image.js';

/** Scans are rarely more than a few degrees off; past this the page is rotated, not skewed. */
const MAX_SKEW_DEGREES = 5;
/** Below this the rotation would move pixels by less than ~1 px per 500: not worth resampling. */
const MIN_CORRECTION_DEGREES = 0.1;
/** Width of the thumbnail the angle is searched on: text lines stay distinct, the search stays cheap. */
const SEARCH_WIDTH = 800;
/** Fewer ink pixels than this on the thumbnail: a blank page, no lines to find. */
const MIN_INK_POINTS = 200;

/**
 * Finds the angle of the text lines by a projection search: ink pixels of a thumbnail are
 * projected onto the vertical axis at each candidate angle, and aligned lines give the
 * spikiest profile (largest sum of squared bin counts). Coarse 0.25° steps, then 0.02°.
 * Returns degrees, positive when lines descend to the right (clockwise rotation of the page).
 * Costs ~10–40 ms a page; tesseract's own OSD (psm 0) costs ~2 s and only knows 90° steps.
 */
export function estimateSkewDegrees(image: GreyImage): number {
  return skewDegrees(inkPoints(image));
}

/**
 * True when the text lines run top to bottom (a page scanned or photographed a quarter turn
 * off): the column profile of the ink is then spikier than the row profile. Each profile is
 * scored relative to a flat one of the same length, so page proportions do not bias it.
 */
export function isTurnedSideways(image: GreyImage): boolean {
  return turnedSideways(inkPoints(image));
}

/**
 * A page made upright and straight, and the clockwise degrees it was turned by (a quarter turn
 * plus the skew): its ink found once for both questions.
 */
export function straighten(page: GreyImage): { image: GreyImage; correctedDegrees: number } {
  const ink = inkPoints(page);
  const sideways = turnedSideways(ink);
  const upright = sideways ? turnGrey(page, 1) : page;
  const degrees = skewDegrees(sideways ? turnInkClockwise(ink) : ink);
  const skewed = Math.abs(degrees) >= MIN_CORRECTION_DEGREES;
  return { image: skewed ? rotateGrey(upright, -degrees) : upright, correctedDegrees: (sideways ? 90 : 0) - (skewed ? degrees : 0) };
}

function skewDegrees(ink: InkPoints): number {
  if (ink.xs.length < MIN_INK_POINTS) return 0; // a blank page has no lines to align
  // The coarse search on every fourth ink point: it only has to land within 0.25° of the angle.
  const sample = everyNth(ink, 4);
  const coarse = bestAngle((degrees) => profileScore(sample, degrees), -MAX_SKEW_DEGREES, MAX_SKEW_DEGREES, 0.25);
  return bestAngle((degrees) => profileScore(ink, degrees), coarse - 0.25, coarse + 0.25, 0.02);
}

function turnedSideways(ink: InkPoints): boolean {
  if (ink.xs.length < MIN_INK_POINTS) return false;
  // Which profile is spikier shows as well on every fourth ink point.
  const sample = everyNth(ink, 4);
  const sideways: InkPoints = { xs: sample.ys, ys: sample.xs, width: sample.height, height: sample.width };
  return peakiness(sideways) > 1.5 * peakiness(sample);
}

/** The best profile score over the skew range, relative to a flat profile of the same points. */
function peakiness(ink: InkPoints): number {
  let best = 0;
  for (let degrees = -MAX_SKEW_DEGREES; degrees <= MAX_SKEW_DEGREES; degrees += 0.5) best = Math.max(best, profileScore(ink, degrees));
  return (best * ink.height) / ink.xs.length ** 2;
}

/**
 * Quarter and half turns, clockwise, exactly (no resampling). Each source row is walked with the
 * step its pixels take in the output (down a column, or back along a row): a pair of target
 * coordinates worked out per pixel cost three times as much on a 4-megapixel page.
 */
export function turnGrey(image: GreyImage, quarterTurns: 1 | 2 | 3): GreyImage {
  const { width, height, data } = image;
  const [outWidth, outHeight] = quarterTurns === 2 ? [width, height] : [height, width];
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    // Where the row's first pixel lands, and how far each next one lands from the last.
    const [first, step] =
      quarterTurns === 1 ? [height - 1 - y, outWidth] : quarterTurns === 2 ? [(height - y) * outWidth - 1, -1] : [(width - 1) * outWidth + y, -outWidth];
    for (let x = 0, source = y * width, target = first; x < width; x++, source++, target += step) out[target] = data[source]!;
  }
  return { width: outWidth, height: outHeight, data: out };
}

interface InkPoints {
  xs: Int32Array;
  ys: Int32Array;
  width: number;
  height: number;
}

/** Dark pixels of a box-filtered thumbnail, thresholded halfway between paper and ink (Otsu). */
function inkPoints(image: GreyImage): InkPoints {
  const step = Math.max(1, Math.floor(image.width / SEARCH_WIDTH));
  const width = Math.floor(image.width / step);
  const height = Math.floor(image.height / step);
  const thumb = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = 0; dy < step; dy++) {
        const row = (y * step + dy) * image.width + x * step;
        for (let dx = 0; dx < step; dx++) sum += image.data[row + dx]!;
      }
      thumb[y * width + x] = sum / (step * step);
    }
  }
  const threshold = otsuThreshold(thumb);
  let count = 0;
  for (let i = 0; i < thumb.length; i++) if (thumb[i]! < threshold) count++;
  const [xs, ys] = [new Int32Array(count), new Int32Array(count)];
  for (let i = 0, point = 0; i < thumb.length; i++) {
    if (thumb[i]! < threshold) [xs[point], ys[point++]] = [i % width, Math.floor(i / width)];
  }
  return { xs, ys, width, height };
}

/** The ink as it lies after turnGrey(image, 1): a quarter turn clockwise. */
function turnInkClockwise(ink: InkPoints): InkPoints {
  return { xs: ink.ys.map((y) => ink.height - 1 - y), ys: ink.xs, width: ink.height, height: ink.width };
}

function everyNth(ink: InkPoints, n: number): InkPoints {
  const count = Math.ceil(ink.xs.length / n);
  const [xs, ys] = [new Int32Array(count), new Int32Array(count)];
  for (let i = 0; i < count; i++) [xs[i], ys[i]] = [ink.xs[i * n]!, ink.ys[i * n]!];
  return { xs, ys, width: ink.width, height: ink.height };
}

export function otsuThreshold(pixels: Uint8Array): number {
  const histogram = new Float64Array(256);
  for (let i = 0; i < pixels.length; i++) histogram[pixels[i]!]!++;
  let total = 0;
  for (let i = 0; i < 256; i++) total += i * histogram[i]!;
  let [weightBelow, sumBelow, best, threshold] = [0, 0, -1, 128];
  for (let t = 0; t < 256; t++) {
    weightBelow += histogram[t]!;
    if (weightBelow === 0) continue;
    const weightAbove = pixels.length - weightBelow;
    if (weightAbove === 0) break;
    sumBelow += t * histogram[t]!;
    const meanBelow = sumBelow / weightBelow;
    const meanAbove = (total - sumBelow) / weightAbove;
    const between = weightBelow * weightAbove * (meanBelow - meanAbove) ** 2;
    if (between > best) [best, threshold] = [between, t + 1];
  }
  return threshold;
}

/** Sum of squared row counts after rotating the ink by -degrees (small-angle shear is enough here). */
function profileScore(ink: InkPoints, degrees: number): number {
  const slope = Math.tan((degrees * Math.PI) / 180);
  const margin = Math.ceil(Math.abs(slope) * ink.width) + 1;
  const bins = new Float64Array(ink.height + 2 * margin);
  // Points sit on whole pixels, so round(y - x·slope) = y + round(-x·slope): one shift per column.
  const shift = new Int32Array(ink.width);
  for (let x = 0; x < ink.width; x++) shift[x] = Math.round(-x * slope) + margin;
  const { xs, ys } = ink;
  for (let i = 0; i < xs.length; i++) bins[ys[i]! + shift[xs[i]!]!]!++;
  let score = 0;
  for (let i = 0; i < bins.length; i++) score += bins[i]! * bins[i]!;
  return score;
}

function bestAngle(score: (degrees: number) => number, from: number, to: number, step: number): number {
  let [best, bestScore] = [0, -Infinity];
  for (let degrees = from; degrees <= to + 1e-9; degrees += step) {
    const value = score(degrees);
    if (value > bestScore) [best, bestScore] = [degrees, value];
  }
  return Math.round(best * 100) / 100;
}

/**
 * Rotates about the centre by `degrees` (positive = clockwise on screen), bilinear, same size,
 * paper-white where the rotation uncovers the corners.
 */
export function rotateGrey(image: GreyImage, degrees: number): GreyImage {
  const { width, height, data } = image;
  const out = new Uint8Array(width * height);
  const radians = (degrees * Math.PI) / 180;
  const [cos, sin] = [Math.cos(radians), Math.sin(radians)];
  const [cx, cy] = [(width - 1) / 2, (height - 1) / 2];
  // The column terms once per column, not once per pixel (same sums, in the same order).
  const [columnX, columnY] = [new Float64Array(width), new Float64Array(width)];
  for (let x = 0; x < width; x++) [columnX[x], columnY[x]] = [cx + (x - cx) * cos, cy - (x - cx) * sin];
  for (let y = 0; y < height; y++) {
    // Inverse mapping: each output pixel samples the source at the point rotated back.
    const dy = y - cy;
    const [rowX, rowY] = [dy * sin, dy * cos];
    for (let x = 0; x < width; x++) {
      const sx = columnX[x]! + rowX;
      const sy = columnY[x]! + rowY;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 >= width - 1 || y0 >= height - 1) {
        out[y * width + x] = 255;
        continue;
      }
      const fx = sx - x0;
      const fy = sy - y0;
      const i = y0 * width + x0;
      const top = data[i]! + (data[i + 1]! - data[i]!) * fx;
      const bottom = data[i + width]! + (data[i + width + 1]! - data[i + width]!) * fx;
      out[y * width + x] = top + (bottom - top) * fy;
    }
  }
  return { width, height, data: out };
}
