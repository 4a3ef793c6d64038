import type { Level } from '../statement.js';

/** The level a piece of folded text names, most specific first; null when it names none. */
export function levelNamedIn(fold: string): Level | null {
  if (/\bnang\s+cao\b/.test(fold)) return 'nang_cao';
  if (/\bkieu\s+mau\b/.test(fold)) return 'kieu_mau';
  if (/\b(?:nong\s+thon\s+moi|ntm)\b/.test(fold)) return 'ntm';
  return null;
}
