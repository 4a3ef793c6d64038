/**
 * C0 controls except tab and newline, DEL and the C1 controls (0x9B is a one-byte CSI): a file
 * named "report\x1b]0;owned\x07.txt" must not retitle, recolour or clear the analyst's terminal.
 * Bidirectional overrides and isolates go too: "báo cáo\u202Efdp.exe" must not print as "…exe.pdf".
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Text from documents (file names, quotes, errors naming files) made safe to print on a terminal. */
export function terminalText(text: string): string {
  return text.replace(CONTROL, '');
}

/** Writes one or more lines to stdout with control characters removed. */
export function printOut(text: string): void {
  process.stdout.write(terminalText(text));
}

export function printErr(text: string): void {
  process.stderr.write(terminalText(text));
}
