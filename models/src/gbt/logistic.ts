import { sigmoid } from './tree.js';

/**
 * A logistic regression on clipped, standardised features: p = σ(b + Σ wⱼ·(clip(xⱼ, lowⱼ, highⱼ) − μⱼ)/σⱼ).
 * `low` and `high` are each feature's range in the rows it was fitted on: a linear score extrapolates
 * without bound where trees stay flat, so a lift outside that range is scored as at its edge.
 */
export interface LogisticModel {
  readonly bias: number;
  readonly weights: readonly number[];
  readonly mean: readonly number[];
  readonly std: readonly number[];
  readonly low: readonly number[];
  readonly high: readonly number[];
}

/** Share of the fit rows left outside each feature's range at either end (0.5th–99.5th percentile). */
export const CLIP_TAIL = 0.005;
/**
 * The smallest spread a feature may be standardised by, as a share of its clipped range: a feature
 * nearly constant in the fit rows (door trouble on a few of 150,000 rows: σ 0.000016) would otherwise
 * be divided by almost nothing and get a weight of tens of thousands per unit.
 */
export const MIN_STD_OF_RANGE = 0.1;
/**
 * The narrowest range a feature must span in the fit rows to get a weight. A running mean that has
 * decayed to a float32 denormal (10⁻⁴³ after a long quiet spell) spans a range of that size: divided
 * by a tenth of it, its weight overflows float32 in the exported graph (∞ · 0 is NaN there).
 */
export const MIN_RANGE = 1e-9;

/**
 * L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least
 * squares) with sample weights: a linear learner to compare the trees with on the same features.
 * Each feature is clipped to its range in the fit rows before it is standardised; a feature whose
 * range is empty or under `MIN_RANGE` there (constant in all but the tails) gets no weight, and so does one left out by
 * `features` (a family's feature set: the model still reads the whole vector).
 */
export function trainLogistic(x: readonly Float32Array[], y: readonly number[], opts: { lambda?: number; iterations?: number; tail?: number; features?: readonly boolean[] } = {}, weights?: ArrayLike<number>): LogisticModel {
  const lambda = opts.lambda ?? 1;
  const F = x[0]?.length ?? 0;
  const n = x.length;
  const wt = (i: number) => (weights === undefined ? 1 : weights[i]!);
  const { low, high } = featureRanges(x, opts.tail ?? CLIP_TAIL);
  const used = low.map((lo, j) => high[j]! - lo > MIN_RANGE && opts.features?.[j] !== false);
  const clipped = (i: number, j: number) => clip(x[i]![j]!, low[j]!, high[j]!);
  const mean = new Array<number>(F).fill(0); const std = new Array<number>(F).fill(0);
  let W = 0;
  for (let i = 0; i < n; i++) { W += wt(i); for (let j = 0; j < F; j++) mean[j]! += wt(i) * clipped(i, j); }
  for (let j = 0; j < F; j++) mean[j]! /= Math.max(W, 1e-12);
  for (let i = 0; i < n; i++) for (let j = 0; j < F; j++) std[j]! += wt(i) * (clipped(i, j) - mean[j]!) ** 2;
  for (let j = 0; j < F; j++) std[j] = used[j] ? Math.max(Math.sqrt(std[j]! / Math.max(W, 1e-12)), MIN_STD_OF_RANGE * (high[j]! - low[j]!)) : 1;
  const D = F + 1; // standardised features, then 1 for the bias
  const Z = new Float64Array(n * D);
  for (let i = 0; i < n; i++) { for (let j = 0; j < F; j++) Z[i * D + j] = used[j] ? (clipped(i, j) - mean[j]!) / std[j]! : 0; Z[i * D + F] = 1; }
  const beta = new Float64Array(D);
  for (let it = 0; it < (opts.iterations ?? 12); it++) {
    const grad = new Float64Array(D);
    const hess = Array.from({ length: D }, () => new Float64Array(D));
    for (let i = 0; i < n; i++) {
      const o = i * D;
      let m = 0;
      for (let j = 0; j < D; j++) m += beta[j]! * Z[o + j]!;
      const p = sigmoid(m);
      const r = wt(i) * (p - y[i]!);
      const h = wt(i) * Math.max(p * (1 - p), 1e-9);
      for (let a = 0; a < D; a++) {
        const za = Z[o + a]!;
        if (za === 0) continue;
        grad[a]! += r * za;
        const hz = h * za;
        const row = hess[a]!;
        for (let b = a; b < D; b++) row[b]! += hz * Z[o + b]!;
      }
    }
    for (let a = 0; a <= F; a++) for (let b = 0; b < a; b++) hess[a]![b] = hess[b]![a]!;
    for (let j = 0; j < F; j++) { grad[j]! += lambda * beta[j]!; hess[j]![j]! += lambda; }
    hess[F]![F]! += 1e-9;
    const step = solve(hess, grad);
    let size = 0;
    for (let j = 0; j <= F; j++) { beta[j]! -= step[j]!; size = Math.max(size, Math.abs(step[j]!)); }
    if (size < 1e-6) break;
  }
  return { bias: beta[F]!, weights: Array.from(beta.subarray(0, F), (b, j) => (used[j] ? b : 0)), mean, std, low, high };
}

/**
 * Each feature's range in the fit rows, the `tail` share of rows left out at either end (a value
 * of a row, so exact in float32 as the ONNX graph's Min and Max read it).
 */
export function featureRanges(x: readonly Float32Array[], tail: number): { low: number[]; high: number[] } {
  const F = x[0]?.length ?? 0;
  const n = x.length;
  const low = new Array<number>(F).fill(0); const high = new Array<number>(F).fill(0);
  const column = new Float32Array(n);
  const lo = Math.min(n - 1, Math.floor(tail * n)); const hi = Math.max(0, n - 1 - Math.floor(tail * n));
  for (let j = 0; j < F; j++) {
    for (let i = 0; i < n; i++) column[i] = x[i]![j]!;
    column.sort();
    low[j] = column[lo] ?? 0; high[j] = column[hi] ?? 0;
  }
  return { low, high };
}

/** Each feature's value as the model reads it: clipped to its range in the fit rows. */
export const clip = (v: number, low: number, high: number): number => Math.min(Math.max(v, low), high);

/** Each feature's term of the logit, wⱼ·(clip(xⱼ) − μⱼ)/σⱼ: what moved the score, feature by feature. */
export function logisticContributions(m: Omit<LogisticModel, 'bias'>, x: ArrayLike<number>): number[] {
  return m.weights.map((w, j) => (w === 0 ? 0 : (w * (clip(x[j]!, m.low[j]!, m.high[j]!) - m.mean[j]!)) / m.std[j]!));
}

export function predictLogistic(m: LogisticModel, x: ArrayLike<number>): number {
  let s = m.bias;
  for (let j = 0; j < m.weights.length; j++) s += m.weights[j]! * ((clip(x[j]!, m.low[j]!, m.high[j]!) - m.mean[j]!) / m.std[j]!);
  return sigmoid(s);
}

/** Solve A·v = b by Gaussian elimination with partial pivoting (A is small: features + 1). */
function solve(a: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length;
  const m = a.map((row, i) => Float64Array.from([...row, b[i]!]));
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const piv = m[c]![c]! || 1e-12;
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / piv;
      if (f !== 0) for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  const v = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= m[r]![k]! * v[k]!;
    v[r] = s / (m[r]![r]! || 1e-12);
  }
  return v;
}
