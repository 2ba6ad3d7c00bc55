import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LiftwatchError } from '@liftwatch/contract';
import { parseCell, parseMapping, prepareCsvReplay, readNumericCsv } from '../src/index.js';
import { HUAWEI_CSV } from './data.js';

describe('CSV cells', () => {
  it('accepts plain decimals and rejects the cells a German-locale spreadsheet made, with a reason', () => {
    expect(parseCell('93.744')).toEqual({ ok: true, value: 93.744 });
    expect(parseCell(' 18 ')).toEqual({ ok: true, value: 18 });
    expect(parseCell('-1.5e3')).toEqual({ ok: true, value: -1500 });
    for (const bad of ['18. Jan', 'Apr 13', 'Dez 99', '31. Jul']) {
      const r = parseCell(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(/German-locale spreadsheet/);
    }
    const comma = parseCell('18,01');
    expect(comma.ok).toBe(false);
    if (!comma.ok) expect(comma.reason).toContain('"18,01" is not a number');
    expect(parseCell('').ok).toBe(false);
    expect(parseCell('NaN').ok).toBe(false);
  });

  it('reports a bad cell with its line and column, counts it, and keeps the other cells of its row', () => {
    const rows: number[][] = [];
    const { report } = readNumericCsv('a;b\n1;2\n3;18. Jan\n5;6\n', (v) => rows.push([...v]));
    expect(report).toMatchObject({ rowsRead: 3, rowsRejected: 1, badCells: 1, badCellsByColumn: { b: 1 } });
    expect(report.examples[0]).toMatchObject({ line: 3, column: 'b', value: '18. Jan' });
    expect(rows[1]![0]).toBe(3);
    expect(Number.isNaN(rows[1]![1])).toBe(true);
  });

  it('says which column a mapping names that the file lacks', () => {
    expect(() => parseMapping('humidity')).toThrow(LiftwatchError);
    expect(() => prepareCsvReplay({ path: HUAWEI_CSV, mapping: parseMapping('temp=env.machineRoomTempC') }, 1_764_400_000_000)).toThrow(/column "temp" is not in the file; its columns are "ball-bearing", "humidity", "vibration"/);
    expect(() => prepareCsvReplay({ path: HUAWEI_CSV, mapping: parseMapping('humidity=env.pitWater') }, 1_764_400_000_000)).toThrow(/env.pitWater is not a numeric field/);
  });
});

describe('CSV replay of the Huawei file (domain §5.1)', () => {
  it('reads every row, rejects the corrupted cells with reasons, and never turns them into numbers', () => {
    expect(existsSync(HUAWEI_CSV)).toBe(true);
    const { windows, report, columns } = prepareCsvReplay({ path: HUAWEI_CSV, rateHz: 4, windowS: 60 }, 1_764_400_000_000);
    expect(columns).toEqual(['ball-bearing', 'humidity', 'vibration']);
    expect(report.rowsRead).toBe(112_001);
    // Cells like "18. Jan" and "Apr 13": 535 in ball-bearing, 5,242 in vibration; 14 rows have both.
    expect(report.badCellsByColumn).toEqual({ 'ball-bearing': 535, vibration: 5_242 });
    expect(report.rowsRejected).toBe(5_763);
    expect(report.examples[0]).toMatchObject({ line: 12, column: 'vibration', value: '18. Jan' });
    expect(report.examples[0]!.reason).toMatch(/not a number/);
    // One env record per minute of 4 Hz samples, not one message per sample.
    expect(windows).toHaveLength(Math.ceil(112_001 / 240));
    const first = windows[0]!;
    expect(first.draft.stream).toBe('env');
    expect(first.draft.record).toMatchObject({ ts: 1_764_400_000_000 + 60_000 });
    for (const w of windows) {
      const rh = w.draft.record['machineRoomRhPct'] as number;
      expect(rh).toBeGreaterThanOrEqual(72.3); // domain §5.1: humidity 72.399–75.40
      expect(rh).toBeLessThanOrEqual(75.5);
    }
  });
});
