/**
 * The ride-quality figures of the `trip` record's vib* fields, computed one way by every producer
 * (the edge agent from its accelerometer, the simulator from its synthesised windows), as
 * ISO 18738-1:2012 Annex A (GB/T 24474.1-2020) describes them: the signal is cut at its zero
 * crossings into half-cycles; each peak-to-peak value is the sum of the absolute peaks of two
 * adjacent half-cycles; the record carries the largest of them and A95, the value that 95 % of
 * them do not exceed. The standard's frequency weighting (Wk vertical, Wd horizontal) and 10 Hz
 * low-pass are the sensor's job: samples are taken as already weighted.
 */

/** Peak-to-peak values of one axis, in the order they occur. Zero samples belong to no half-cycle. */
export function peakToPeakValues(signal: ArrayLike<number>): Float64Array {
  const pp = new Float64Array(signal.length);
  let count = 0;
  let extreme = 0; // the peak of the half-cycle in progress
  let previous = Number.NaN; // the peak of the half-cycle before it
  let sign = 0;
  for (let i = 0; i < signal.length; i++) {
    const s = signal[i]!;
    const sg = s > 0 ? 1 : s < 0 ? -1 : 0;
    if (sg === 0) continue;
    if (sg !== sign) {
      if (sign !== 0) {
        if (!Number.isNaN(previous)) pp[count++] = Math.abs(previous) + Math.abs(extreme);
        previous = extreme;
      }
      sign = sg;
      extreme = s;
    } else if (Math.abs(s) > Math.abs(extreme)) extreme = s;
  }
  if (sign !== 0 && !Number.isNaN(previous)) pp[count++] = Math.abs(previous) + Math.abs(extreme);
  return pp.subarray(0, count);
}

/**
 * A95: the peak-to-peak value that 95 % of the values do not exceed, taken from the values
 * themselves (the ⌈0.95·n⌉-th smallest, no interpolation); 0 when there are none.
 */
export function a95(pp: ArrayLike<number>): number {
  if (pp.length === 0) return 0;
  const sorted = Float64Array.from(pp).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
}

/** The ride-quality figures of one axis: maximum peak-to-peak value and A95, m/s² as the samples. */
export function rideQuality(signal: ArrayLike<number>): { maxPkPk: number; a95: number } {
  const pp = peakToPeakValues(signal);
  let maxPkPk = 0;
  for (let i = 0; i < pp.length; i++) if (pp[i]! > maxPkPk) maxPkPk = pp[i]!;
  return { maxPkPk, a95: a95(pp) };
}

/** Kurtosis m4 / m2² of the demeaned signal (3 for Gaussian noise, 1.5 for a sine; impacts raise it); 0 for a flat one. */
export function kurtosis(signal: ArrayLike<number>): number {
  const n = signal.length;
  if (n === 0) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += signal[i]!;
  mean /= n;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = signal[i]! - mean;
    const d2 = d * d;
    m2 += d2;
    m4 += d2 * d2;
  }
  m2 /= n;
  m4 /= n;
  return m2 > 0 ? m4 / (m2 * m2) : 0;
}

/** Digits the vib* fields of a trip record carry (0.1 mm/s²). */
export const RIDE_QUALITY_DIGITS = 4;
