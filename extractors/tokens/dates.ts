/** A date as precise as the text makes it: "2022", "2022-07" or "2022-07-20". */
export type PartialDate = string;

export function formatPartialDate(year: number, month?: number | null, day?: number | null): PartialDate | null {
  if (!Number.isInteger(year) || year < 1990 || year > 2100) return null;
  if (month == null || Number.isNaN(month)) return String(year);
  if (month < 1 || month > 12) return null;
  const yearMonth = `${year}-${String(month).padStart(2, '0')}`;
  if (day == null || Number.isNaN(day)) return yearMonth;
  if (day < 1 || day > 31) return null;
  return `${yearMonth}-${String(day).padStart(2, '0')}`;
}

function toNumber(text: string | undefined): number | null {
  return text === undefined || text === '' ? null : Number(text);
}

/** Header style, blanks allowed in drafts: "ngày 17 tháng 7 năm 2023", "ngày   tháng 7 năm 2022". */
export const SPELLED_DATE = /\bngay\s*(\d{1,2})?\s*thang\s*(\d{1,2})?\s*nam\s+(\d{4})\b/g;
/** "20/7/2022", "06/9/2024" (also with dots or dashes). */
export const NUMERIC_DATE = /(?<![\d/])(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)/g;
/** "tháng 9/2024", "tháng 06/2020". */
export const MONTH_DATE = /\bthang\s+(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)/g;

export function spelledDate(match: RegExpExecArray): PartialDate | null {
  return formatPartialDate(Number(match[3]), toNumber(match[2]), toNumber(match[1]));
}

export function numericDate(match: RegExpExecArray): PartialDate | null {
  return formatPartialDate(Number(match[3]), Number(match[2]), Number(match[1]));
}

export function monthDate(match: RegExpExecArray): PartialDate | null {
  return formatPartialDate(Number(match[2]), Number(match[1]));
}

/** The year of a partial date, as a number. */
export function yearOf(date: PartialDate): number {
  return Number(date.slice(0, 4));
}

/** Compares partial dates by their first possible day ("2022-07" is 2022-07-01). */
export function firstDayOf(date: PartialDate): string {
  return date.length === 4 ? `${date}-01-01` : date.length === 7 ? `${date}-01` : date;
}

/** Digits Tesseract's Vietnamese model confuses in dates (see MEASURED.md: 0 read as 6 or 9). */
const DIGIT_CONFUSIONS: Record<string, string[]> = {
  '0': ['6', '9', '8'],
  '6': ['0', '8'],
  '9': ['0'],
  '8': ['0', '6', '3'],
  '3': ['8'],
  '1': ['7'],
  '7': ['1'],
};

/** Readings of an OCR'd number: as read, with one digit too many dropped, or one confused digit swapped. */
function readingsOf(digits: string): string[] {
  const readings = new Set<string>();
  for (let index = 0; index < digits.length; index += 1) {
    if (digits.length > 1) readings.add(digits.slice(0, index) + digits.slice(index + 1));
    for (const swap of DIGIT_CONFUSIONS[digits[index] ?? ''] ?? []) readings.add(digits.slice(0, index) + swap + digits.slice(index + 1));
  }
  return [...readings];
}

/**
 * Mends an OCR-damaged "day/month/year" that is no date ("20/57/2020"): only the impossible part
 * is re-read, and only when exactly one reading is a real date no later than `notAfter` (a report
 * cannot speak of an inspection after its own date). Null when none or several fit.
 */
export function repairNumericDate(day: string, month: string, year: string, notAfter: PartialDate | null): PartialDate | null {
  const dayValid = Number(day) >= 1 && Number(day) <= 31;
  const monthValid = Number(month) >= 1 && Number(month) <= 12;
  if (dayValid && monthValid) return null;
  const days = dayValid ? [day] : readingsOf(day);
  const months = monthValid ? [month] : readingsOf(month);
  const limit = notAfter ? lastDayOf(notAfter) : null;
  const fits = new Set<string>();
  for (const d of days) {
    for (const m of months) {
      const date = formatPartialDate(Number(year), Number(m), Number(d));
      if (date && date.length === 10 && (!limit || date <= limit)) fits.add(date);
    }
  }
  return fits.size === 1 ? ([...fits][0] ?? null) : null;
}

function lastDayOf(date: PartialDate): string {
  return date.length === 4 ? `${date}-12-31` : date.length === 7 ? `${date}-31` : date;
}
