import { quantile } from './signal-math.js';

/**
 * Peak-to-peak values the ISO 18738-1 way: the signal is cut at its zero crossings into half-cycles;
 * each peak-to-peak value is the sum of the absolute peaks of two adjacent half-cycles.
 * The standard's frequency weighting (Wk vertical, Wd horizontal) and 10 Hz low-pass are the sensor
 * board's job: the samples are taken as already weighted.
 */
export function peakToPeakValues(x: ArrayLike<number>): number[] {
  const peaks: number[] = [];
  let peak = 0;
  let sign = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const s = v > 0 ? 1 : v < 0 ? -1 : 0;
    if (s === 0) continue;
    if (sign !== 0 && s !== sign) {
      peaks.push(Math.abs(peak));
      peak = 0;
    }
    sign = s;
    if (Math.abs(v) > Math.abs(peak)) peak = v;
  }
  if (sign !== 0) peaks.push(Math.abs(peak));
  const pkpk: number[] = [];
  for (let i = 0; i + 1 < peaks.length; i++) pkpk.push(peaks[i]! + peaks[i + 1]!);
  return pkpk;
}

/** ISO 18738-1 ride-quality figures of one axis: the maximum peak-to-peak value and A95. */
export function rideVibration(x: ArrayLike<number>): { maxPkPk: number; a95: number } {
  const pkpk = peakToPeakValues(x);
  if (pkpk.length === 0) return { maxPkPk: 0, a95: 0 };
  // A95: the peak-to-peak level that 95 % of the peak-to-peak values do not exceed.
  let maxPkPk = 0;
  for (const v of pkpk) maxPkPk = Math.max(maxPkPk, v);
  return { maxPkPk, a95: quantile(pkpk, 0.95) };
}
