import { expect } from 'vitest';

/**
 * How far the features of a state whose sums are 32-bit floats (layout.ts) may be from the same
 * computed in doubles: relative to the larger of the two values, or to 1 below it (drifts are near
 * 0). A float keeps 24 bits, and a 90-day sum of a busy lift is ~30,000 records, so each record is
 * added to about 10⁻³ of itself; the baselines are differences of two such sums (×2 to ×20 in a
 * lift's first weeks). Measured on 120 simulated days of two lifts: at most 3·10⁻⁴ (a long drift
 * read 0.6391 instead of 0.6389), typically 10⁻⁵, far below what moves a model (drifts of 0.05).
 */
export const FLOAT_SUMS_TOLERANCE = 5e-4;

/**
 * Every number of two stats objects (or feature vectors) agrees within `tolerance` relative (NaN with
 * NaN); anything else is equal. With `exactIntegers`, a number that is an integer on both sides (a
 * time, a count) must be equal: only the levels computed from float sums may differ.
 */
export function expectCloseStats(a: unknown, b: unknown, path = 'stats', tolerance = FLOAT_SUMS_TOLERANCE, exactIntegers = false): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) { expect(Number.isNaN(a), `${path}: ${a} vs ${b}`).toBe(Number.isNaN(b)); return; }
    if (a === b) return; // ±∞
    if (exactIntegers && Number.isInteger(a) && Number.isInteger(b)) { expect(a, path).toBe(b); return; }
    expect(Math.abs(a - b), `${path}: ${a} vs ${b}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(a), Math.abs(b)));
    return;
  }
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) { expect(a, path).toEqual(b); return; }
  expect(Object.keys(a).sort(), path).toEqual(Object.keys(b).sort());
  for (const k of Object.keys(a)) expectCloseStats((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, tolerance, exactIntegers);
}
