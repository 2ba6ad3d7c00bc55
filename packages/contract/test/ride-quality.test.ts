import { describe, expect, it } from 'vitest';
import { a95, kurtosis, peakToPeakValues, rideQuality } from '../src/index.js';

const sine = (amp: number, hz: number, seconds: number, fs = 256) => Array.from({ length: seconds * fs }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / fs + 0.1));

describe('ride quality (ISO 18738-1 Annex A)', () => {
  it('a sine of amplitude A has every peak-to-peak value 2A, so max and A95 are 2A', () => {
    const r = rideQuality(sine(0.05, 5, 4));
    expect(r.maxPkPk).toBeCloseTo(0.1, 3);
    expect(r.a95).toBeCloseTo(0.1, 3);
  });

  it('pairs the peaks of adjacent half-cycles; zeros split nothing', () => {
    expect(Array.from(peakToPeakValues([0.1, 0.3, -0.2, 0, -0.1, 0.4, 0.1, -0.5]))).toEqual([0.5, 0.6000000000000001, 0.9]);
    expect(Array.from(peakToPeakValues([0.2, 0.1]))).toEqual([]);
  });

  it('A95 is the value 95 % of the values do not exceed, taken from the values', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1); // 1 … 100
    expect(a95(values)).toBe(95);
    expect(a95([0.3, 0.1, 0.2])).toBe(0.3);
    expect(a95([])).toBe(0);
  });

  it('kurtosis: 1.5 for a sine, rising with impacts', () => {
    const s = sine(0.03, 3, 20);
    expect(kurtosis(s)).toBeCloseTo(1.5, 1);
    expect(kurtosis(s.map((v, i) => (i % 512 === 100 ? v + 0.4 : v)))).toBeGreaterThan(7.5);
    expect(kurtosis([1, 1, 1])).toBe(0);
  });
});
