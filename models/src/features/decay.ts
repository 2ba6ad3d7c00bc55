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
 *
 * Channels and histograms live inside a lift's block (layout.ts: times as doubles, sums as 32-bit
 * floats): a spec says where and how big; nothing here allocates on the record path.
 */

import type { StateBlock } from './layout.js';

/** The weight of a record Δ ms old in a two-stage (τa, τb) baseline: g(Δ) above. */
export function cascadeWeight(deltaMs: number, tauA: number, tauB: number): number {
  return (tauA / (tauA - tauB)) * (Math.exp(-deltaMs / tauA) - Math.exp(-deltaMs / tauB));
}

/**
 * Where a channel sits in a block: its reference time t0 and newest time among the block's doubles
 * (`d[at]`, `d[at + 1]`), its sums `w[K·M]?, s[K·M]` among the block's 32-bit floats from `f[sums]`.
 * The sums are stored scaled to t0 (a record at t adds e^{(t − t0)/τ}), so an update touches only the
 * metrics the record carries and never decays the others; the sums are brought back to t0 = now when
 * the scale grows large (every RESCALE_AT shortest time constants: e^40 ≈ 2·10^17 keeps a float's
 * range, 3·10^38, far off). A channel whose weights are never read (`weights: false`) keeps only S.
 */
export interface ChannelSpec {
  readonly taus: readonly number[];
  readonly metrics: number;
  readonly at: number;
  readonly sums: number;
  readonly weights: boolean;
}

/** Floats a channel's sums take. */
export const channelSize = (taus: number, metrics: number, weights: boolean): number => (weights ? 2 : 1) * taus * metrics;

/** Rescale when a record's weight would pass e^RESCALE_AT (within a 32-bit float's range, e^88). */
export const RESCALE_AT = 40;
const T0 = 0;
const LAST = 1;

/** Multiply the `per` sums of taus[k] in each array (at their offsets) by e^{−(t − t0)/τ}. */
function rebase(f: Float32Array, taus: readonly number[], offsets: readonly number[], per: number, t0: number, t: number): void {
  for (let k = 0; k < taus.length; k++) {
    const g = Math.exp(-(t - t0) / taus[k]!);
    for (const o of offsets) for (let i = o + k * per; i < o + (k + 1) * per; i++) f[i] = f[i]! * g;
  }
}

/** Where a channel's weights and sums start in the block's float view. */
const wAt = (b: StateBlock, c: ChannelSpec): number => b.fo + c.sums;
const sAt = (b: StateBlock, c: ChannelSpec): number => b.fo + c.sums + (c.weights ? c.taus.length * c.metrics : 0);

/** The channel's time origin for a record at `ts` (set by its first record, moved to `ts` with its sums
 *  rescaled when the weights would grow too large); notes `ts` as the newest time seen. */
function originFor(b: StateBlock, c: ChannelSpec, ts: number, w: number, s: number): number {
  const d = b.d;
  let t0 = d[c.at + T0]!;
  if (t0 !== t0) { t0 = ts; d[c.at + T0] = ts; }
  if ((ts - t0) / c.taus[0]! > RESCALE_AT) {
    rebase(b.f, c.taus, c.weights ? [w, s] : [s], c.metrics, t0, ts);
    t0 = ts;
    d[c.at + T0] = ts;
  }
  d[c.at + LAST] = Math.max(d[c.at + LAST]!, ts);
  return t0;
}

/** Add one record at `ts`; NaN values are absent. */
export function addToChannel(b: StateBlock, c: ChannelSpec, ts: number, values: ArrayLike<number>): void {
  const f = b.f;
  const w = wAt(b, c);
  const s = sAt(b, c);
  const t0 = originFor(b, c, ts, w, s);
  for (let k = 0; k < c.taus.length; k++) {
    const g = Math.exp((ts - t0) / c.taus[k]!);
    const o = k * c.metrics;
    for (let m = 0; m < c.metrics; m++) {
      const x = values[m]!;
      if (x !== x) continue; // NaN: absent
      if (c.weights) f[w + o + m] = f[w + o + m]! + g;
      f[s + o + m] = f[s + o + m]! + g * x;
    }
  }
}

/** Add one record at `ts` that carries metric `m` only (x not NaN): the same as addToChannel, touching one metric. */
export function addOneToChannel(b: StateBlock, c: ChannelSpec, ts: number, m: number, x: number): void {
  const f = b.f;
  const w = wAt(b, c);
  const s = sAt(b, c);
  const t0 = originFor(b, c, ts, w, s);
  for (let k = 0; k < c.taus.length; k++) {
    const g = Math.exp((ts - t0) / c.taus[k]!);
    const i = k * c.metrics + m;
    if (c.weights) f[w + i] = f[w + i]! + g;
    f[s + i] = f[s + i]! + g * x;
  }
}

