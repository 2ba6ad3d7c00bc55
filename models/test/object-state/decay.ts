// The object representation of the streaming feature state as it was before the compact layout
// (one Float64Array block per lift): kept unchanged as the oracle of the equality test
// (compact-state.test.ts). Not used by the platform.
/**
 * Exponentially decayed sums, the building block of the streaming features.
 *
 * A channel keeps, for each of its time constants τ and each metric, the sums
 * W = Σ e^{−(t − tᵢ)/τ} and S = Σ xᵢ·e^{−(t − tᵢ)/τ} over the records that carried the metric, so
 * S/W is a time-weighted mean per record: the same for a lift with 30 trips a day and one with 900,
 * because it is a mean per record, not per day. An update adds the record to the sums of the
 * metrics it carries: constant work per record, whatever the lift's history.
 *
 * A lagged baseline is a second-order (two-stage) filter: stage one decays with τa, stage two
 * follows stage one with τb. Its weight on a record Δ old is
 * g(Δ) = τa/(τa − τb)·(e^{−Δ/τa} − e^{−Δ/τb}): zero for a record just in, largest ~11 days back
 * for (τa, τb) = (7, 21) days, mean delay τa + τb. Because g is a difference of two exponentials, a
 * baseline is two first-order sums combined at read time (cascadeWeight).
 */

/** The weight of a record Δ ms old in a two-stage (τa, τb) baseline: g(Δ) above. */
export function cascadeWeight(deltaMs: number, tauA: number, tauB: number): number {
  return (tauA / (tauA - tauB)) * (Math.exp(-deltaMs / tauA) - Math.exp(-deltaMs / tauB));
}

/**
 * Decayed sums of one stream's metrics for a fixed set of time constants. Stored scaled to a
 * reference time t0 (a record at t adds e^{(t − t0)/τ}), so an update touches only the metrics the
 * record carries and never decays the others; the sums are brought back to t0 = now when the
 * scale grows large (every few hundred time constants).
 */
export interface Channel {
  readonly taus: readonly number[];
  readonly metrics: number;
  /** Reference time of the scaled sums, ms (NaN before the first record). */
  t0: number;
  /** Time of the newest record added, ms (−∞ before the first). */
  lastTs: number;
  /** w[k·metrics + m]: scaled count of records carrying metric m, for taus[k]. */
  readonly w: Float64Array;
  /** s[k·metrics + m]: scaled sum of metric m for taus[k]. */
  readonly s: Float64Array;
}

/** Rescale when a record's weight would pass e^RESCALE_AT. */
const RESCALE_AT = 600;

export function createChannel(taus: readonly number[], metrics: number): Channel {
  return { taus, metrics, t0: NaN, lastTs: -Infinity, w: new Float64Array(taus.length * metrics), s: new Float64Array(taus.length * metrics) };
}

/** Multiply every sum of taus[k] by e^{−(t − t0)/τ} and make t the reference time. */
function rebase(taus: readonly number[], arrays: readonly Float64Array[], per: number, t0: number, t: number): void {
  for (let k = 0; k < taus.length; k++) {
    const d = Math.exp(-(t - t0) / taus[k]!);
    for (const a of arrays) for (let i = k * per; i < (k + 1) * per; i++) a[i] = a[i]! * d;
  }
}

/** Add one record at `ts`; NaN values are absent. */
export function addToChannel(c: Channel, ts: number, values: ArrayLike<number>): void {
  if (Number.isNaN(c.t0)) c.t0 = ts;
  if ((ts - c.t0) / c.taus[0]! > RESCALE_AT) { rebase(c.taus, [c.w, c.s], c.metrics, c.t0, ts); c.t0 = ts; }
  c.lastTs = Math.max(c.lastTs, ts);
  for (let k = 0; k < c.taus.length; k++) {
    const g = Math.exp((ts - c.t0) / c.taus[k]!);
    const o = k * c.metrics;
    for (let m = 0; m < c.metrics; m++) {
      const x = values[m]!;
      if (x !== x) continue; // NaN: absent
      c.w[o + m] = c.w[o + m]! + g;
      c.s[o + m] = c.s[o + m]! + g * x;
    }
  }
}

/** The decayed weight and sum of metric m for taus[k], read at `at`: Σ e^{−(at − tᵢ)/τ}, Σ xᵢ·e^{−(at − tᵢ)/τ}. */
export function readChannel(c: Channel, k: number, m: number, at: number): { w: number; s: number } {
  const d = Number.isNaN(c.t0) ? 0 : Math.exp(-(at - c.t0) / c.taus[k]!);
  return { w: c.w[k * c.metrics + m]! * d, s: c.s[k * c.metrics + m]! * d };
}

/**
 * Log-spaced bins over [lo, hi): a value's bin; values outside fall into the first or last bin. A
 * fixed-size histogram is the quantile sketch of the streaming features: it decays like the sums
 * above (a P² estimator cannot forget), costs the same per record, and a batch computation over
 * the same records gives the same bins, so the quantile is reproducible exactly.
 */
export interface Bins { readonly lo: number; readonly hi: number; readonly count: number }

export function binOf(b: Bins, x: number): number {
  if (!(x > b.lo)) return 0;
  const i = Math.floor((Math.log(x / b.lo) / Math.log(b.hi / b.lo)) * b.count);
  return Math.min(b.count - 1, i);
}

/** The q-quantile of binned weights: geometric interpolation inside the bin where the cumulative weight reaches q. */
export function quantileOfBins(b: Bins, weights: ArrayLike<number>, q: number): number {
  let total = 0;
  for (let i = 0; i < b.count; i++) total += Math.max(0, weights[i]!);
  if (!(total > 0)) return 0;
  const target = q * total;
  const ratio = Math.log(b.hi / b.lo) / b.count;
  let cum = 0;
  for (let i = 0; i < b.count; i++) {
    const wi = Math.max(0, weights[i]!);
    if (cum + wi >= target && wi > 0) return b.lo * Math.exp(ratio * (i + (target - cum) / wi));
    cum += wi;
  }
  return b.hi;
}

/** A decayed histogram per time constant, scaled to a reference time like a channel. */
export interface Histogram {
  readonly taus: readonly number[];
  readonly bins: Bins;
  t0: number;
  lastTs: number;
  /** h[k·bins.count + i]. */
  readonly h: Float64Array;
}

export function createHistogram(taus: readonly number[], bins: Bins): Histogram {
  return { taus, bins, t0: NaN, lastTs: -Infinity, h: new Float64Array(taus.length * bins.count) };
}

export function addToHistogram(hist: Histogram, ts: number, x: number): void {
  if (x !== x) return;
  if (Number.isNaN(hist.t0)) hist.t0 = ts;
  const n = hist.bins.count;
  if ((ts - hist.t0) / hist.taus[0]! > RESCALE_AT) { rebase(hist.taus, [hist.h], n, hist.t0, ts); hist.t0 = ts; }
  hist.lastTs = Math.max(hist.lastTs, ts);
  const i = binOf(hist.bins, x);
  for (let k = 0; k < hist.taus.length; k++) hist.h[k * n + i] = hist.h[k * n + i]! + Math.exp((ts - hist.t0) / hist.taus[k]!);
}

/** The bin weights for taus[k] read at `at`. */
export function histogramWeights(hist: Histogram, k: number, at: number): Float64Array {
  const n = hist.bins.count;
  const d = Number.isNaN(hist.t0) ? 0 : Math.exp(-(at - hist.t0) / hist.taus[k]!);
  return hist.h.slice(k * n, (k + 1) * n).map((v) => v * d);
}
