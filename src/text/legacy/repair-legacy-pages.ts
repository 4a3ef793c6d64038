import type { LegacyEncoding, PageText } from '../../../extractors/text/page-text.js';
import { decodeLegacyBytes, legacyToUnicode } from './convert-legacy.js';
import { gatherEvidence, LEGACY_ENCODINGS, syllableShare, type EncodingEvidence } from './detect-legacy-encoding.js';
import { decodeWindows1252 } from './windows-1252.js';

/** Correct conversions keep ≥ 90% of changed words well-formed (seeds: 100%; abbreviations never change). */
const CLEAN_VALID_SHARE = 0.9;
/** Words that only read as Vietnamese once converted, and hold a character Unicode Vietnamese never uses. */
const MIN_PROVEN_WORDS = 3;
/** Vietnamese prose is ~97% well-formed syllables (seeds); below this a conversion is suspect. */
const MIN_SYLLABLE_SHARE = 0.6;

export interface RepairedText {
  text: string;
  encoding: { from: LegacyEncoding; doubtful: boolean };
}

/**
 * Repairs the pages whose text is in a legacy font encoding, line by line, so that TCVN3 or VNI
 * runs inside an otherwise Unicode Word file are converted too. Pages with nothing to repair
 * are returned as they are (the same objects).
 */
export function repairLegacyPages(pages: PageText[]): PageText[] {
  return pages.map((page) => {
    if (page.source !== undefined || !page.hasTextLayer) return page;
    const repaired = repairLegacyText(page.text);
    return repaired ? { ...page, text: repaired.text, source: 'legacy_repaired', encoding: repaired.encoding } : page;
  });
}

/**
 * Detection never fires on Unicode Vietnamese: a page must hold at least three words that are
 * valid only once converted and contain a character Unicode Vietnamese never uses ("proven"),
 * and at least as many of them as words with Unicode-only letters (ư, ơ, đ, ạ…). A line is
 * converted when it has no Unicode-only word and enough of its changed words become syllables.
 */
export function repairLegacyText(text: string): RepairedText | null {
  const lines = text.split(/(?<=\n)/u);
  const evidence = lines.map(gatherEvidence);
  const pageEncoding = dominantEncoding(sumEvidence(evidence));

  const used = new Map<LegacyEncoding, number>();
  let [changed, valid, skippedMixedLines] = [0, 0, 0];
  let converted = '';
  const convertedLines: string[] = [];
  lines.forEach((line, index) => {
    const lineEvidence = evidence[index]!;
    const encoding = lineEncoding(lineEvidence, pageEncoding);
    if (!encoding) {
      if (lineEvidence.unicodeWords > 0 && LEGACY_ENCODINGS.some((e) => lineEvidence.byEncoding[e].proven > 0)) skippedMixedLines++;
      converted += line;
      return;
    }
    const counts = lineEvidence.byEncoding[encoding];
    [changed, valid] = [changed + counts.changed, valid + counts.valid];
    used.set(encoding, (used.get(encoding) ?? 0) + counts.changed);
    const repaired = legacyToUnicode(line, encoding);
    convertedLines.push(repaired);
    converted += repaired;
  });
  if (used.size === 0) return null;

  const from = [...used].sort((a, b) => b[1] - a[1])[0]![0];
  const unicodeWords = evidence.reduce((sum, line) => sum + line.unicodeWords, 0);
  const doubtful =
    used.size > 1 || // TCVN3 and VNI on one page
    unicodeWords > 0 || // legacy and Unicode mixed
    skippedMixedLines > 0 ||
    valid < CLEAN_VALID_SHARE * changed ||
    syllableShare(convertedLines.join('')) < MIN_SYLLABLE_SHARE;
  return { text: converted, encoding: { from, doubtful } };
}

/** For sniffing a file that is not UTF-8: which legacy encoding its bytes spell, if any. */
export function detectLegacyPlainText(bytes: Uint8Array): LegacyEncoding | null {
  if (bytes.includes(0)) return null; // NUL: a binary file, or UTF-16 without a BOM
  if (isUtf8(bytes)) return null; // UTF-8 seen through Windows-1252 ("Ã¡") is not legacy text
  return dominantEncoding(gatherEvidence(decodeWindows1252(bytes)));
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const LEGACY_CHARSETS: Record<string, LegacyEncoding> = { 'x-tcvn3': 'tcvn3', 'x-vni': 'vni' };

export function legacyCharset(encoding: LegacyEncoding): string {
  return Object.entries(LEGACY_CHARSETS).find(([, value]) => value === encoding)![0];
}

/** Reads a plain-text file sniffed as legacy (mime charset x-tcvn3 or x-vni); null for any other mime. */
export function readLegacyPlainText(bytes: Uint8Array, mime: string): PageText | null {
  const charset = /;\s*charset=([\w-]+)/u.exec(mime)?.[1] ?? '';
  const from = LEGACY_CHARSETS[charset];
  if (!from) return null;
  const evidence = gatherEvidence(decodeWindows1252(bytes)).byEncoding[from];
  const text = decodeLegacyBytes(bytes, from);
  const doubtful = evidence.valid < CLEAN_VALID_SHARE * evidence.changed || syllableShare(text) < MIN_SYLLABLE_SHARE;
  return { page: 1, text, hasTextLayer: true, source: 'legacy_repaired', encoding: { from, doubtful } };
}

function sumEvidence(lines: EncodingEvidence[]): EncodingEvidence {
  const total: EncodingEvidence = {
    unicodeWords: 0,
    byEncoding: { tcvn3: { changed: 0, valid: 0, proven: 0 }, vni: { changed: 0, valid: 0, proven: 0 } },
  };
  for (const line of lines) {
    total.unicodeWords += line.unicodeWords;
    for (const encoding of LEGACY_ENCODINGS) {
      const [sum, add] = [total.byEncoding[encoding], line.byEncoding[encoding]];
      [sum.changed, sum.valid, sum.proven] = [sum.changed + add.changed, sum.valid + add.valid, sum.proven + add.proven];
    }
  }
  return total;
}

function dominantEncoding(evidence: EncodingEvidence): LegacyEncoding | null {
  const candidates = LEGACY_ENCODINGS.filter((encoding) => {
    const { changed, valid, proven } = evidence.byEncoding[encoding];
    return proven >= MIN_PROVEN_WORDS && proven >= evidence.unicodeWords && valid >= 0.7 * changed;
  });
  return mostValid(evidence, candidates);
}

function lineEncoding(evidence: EncodingEvidence, pageEncoding: LegacyEncoding | null): LegacyEncoding | null {
  if (evidence.unicodeWords > 0) return null;
  const candidates = LEGACY_ENCODINGS.filter((encoding) => {
    const { changed, valid, proven } = evidence.byEncoding[encoding];
    if (changed === 0) return false;
    // On a legacy page a line needs only to read better converted; elsewhere it must prove itself.
    return encoding === pageEncoding ? valid >= 0.5 * changed : proven >= MIN_PROVEN_WORDS && valid >= 0.8 * changed;
  });
  return mostValid(evidence, candidates, pageEncoding);
}

function mostValid(evidence: EncodingEvidence, candidates: LegacyEncoding[], preferred?: LegacyEncoding | null): LegacyEncoding | null {
  let best: LegacyEncoding | null = null;
  for (const encoding of candidates) {
    const score = evidence.byEncoding[encoding].valid;
    const bestScore = best ? evidence.byEncoding[best].valid : -1;
    if (score > bestScore || (score === bestScore && encoding === preferred)) best = encoding;
  }
  return best;
}