/**
 * Sets a channel's or histogram's times and sums from sums kept in doubles scaled to `t0` (a
 * checkpoint of an older layout), in the block's order (`w` then `s`, or the bins): they are brought
 * to t0 = `last` first, where every weight is at most 1, so that no float overflows.
 */
export function setSums(b: StateBlock, c: ChannelSpec | HistogramSpec, t0: number, last: number, sums: ArrayLike<number>): void {
  const per = 'metrics' in c ? c.metrics : c.bins.count;
  const n = c.taus.length * per;
  const shift = t0 === t0 && last > t0 ? last - t0 : 0;
  for (let i = 0; i < sums.length; i++) b.f[b.fo + c.sums + i] = shift === 0 ? sums[i]! : sums[i]! * Math.exp(-shift / c.taus[Math.floor((i % n) / per)]!);
  b.d[c.at + T0] = t0 + shift;
  b.d[c.at + LAST] = last;
}

/** The decay from a channel's reference time to `at` for taus[k] (0 before the first record). */
function decayTo(d: Float64Array, at0: number, tau: number, at: number): number {
  const t0 = d[at0 + T0]!;
  return t0 !== t0 ? 0 : Math.exp(-(at - t0) / tau);
}

/** Σ e^{−(at − tᵢ)/τ} of metric m for taus[k], read at `at`. */
export function channelWeight(b: StateBlock, c: ChannelSpec, k: number, m: number, at: number): number {
  if (!c.weights) throw new RangeError('this channel keeps no weights');
  return b.f[wAt(b, c) + k * c.metrics + m]! * decayTo(b.d, c.at, c.taus[k]!, at);
}

/** Σ xᵢ·e^{−(at − tᵢ)/τ} of metric m for taus[k], read at `at`. */
export function channelSum(b: StateBlock, c: ChannelSpec, k: number, m: number, at: number): number {
  return b.f[sAt(b, c) + k * c.metrics + m]! * decayTo(b.d, c.at, c.taus[k]!, at);
}

/** The decayed weight and sum of metric m for taus[k], read at `at`. */
export function readChannel(b: StateBlock, c: ChannelSpec, k: number, m: number, at: number): { w: number; s: number } {
  return readChannelInto(b, c, k, m, at, { w: 0, s: 0 });
}

/** readChannel into `out` (a reader that reuses one pair allocates nothing); returns `out`. */
export function readChannelInto(b: StateBlock, c: ChannelSpec, k: number, m: number, at: number, out: { w: number; s: number }): { w: number; s: number } {
  const f = decayTo(b.d, c.at, c.taus[k]!, at);
  out.w = b.f[wAt(b, c) + k * c.metrics + m]! * f;
  out.s = b.f[sAt(b, c) + k * c.metrics + m]! * f;
  return out;
}

/** The time of the newest record a channel or histogram holds (−∞ before the first). */
export const newestIn = (d: Float64Array, at: number): number => d[at + LAST]!;

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

/** Where a decayed histogram sits in a block: its two times at `d[at]`, its bins `h[K·bins]` from `f[sums]`, scaled like a channel. */
export interface HistogramSpec {
  readonly taus: readonly number[];
  readonly bins: Bins;
  readonly at: number;
  readonly sums: number;
}

/** Floats a histogram's bins take. */
export const histogramSize = (taus: number, bins: Bins): number => taus * bins.count;

export function addToHistogram(b: StateBlock, hs: HistogramSpec, ts: number, x: number): void {
  if (x !== x) return;
  const d = b.d;
  const f = b.f;
  let t0 = d[hs.at + T0]!;
  if (t0 !== t0) { t0 = ts; d[hs.at + T0] = ts; }
  const n = hs.bins.count;
  const h = b.fo + hs.sums;
  if ((ts - t0) / hs.taus[0]! > RESCALE_AT) { rebase(f, hs.taus, [h], n, t0, ts); t0 = ts; d[hs.at + T0] = ts; }
  d[hs.at + LAST] = Math.max(d[hs.at + LAST]!, ts);
  const i = binOf(hs.bins, x);
  for (let k = 0; k < hs.taus.length; k++) f[h + k * n + i] = f[h + k * n + i]! + Math.exp((ts - t0) / hs.taus[k]!);
}

/** The bin weights for taus[k] read at `at`, into `out` (its first `bins.count` values) or a new array. */
export function histogramWeights(b: StateBlock, hs: HistogramSpec, k: number, at: number, out = new Float64Array(hs.bins.count)): Float64Array {
  const n = hs.bins.count;
  const g = decayTo(b.d, hs.at, hs.taus[k]!, at);
  const h = b.fo + hs.sums + k * n;
  for (let i = 0; i < n; i++) out[i] = b.f[h + i]! * g;
  return out;
}
