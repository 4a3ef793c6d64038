/** The decision of cross-document contradictory_counts, as a pure function over stored claims. */
import { describe, expect, it } from 'vitest';
import { countKey, findCountConflict, type CountClaim, type CountKey } from '../extractors/consistency/cross-document-checks.js';

const key: CountKey = { communeCode: '10105', level: 'nông thôn mới', asOf: '2024-06-30' };

function claim(
  id: number,
  documentId: number,
  fileName: string,
  met: number,
  assessment: string | null = 'reported',
  criteriaSet: string | null = 'qd-318-2022',
): CountClaim {
  return { id, documentId, fileName, commune: 'Thanh Lâm', met, total: 19, assessment, criteriaSet };
}

describe('findCountConflict', () => {
  it('flags two documents whose counts for the same commune, level and date share nothing', () => {
    const conflict = findCountConflict(key, [claim(1, 1, 'a.pdf', 16), claim(2, 2, 'a.docx', 16), claim(3, 3, 'b.txt', 17, 'appraised')]);
    expect(conflict).toEqual({
      message:
        'xã Thanh Lâm (10105), nông thôn mới, as of 2024-06-30: documents of the same date give different counts — 16/19 (reported) in a.pdf, a.docx; 17/19 (appraised) in b.txt',
      statementIds: [1, 2, 3],
      evidenceStatementIds: [1, 3],
    });
  });

  it('finds no conflict in one document, in documents that share a count, or across criteria sets', () => {
    expect(findCountConflict(key, [claim(1, 1, 'a.pdf', 16), claim(2, 1, 'a.pdf', 17)])).toBeNull();
    expect(findCountConflict(key, [claim(1, 1, 'a.pdf', 16), claim(2, 1, 'a.pdf', 17), claim(3, 2, 'b.pdf', 17)])).toBeNull();
    expect(findCountConflict(key, [claim(1, 1, 'a.pdf', 16), claim(2, 2, 'b.pdf', 7, 'reported', 'qd-2026')])).toBeNull();
  });

  it('keeps only the documents that disagree, and names the code when no claim names the commune', () => {
    const unnamed = (c: CountClaim): CountClaim => ({ ...c, commune: null });
    const conflict = findCountConflict(
      key,
      [claim(1, 1, 'a.pdf', 16), claim(2, 2, 'b.pdf', 16), claim(3, 2, 'b.pdf', 18), claim(4, 3, 'c.pdf', 18)].map(unnamed),
    );
    // a and c disagree (16 vs 18); b shares a count with each.
    expect(conflict?.statementIds).toEqual([1, 4]);
    expect(conflict?.message).toContain('xã 10105 (10105)');
  });

  it('keys include the unit system only after the reform', () => {
    expect(countKey(key)).toBe('10105|nông thôn mới|2024-06-30');
    expect(countKey({ ...key, unitSystem: 'three_level' })).toBe('10105|nông thôn mới|2024-06-30');
    expect(countKey({ ...key, unitSystem: 'two_level' })).toBe('10105|nông thôn mới|2024-06-30|two_level');
  });
});
