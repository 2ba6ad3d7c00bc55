import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateRecord } from '@liftwatch/contract';
import { tempDir } from '@liftwatch/test-kit';
import {
  createCsvSource, HUAWEI_MAPPING_FILE, loadCsvMapping, parseCell, parseCsvMapping, parseMappingSpec, prepareCsvReplay, shiftToNow,
  type CsvMapping, type RecordDraft,
} from '../src/index.js';
import { HUAWEI_CSV } from './data.js';

const dir = tempDir();
afterAll(() => dir.remove());
let n = 0;
function csvFile(text: string): string {
  const path = join(dir.path, `f${n++}.csv`);
  writeFileSync(path, text);
  return path;
}
const TEMP_RH: CsvMapping = { columns: { a: { to: 'env.machineRoomTempC', unit: '°C' }, b: { to: 'env.machineRoomRhPct', unit: '%' } }, rateHz: 1, windowS: 10 };
const NOW = Date.UTC(2026, 0, 1);
const prepare = (path: string, mapping: CsvMapping, timeBase: 'file' | 'now' = 'now', startTs?: number) =>
  prepareCsvReplay({ path, mapping, timeBase, now: () => NOW, ...(startTs === undefined ? {} : { startTs }) });

describe('CSV cells', () => {
  it('accepts plain decimals and rejects the cells a German-locale spreadsheet made, with a reason', () => {
    expect(parseCell('93.744')).toEqual({ ok: true, value: 93.744 });
    expect(parseCell(' 18 ')).toEqual({ ok: true, value: 18 });
    expect(parseCell('-1.5e3')).toEqual({ ok: true, value: -1500 });
    for (const bad of ['18. Jan', 'Apr 13', 'Dez 99', '31. Jul']) expect(parseCell(bad)).toMatchObject({ ok: false, reason: expect.stringMatching(/German locale/) });
    expect(parseCell('18,01')).toMatchObject({ ok: false, reason: expect.stringContaining('"18,01" is not a number') });
    expect(parseCell('').ok).toBe(false);
    expect(parseCell('NaN').ok).toBe(false);
  });

  it('reports a bad cell with its line and column, counts it, and keeps the other cells of its row', async () => {
    const { report, windows } = await prepare(csvFile('a;b\n1;2\n3;18. Jan\n5;6\n'), TEMP_RH);
    expect(report).toMatchObject({ rowsRead: 3, rowsRejected: 1, badCells: 1, badCellsByColumn: { b: 1 } });
    expect(report.examples[0]).toMatchObject({ line: 3, column: 'b', columnNumber: 2, value: '18. Jan' });
    expect(windows[0]!.drafts).toEqual([{ stream: 'env', record: { machineRoomTempC: 3, machineRoomRhPct: 4 } }]);
  });

  it('rejects a value outside the contract\'s range, and reads quoted cells, CRLF and blank lines through csv-parse', async () => {
    const { report, windows } = await prepare(csvFile('"a","b"\r\n"1.5","20"\r\n\r\n2.5,120\r\n'), TEMP_RH);
    expect(report.examples[0]).toMatchObject({ line: 4, column: 'b', reason: expect.stringContaining("120 is above env.machineRoomRhPct's maximum 100") });
    expect(windows[0]!.drafts[0]!.record).toEqual({ machineRoomTempC: 2, machineRoomRhPct: 20 });
  });
});

