import { describe, expect, it } from 'vitest';
import { FAULT_CODES, faultCode, P1_CODES, severityOf } from '../src/index.js';

describe('fault code table', () => {
  it('has no duplicate liftwatch codes', () => {
    const codes = FAULT_CODES.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('maps no GB/T 24476-2017 code or 15-fault number to two rows', () => {
    const gb = FAULT_CODES.flatMap((c) => c.gbCodes2017);
    const gov = FAULT_CODES.flatMap((c) => c.govCodes15);
    expect(new Set(gb).size).toBe(gb.length);
    expect(new Set(gov).size).toBe(gov.length);
  });

  it('holds every lift row, the escalator rows and the platform\'s own terminal-clock code', () => {
    const expected = [
      ...Array.from({ length: 18 }, (_, i) => `E${String(i + 1).padStart(2, '0')}`),
      ...Array.from({ length: 11 }, (_, i) => `D${String(i + 1).padStart(2, '0')}`),
      'U01', 'U02', 'U03', 'U04', 'Q01', 'Q02',
      ...Array.from({ length: 12 }, (_, i) => `S${String(i + 1).padStart(2, '0')}`),
    ];
    expect(FAULT_CODES.map((c) => c.code).sort()).toEqual(expected.sort());
  });

  it('has every P1 safety event', () => {
    expect([...P1_CODES].sort()).toEqual(['E01', 'E02', 'E03', 'E04', 'E05', 'S02', 'S03', 'S04']);
    expect(faultCode('E01')?.govCodes15).toEqual([7, 8, 21]);
    expect(faultCode('E05')?.gbCodes2017).toEqual(['09', '10']);
  });

  it('covers all 15 regulator faults and every EN 627 item but 6 and 12', () => {
    const gov = new Set(FAULT_CODES.flatMap((c) => c.govCodes15));
    for (let n = 1; n <= 15; n++) expect(gov.has(n), `15-fault number ${n}`).toBe(true);
    const en = new Set(FAULT_CODES.flatMap((c) => c.en627Items));
    // EN 627 items 6 (control voltage low) and 12 (car light supply) have no row of their own.
    for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 10, 11]) expect(en.has(n), `EN 627 item ${n}`).toBe(true);
  });

  it('gives names in Chinese and English and a severity for every row', () => {
    for (const c of FAULT_CODES) {
      expect(c.nameZh).toMatch(/[\u4e00-\u9fff]/);
      expect(c.nameEn.length).toBeGreaterThan(3);
      expect(['P1', 'P2', 'P3', 'P4']).toContain(c.severity);
    }
  });

  it('raises stopped-outside-zone and power outage to P1 with passengers on board', () => {
    const e06 = faultCode('E06')!;
    expect(severityOf(e06, false)).toBe('P2');
    expect(severityOf(e06, true)).toBe('P1');
    expect(severityOf(faultCode('E07')!, true)).toBe('P2');
  });
});
