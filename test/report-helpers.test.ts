/** The small pure pieces behind the analysts' outputs: formula guard, terminal text, dates and ages. */
import { describe, expect, it } from 'vitest';
import { terminalText } from '../src/cli/terminal-text.js';
import { parseAge, periodEnd, subtractAge } from '../src/report/coverage.js';
import { formatCsv } from '../src/report/export-writer.js';
import { looksLikeFormula, neutraliseFormula } from '../src/report/formula-guard.js';
import { dateCell } from '../src/report/workbook-sheet.js';

describe('formula guard (OWASP CSV injection)', () => {
  it('prefixes an apostrophe to text starting with = + - @ tab or carriage return, and nothing else', () => {
    for (const text of ['=HYPERLINK("http://x","y")', '+SUM(A1)', '-2+3', '@SUM(1)', '\t=1', '\r=1']) {
      expect(looksLikeFormula(text)).toBe(true);
      expect(neutraliseFormula(text)).toBe(`'${text}`);
    }
    for (const text of ['Thượng Cường', 'báo cáo =1.txt', "'=already", '', '13/19']) expect(neutraliseFormula(text)).toBe(text);
  });

  it('keeps typed numbers, negative ones too, as numbers in CSV, and quotes cells holding separators', () => {
    expect(
      formatCsv([
        ['a', 'b', 'c'],
        ['-1+2', -5, 'x,=y'],
      ]),
    ).toBe('a,b,c\n\'-1+2,-5,"x,=y"\n');
    expect(formatCsv([['tên']], { bom: true })).toBe('\uFEFFtên\n');
  });
});

describe('terminal text', () => {
  it('strips ESC, BEL, other C0 and C1 controls, DEL and bidi overrides, keeping newlines, tabs and Vietnamese', () => {
    expect(terminalText('evil\u001b]0;owned\u0007\u001b[2J.txt')).toBe('evil]0;owned[2J.txt');
    expect(terminalText('a\u009b31mb\u007fc\rd\u0000')).toBe('a31mbcd');
    expect(terminalText('báo cáo\u202Efdp.exe')).toBe('báo cáofdp.exe');
    expect(terminalText('xã Thượng Cường\n\tđạt 13/19')).toBe('xã Thượng Cường\n\tđạt 13/19');
  });
});

describe('dates and ages', () => {
  it('ends a period on its last day', () => {
    expect(periodEnd('2024-09')).toBe('2024-09-30');
    expect(periodEnd('2024-02')).toBe('2024-02-29');
    expect(periodEnd('2023')).toBe('2023-12-31');
    expect(periodEnd('2024-09-06')).toBe('2024-09-06');
    expect(periodEnd(null)).toBe('');
  });

  it('subtracts days, months and years, clamping to the end of a shorter month', () => {
    expect(subtractAge('2024-09-30', { amount: 12, unit: 'm' })).toBe('2023-09-30');
    expect(subtractAge('2024-03-31', { amount: 1, unit: 'm' })).toBe('2024-02-29');
    expect(subtractAge('2024-03-01', { amount: 1, unit: 'd' })).toBe('2024-02-29');
    expect(subtractAge('2024-02-29', { amount: 1, unit: 'y' })).toBe('2023-02-28');
    expect(parseAge('12m')).toEqual({ amount: 12, unit: 'm' });
    expect(parseAge('90D')).toEqual({ amount: 90, unit: 'd' });
    expect(parseAge('12 weeks')).toBeNull();
  });

  it('makes date cells as precise as the date written', () => {
    expect(dateCell('2024-09-06')).toEqual({ value: new Date(Date.UTC(2024, 8, 6)), numFmt: 'yyyy-mm-dd' });
    expect(dateCell('2024-09')).toEqual({ value: new Date(Date.UTC(2024, 8, 1)), numFmt: 'yyyy-mm' });
    expect(dateCell('2024')).toEqual({ value: new Date(Date.UTC(2024, 0, 1)), numFmt: 'yyyy' });
    expect(dateCell('tháng 9')).toBeNull();
  });
});
