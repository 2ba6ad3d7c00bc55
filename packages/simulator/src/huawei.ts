import { readFileSync } from 'node:fs';

/** The Huawei GRC file, kept in the repository (data/huawei-elevator/README.md). */
export const HUAWEI_CSV_PATH = new URL('../../../data/huawei-elevator/predictive-maintenance-dataset.csv', import.meta.url).pathname;

const MONTHS: Readonly<Record<string, number>> = Object.freeze({
  Jan: 1, Feb: 2, Mrz: 3, Mär: 3, Apr: 4, Mai: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Okt: 10, Nov: 11, Dez: 12,
});

/**
 * The readings a cell of the Huawei file could have come from, after its trip through a spreadsheet
 * with a German locale: a plain number or ten times it (a 4-decimal value below 10 that lost its
 * point: `99.988` for 9.9988), a day.month date (`18. Jan` for 18.01 or 18.1) or a month.year date
 * (`Apr 13` for 4.13).
 */
export function huaweiCellCandidates(cell: string): number[] {
  const t = cell.trim();
  if (/^[+-]?\d+(\.\d+)?$/.test(t)) { const v = Number(t); return [v, v / 10]; }
  const dayMonth = /^(\d{1,2})\. ?(\p{L}{3})$/u.exec(t);
  if (dayMonth && MONTHS[dayMonth[2]!] !== undefined) { const d = Number(dayMonth[1]); const m = MONTHS[dayMonth[2]!]!; return [d + m / 100, d + m / 10]; }
  const monthYear = /^(\p{L}{3})\.? ?(\d{2,4})$/u.exec(t);
  if (monthYear && MONTHS[monthYear[1]!] !== undefined) { const m = MONTHS[monthYear[1]!]!; const y = Number(monthYear[2]!.slice(-2)); return [m + y / 100, m + y / 1000]; }
  return [];
}

/**
 * One column of the Huawei file, repaired: each cell takes the candidate reading nearest the value
 * before it (the series are smooth), starting from the first plain number. A cell with no candidate
 * keeps the previous value.
 */
export function readHuaweiColumn(column: 'ball-bearing' | 'humidity' | 'vibration', path = HUAWEI_CSV_PATH): Float64Array {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const index = lines[0]!.split(';').map((h) => h.trim()).indexOf(column);
  const out = new Float64Array(lines.length - 1);
  let n = 0;
  let previous = Number.NaN;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === '') continue;
    const candidates = huaweiCellCandidates(lines[i]!.split(';')[index] ?? '');
    if (Number.isNaN(previous)) previous = candidates[0] ?? Number.NaN;
    const best = candidates.length === 0 ? previous : candidates.reduce((a, c) => (Math.abs(c - previous) < Math.abs(a - previous) ? c : a));
    out[n++] = best;
    previous = best;
  }
  return out.subarray(0, n);
}
