import type { GreyImage } from './grey-image.js';

/** Scans are rarely more than a few degrees off; past this the page is rotated, not skewed. */
const MAX_SKEW_DEGREES = 5;
/** Below this the rotation would move pixels by less than ~1 px per 500: not worth resampling. */
const MIN_CORRECTION_DEGREES = 0.1;
/** Width of the thumbnail the angle is searched on: text lines stay distinct, the search stays cheap. */
const SEARCH_WIDTH = 800;

/**
 * Finds the angle of the text lines by a projection search: ink pixels of a thumbnail are
 * projected onto the vertical axis at each candidate angle, and aligned lines give the
 * spikiest profile (largest sum of squared bin counts). Coarse 0.25° steps, then 0.02°.
 * Returns degrees, positive when lines descend to the right (clockwise rotation of the page).
 * Costs ~10–40 ms a page; tesseract's own OSD (psm 0) costs ~2 s and only knows 90° steps.
 */
export function estimateSkewDegrees(image: GreyImage): number {
  const ink = inkPoints(image);
  if (ink.xs.length < 200) return 0; // a blank page has no lines to align
  const score = (degrees: number): number => profileScore(ink, degrees);
  const coarse = bestAngle(score, -MAX_SKEW_DEGREES, MAX_SKEW_DEGREES, 0.25);
  return bestAngle(score, coarse - 0.25, coarse + 0.25, 0.02);
}

/**
 * True when the text lines run top to bottom (a page scanned or photographed a quarter turn
 * off): the column profile of the ink is then spikier than the row profile. Each profile is
 * scored relative to a flat one of the same length, so page proportions do not bias it.
 */
export function isTurnedSideways(image: GreyImage): boolean {
  const ink = inkPoints(image);
  if (ink.xs.length < 200) return false;
  const sideways: InkPoints = { xs: ink.ys, ys: ink.xs, width: ink.height, height: ink.width };
  return peakiness(sideways) > 1.5 * peakiness(ink);
}

/** The best profile score over the skew range, relative to a flat profile of the same points. */
function peakiness(ink: InkPoints): number {
  let best = 0;
  for (let degrees = -MAX_SKEW_DEGREES; degrees <= MAX_SKEW_DEGREES; degrees += 0.5) best = Math.max(best, profileScore(ink, degrees));
  return (best * ink.height) / ink.xs.length ** 2;
}

/** Turns the page so its text lines are horizontal; returns the same image when already straight. */
export function deskew(image: GreyImage): { image: GreyImage; degrees: number } {
  const degrees = estimateSkewDegrees(image);
  if (Math.abs(degrees) < MIN_CORRECTION_DEGREES) return { image, degrees: 0 };
  return { image: rotateGrey(image, -degrees), degrees };
}

/** Quarter and half turns, clockwise, exactly (no resampling). */
export function turnGrey(image: GreyImage, quarterTurns: 1 | 2 | 3): GreyImage {
  const { width, height, data } = image;
  const [outWidth, outHeight] = quarterTurns === 2 ? [width, height] : [height, width];
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [ox, oy] = quarterTurns === 1 ? [height - 1 - y, x] : quarterTurns === 2 ? [width - 1 - x, height - 1 - y] : [y, width - 1 - x];
      out[oy * outWidth + ox] = data[y * width + x]!;
    }
  }
  return { width: outWidth, height: outHeight, data: out };
}

interface InkPoints {
  xs: Float32Array;
  ys: Float32Array;
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
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (thumb[y * width + x]! < threshold) {
        xs.push(x);
        ys.push(y);
      }
    }
  }
  return { xs: Float32Array.from(xs), ys: Float32Array.from(ys), width, height };
}

export function otsuThreshold(pixels: Uint8Array): number {
  const histogram = new Float64Array(256);
  for (const value of pixels) histogram[value]!++;
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
  for (let i = 0; i < ink.xs.length; i++) {
    bins[Math.round(ink.ys[i]! - ink.xs[i]! * slope) + margin]!++;
  }
  let score = 0;
  for (const count of bins) score += count * count;
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
  for (let y = 0; y < height; y++) {
    // Inverse mapping: each output pixel samples the source at the point rotated back.
    const dy = y - cy;
    for (let x = 0; x < width; x++) {
      const dx = x - cx;
      const sx = cx + dx * cos + dy * sin;
      const sy = cy - dx * sin + dy * cos;
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
