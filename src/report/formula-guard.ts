/**
 * Cells a spreadsheet would read as a formula: OWASP's "CSV injection" list — `=`, `+`, `-`, `@`,
 * tab and carriage return at the start. A document named "=HYPERLINK(…)" must reach the analyst
 * as text, never as a live formula in Excel, LibreOffice or Google Sheets.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * The text with a leading apostrophe when it could start a formula (OWASP's advice): spreadsheets
 * show it as text. Numbers (typed numbers, not text that looks like one) are left alone: a negative
 * figure cannot carry a formula.
 */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function looksLikeFormula(text: string): boolean {
  return FORMULA_START.test(text);
}
