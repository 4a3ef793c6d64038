/**
 * Legacy Vietnamese fonts were 8-bit "Western" fonts: Word, PDF producers and editors saw their
 * bytes as Windows-1252 characters. So TCVN3/VNI text reaches us as those characters (the
 * familiar mojibake "Céng hoµ"), and a legacy plain-text file is read through this code page.
 * Its five unassigned bytes map to C1 controls (as WHATWG's decoder does), so decoding is lossless.
 */
/** 0x80–0x9F, from WHATWG's index-windows-1252; Node 20's TextDecoder gets these wrong (ISO-8859-1's C1 controls). */
const C1_RANGE = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/** Every other byte is the code point of the same number (ISO-8859-1). */
const BYTE_TO_CHAR: readonly string[] = Array.from({ length: 256 }, (_, byte) =>
  byte >= 0x80 && byte <= 0x9f ? C1_RANGE[byte - 0x80]! : String.fromCharCode(byte),
);

const CHAR_TO_BYTE = new Map(BYTE_TO_CHAR.map((char, byte) => [char, byte]));

export function windows1252Char(byte: number): string {
  return BYTE_TO_CHAR[byte]!;
}

export function decodeWindows1252(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += BYTE_TO_CHAR[byte]!;
  return text;
}

/** The byte a character has in Windows-1252, or undefined when it has none. */
export function windows1252Byte(char: string): number | undefined {
  return CHAR_TO_BYTE.get(char);
}