describe('CSV mappings', () => {
  it('name every column of the file: an unmapped one is an error that says how to map or ignore it', async () => {
    await expect(prepare(csvFile('a;b;c\n1;2;3\n'), TEMP_RH)).rejects.toThrow(/column\(s\) "c" of the file are not in the mapping.*"ignore": true/);
    const ignored = await prepare(csvFile('a;b;c\n1;2;3\n'), { ...TEMP_RH, columns: { ...TEMP_RH.columns, c: { ignore: true, why: 'a row counter' } } });
    expect(ignored.report.rowsRead).toBe(1);
  });

  it('say which column the file lacks, which field the contract lacks, and which unit does not match', async () => {
    await expect(prepare(csvFile('a\n1\n'), TEMP_RH)).rejects.toThrow(/column\(s\) "b" that the file does not have; its columns are "a"/);
    await expect(prepare(csvFile('a;b\n1;2\n'), { columns: { a: { to: 'env.roomTemp', unit: '°C' }, b: { ignore: true, why: 'no' } } }))
      .rejects.toThrow(/env.roomTemp is not a field of the env stream; its fields are machineRoomTempC/);
    await expect(prepare(csvFile('a;b\n1;2\n'), { columns: { a: { to: 'env.machineRoomTempC', unit: '°F' }, b: { ignore: true, why: 'no' } } }))
      .rejects.toThrow(/the values are in "°F" but env.machineRoomTempC is in °C/);
    await expect(prepare(csvFile('a;b\n1;2\n'), { columns: { a: { to: 'status.floor', unit: '' }, b: { ignore: true, why: 'no' } } }))
      .rejects.toThrow(/stream status cannot be written from here; use env, counters/);
  });

  it('are checked against their schema with the path of the wrong entry', () => {
    expect(() => parseCsvMapping({ columns: { a: { to: 'env.machineRoomTempC' } } }, 'm.json')).toThrow(/m.json is not a CSV mapping \(\/columns\/a/);
    expect(() => parseMappingSpec('humidity')).toThrow(/not column=stream.field/);
    expect(parseMappingSpec('humidity=env.machineRoomRhPct,x=-').columns).toEqual({ humidity: { to: 'env.machineRoomRhPct', unit: '' }, x: { ignore: true, why: 'ignored on the command line' } });
  });
});

describe('the time base of a replay', () => {
  const TIMED: CsvMapping = { columns: { a: { to: 'env.machineRoomTempC', unit: 'C' } }, time: { column: 't', format: 'iso' }, windowS: 60 };

  it('keeps the file\'s own time, and rejects rows later than now or not after the previous one, with line and column', async () => {
    const file = csvFile('t,a\n2025-06-01T10:00:00Z,20\n2025-06-01T10:01:00Z,21\n2025-06-01T10:00:30Z,99\nyesterday,5\n2027-01-01T00:00:00Z,22\n');
    const { windows, report } = await prepare(file, TIMED, 'file');
    expect(windows.map((w) => w.fileTs)).toEqual([Date.UTC(2025, 5, 1, 10, 0), Date.UTC(2025, 5, 1, 10, 1)]);
    expect(report.examples.map((b) => [b.line, b.column, b.columnNumber])).toEqual([[4, 't', 1], [5, 't', 1], [6, 't', 1]]);
    expect(report.examples[2]!.reason).toContain('is in the future');
  });

  it('needs a start time to keep the time of a file without a time column', async () => {
    await expect(prepare(csvFile('a;b\n1;2\n'), TEMP_RH, 'file')).rejects.toThrow(/no time column.*--csv-start.*--csv-time now/);
    const { windows } = await prepare(csvFile('a;b\n1;2\n1;2\n'), TEMP_RH, 'file', NOW - 60_000);
    expect(windows[0]!.fileTs).toBe(NOW - 60_000 + 1_000);
  });

  it('shifted to now, puts the last row at the moment it is sent and keeps the spacing', () => {
    expect(shiftToNow(28_000_000, 1)).toBe(-0);
    expect(shiftToNow(28_000_000, 0)).toBe(-28_000_000);
    expect(shiftToNow(28_000_000, 60)).toBe(-(28_000_000 - 28_000_000 / 60));
    expect(shiftToNow(1_000, 0.5)).toBe(0);
  });
});

describe('CSV replay of the Huawei file', () => {
  it('maps every column (bearing, humidity, vibration) with its unit, rejects the corrupted cells, and stamps nothing in the future', async () => {
    const emitted: RecordDraft[] = [];
    let clock = NOW;
    const source = createCsvSource({ path: HUAWEI_CSV, mapping: loadCsvMapping(HUAWEI_MAPPING_FILE), speed: 0, now: () => clock });
    await source.prepare();
    source.start({ emit: (d) => emitted.push(...d), trip: () => {}, door: () => {}, log: () => {} });
    while (!source.done!()) {
      clock += 10;
      await new Promise((r) => setTimeout(r, 5));
    }
    const s = source.summary();
    expect(s).toMatchObject({ rowsRead: 112_001, rowsRejected: 5_763, badCellsByColumn: { 'ball-bearing': 535, vibration: 5_242 }, records: { env: 467 }, done: true });
    expect(s.examples[0]).toMatchObject({ line: 12, column: 'vibration', columnNumber: 3, value: '18. Jan' });
    expect(s.fields).toEqual(['env.bearingRev', 'env.machineRoomRhPct', 'env.vibrationDb']);
    // 112,001 rows at 4 Hz span 7 h 46 min 40 s; shifted to now, the last record is now and none later.
    expect(s.spanMs).toBe(28_000_000);
    expect(Math.max(...emitted.map((d) => d.record['ts'] as number))).toBeLessThanOrEqual(clock);
    expect(s.lastTs! - s.firstTs!).toBe(28_000_000 - 59_750);
    for (const d of emitted) {
      expect(validateRecord('env', 'HW-1', { schemaVersion: 1, liftId: 'HW-1', seq: 1, ...d.record })).toMatchObject({ ok: true });
      expect(d.record['machineRoomRhPct']).toBeGreaterThanOrEqual(72.3);
    }
  });
});
