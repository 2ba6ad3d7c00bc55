/** Small numeric helpers for the edge summaries: differentiation, smoothing, percentiles, moments. */

/** Central-difference derivative of equally spaced samples (one-sided at the ends). */
export function derivative(x: ArrayLike<number>, fsHz: number): Float64Array {
  const n = x.length;
  const d = new Float64Array(n);
  if (n < 2) return d;
  d[0] = (x[1]! - x[0]!) * fsHz;
  d[n - 1] = (x[n - 1]! - x[n - 2]!) * fsHz;
  for (let i = 1; i < n - 1; i++) d[i] = ((x[i + 1]! - x[i - 1]!) * fsHz) / 2;
  return d;
}

/** Centred moving average over `width` samples (odd), to keep sensor noise out of derivatives. */
export function smooth(x: ArrayLike<number>, width: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  const half = Math.max(0, Math.floor(width / 2));
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - half);
    const hi = Math.min(n - 1, i + half);
    let s = 0;
    for (let k = lo; k <= hi; k++) s += x[k]!;
    out[i] = s / (hi - lo + 1);
  }
  return out;
}

/** The p-quantile (0…1) by linear interpolation; NaN for no values. */
export function quantile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
}

export function rms(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return x.length === 0 ? 0 : Math.sqrt(s / x.length);
}

export const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
