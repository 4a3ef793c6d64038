import type { LegacyEncoding } from '../../../extractors/text/page-text.js';
import { legacyTables } from './legacy-tables.js';
import { decodeWindows1252, windows1252Byte, windows1252Char } from './windows-1252.js';

/**
 * Converts legacy-font text, as Word or a PDF shows it (Windows-1252 characters), to Unicode.
 * Only the letters the encoding defines change; everything else (ASCII, digits, punctuation,
 * line breaks) is kept character for character.
 */
export function legacyToUnicode(text: string, encoding: LegacyEncoding): string {
  return encoding === 'tcvn3' ? tcvn3ToUnicode(text) : vniToUnicode(text);
}

export function tcvn3ToUnicode(text: string): string {
  const { fontCharToLetter } = legacyTables().tcvn3;
  let out = '';
  for (const char of text) out += fontCharToLetter.get(char) ?? char;
  return out;
}

/** VNI marks follow their letter; a mark's case may differ from the letter's (sloppy typing), the letter's wins. */
export function vniToUnicode(text: string): string {
  const { spellingToLetter } = legacyTables().vni;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const pair = text.slice(i, i + 2);
    const letter = spellingToLetter.get(pair) ?? spellingToLetter.get(withMarkCaseOf(pair));
    if (letter !== undefined) {
      out += letter;
      i++;
      continue;
    }
    const char = text[i]!;
    out += spellingToLetter.get(char) ?? char;
  }
  return out;
}

/** "Aø" → "AØ", "aØ" → "aø": the mark takes the case of the letter before it. */
function withMarkCaseOf(pair: string): string {
  if (pair.length !== 2) return pair;
  const [base, mark] = [pair[0]!, pair[1]!];
  return base === base.toUpperCase() ? base + mark.toUpperCase() : base + mark.toLowerCase();
}

/**
 * Decodes a legacy plain-text file. TCVN3 files are read byte by byte with the full TCVN
 * 5712:1993 table: with no font to say ".VnTimeH", capitals with tone marks can only be the
 * standard's VN1 slots (0x80–0x9F and a few C0 codes), which is what glibc iconv writes.
 * VNI files are Windows-1252 characters spelling VNI.
 */
export function decodeLegacyBytes(bytes: Uint8Array, encoding: LegacyEncoding): string {
  if (encoding === 'vni') return vniToUnicode(decodeWindows1252(bytes));
  const { plainTextByteToLetter } = legacyTables().tcvn3;
  let out = '';
  for (const byte of bytes) out += plainTextByteToLetter.get(byte) ?? windows1252Char(byte);
  return out;
}

/**
 * The inverse, for fixtures and round-trip tests: Unicode (NFC) to the bytes a legacy editor
 * saves. Throws on a character the encoding cannot write (a TCVN3 file cannot hold "–",
 * whose Windows-1252 byte is the VN1 slot of "Ọ").
 */
export function encodeLegacyBytes(text: string, encoding: LegacyEncoding): Buffer {
  const spelled = encoding === 'vni' ? unicodeToVniText(text) : text;
  const letterToByte = encoding === 'tcvn3' ? tcvn3LetterBytes() : new Map<string, number>();
  const bytes: number[] = [];
  for (const char of spelled) {
    const letterByte = letterToByte.get(char);
    if (letterByte !== undefined) {
      bytes.push(letterByte);
      continue;
    }
    const byte = windows1252Byte(char);
    if (byte === undefined || (encoding === 'tcvn3' && legacyTables().tcvn3.plainTextByteToLetter.has(byte))) {
      throw new Error(`${JSON.stringify(char)} cannot be written in ${encoding.toUpperCase()}`);
    }
    bytes.push(byte);
  }
  return Buffer.from(bytes);
}

/** Unicode (NFC) to TCVN3 as Word shows a .VnTime run: capitals with tone marks become their small letter (a .VnTimeH run). */
export function unicodeToTcvn3Text(text: string): string {
  const letterToChar = new Map([...legacyTables().tcvn3.fontCharToLetter].map(([char, letter]) => [letter, char]));
  let out = '';
  for (const char of text) out += letterToChar.get(char) ?? letterToChar.get(char.toLowerCase()) ?? char;
  return out;
}

export function unicodeToVniText(text: string): string {
  const { letterToSpelling } = legacyTables().vni;
  let out = '';
  for (const char of text) out += letterToSpelling.get(char) ?? char;
  return out;
}

function tcvn3LetterBytes(): Map<string, number> {
  return new Map([...legacyTables().tcvn3.plainTextByteToLetter].map(([byte, letter]) => [letter, byte]));
}
