import { sigmoid, type GbtModel, type TreeNode } from './tree.js';

/** Options of trainGbt. */
export interface GbtOptions {
  /** Boosting rounds. @defaultValue 80 */
  rounds?: number;
  /** Maximum tree depth. @defaultValue 3 */
  maxDepth?: number;
  /** Shrinkage applied to each tree. @defaultValue 0.1 */
  learningRate?: number;
  /** Smallest hessian sum in a leaf (≈ samples × p(1−p)). @defaultValue 1 */
  minChildWeight?: number;
  /** L2 penalty on leaf values (XGBoost's λ). @defaultValue 1 */
  lambda?: number;
  /** Candidate thresholds per feature (quantiles of the training values). @defaultValue 32 */
  bins?: number;
  /** Per feature: +1 the score may only rise with it, −1 only fall, 0 free (XGBoost's monotone constraints). @defaultValue all 0 */
  monotone?: readonly number[];
  /** Per feature: whether a tree may split on it (a family's feature set); the model still reads the whole vector. @defaultValue all true */
  features?: readonly boolean[];
}

/**
 * Second-order gradient boosting with logistic loss (Friedman 2001; leaf value −G/(H+λ) and split
 * gain as in XGBoost, Chen & Guestrin 2016 eq. 7), exact on quantile-binned candidate thresholds.
 * Deterministic: same data and options, same model.
 */
export function trainGbt(x: readonly Float32Array[], y: readonly number[], opts: GbtOptions = {}, weights?: ArrayLike<number>): GbtModel {
  const featureCount = x[0]?.length ?? 0;
  const o = { rounds: 80, maxDepth: 3, learningRate: 0.1, minChildWeight: 1, lambda: 1, bins: 32, monotone: new Array<number>(featureCount).fill(0), features: new Array<boolean>(featureCount).fill(true), ...opts };
  const n = x.length;
  const wt = (i: number) => (weights === undefined ? 1 : weights[i]!);
  let positives = 0; let total = 0;
  for (let i = 0; i < n; i++) { positives += wt(i) * y[i]!; total += wt(i); }
  const prior = Math.min(Math.max(positives / Math.max(total, 1e-9), 1e-4), 1 - 1e-4);
  const base = Math.log(prior / (1 - prior));
  const cuts = candidateThresholds(x, featureCount, o.bins, o.features);
  // each value's bin, once: a split on cuts[f][b] sends a row left when its bin is ≤ b
  const binned = cuts.map((cf, f) => { const b = new Uint8Array(n); for (let i = 0; i < n; i++) b[i] = binOf(cf, x[i]![f]!); return b; });
  const m = new Float64Array(n).fill(base);
  const trees: TreeNode[] = [];
  const all = Array.from({ length: n }, (_, i) => i);
  for (let r = 0; r < o.rounds; r++) {
    const g = new Float64Array(n);
    const h = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = sigmoid(m[i]!);
      g[i] = wt(i) * (p - y[i]!);
      h[i] = wt(i) * Math.max(p * (1 - p), 1e-6);
    }
    const tree = grow(all, 0, { x, binned, g, h, cuts, o }, -Infinity, Infinity);
    trees.push(tree);
    for (let i = 0; i < n; i++) m[i] = m[i]! + leaf(tree, x[i]!);
  }
  return { base, trees, featureCount };
}

interface Ctx {
  x: readonly Float32Array[];
  binned: readonly Uint8Array[];
  g: Float64Array;
  h: Float64Array;
  cuts: number[][];
  o: Required<GbtOptions>;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function leaf(node: TreeNode, x: Float32Array): number {
  let n = node;
  while (!n.leaf) n = x[n.feature]! <= n.threshold ? n.left : n.right;
  return n.value;
}

/** A node over `rows`; [lo, hi] bounds its leaf values (before the learning rate) under monotone constraints. */
function grow(rows: number[], depth: number, c: Ctx, lo: number, hi: number): TreeNode {
  let G = 0;
  let H = 0;
  for (const i of rows) { G += c.g[i]!; H += c.h[i]!; }
  const value = clamp(-G / (H + c.o.lambda), lo, hi) * c.o.learningRate;
  if (depth >= c.o.maxDepth || H < 2 * c.o.minChildWeight) return { leaf: true, value };
  const best = bestSplit(rows, G, H, c, lo, hi);
  if (best === undefined) return { leaf: true, value };
  const left: number[] = [];
  const right: number[] = [];
  for (const i of rows) (c.x[i]![best.feature]! <= best.threshold ? left : right).push(i);
  // a constrained split bounds its children at the midpoint of their values, so no deeper split can reverse the order
  const dir = c.o.monotone[best.feature] ?? 0;
  const mid = (best.wl + best.wr) / 2;
  const [lHi, rLo] = dir > 0 ? [mid, mid] : [hi, lo];
  const [lLo, rHi] = dir < 0 ? [mid, mid] : [lo, hi];
  return { leaf: false, feature: best.feature, threshold: best.threshold, gain: best.gain, left: grow(left, depth + 1, c, lLo, lHi), right: grow(right, depth + 1, c, rLo, rHi) };
}

interface Split { feature: number; threshold: number; gain: number; wl: number; wr: number }

function bestSplit(rows: number[], G: number, H: number, c: Ctx, lo: number, hi: number): Split | undefined {
  const score = (g: number, h: number) => (g * g) / (h + c.o.lambda);
  const parent = score(G, H);
  let best: Split | undefined;
  for (let f = 0; f < c.cuts.length; f++) {
    const cuts = c.cuts[f]!;
    if (cuts.length === 0) continue;
    const bg = new Float64Array(cuts.length + 1);
    const bh = new Float64Array(cuts.length + 1);
    const bins = c.binned[f]!;
    for (const i of rows) {
      const b = bins[i]!;
      bg[b] = bg[b]! + c.g[i]!;
      bh[b] = bh[b]! + c.h[i]!;
    }
    let gl = 0;
    let hl = 0;
    for (let b = 0; b < cuts.length; b++) {
      gl += bg[b]!;
      hl += bh[b]!;
      const hr = H - hl;
      if (hl < c.o.minChildWeight || hr < c.o.minChildWeight) continue;
      const gain = 0.5 * (score(gl, hl) + score(G - gl, hr) - parent);
      if (!(gain > 1e-9) || (best !== undefined && gain <= best.gain)) continue;
      const wl = clamp(-gl / (hl + c.o.lambda), lo, hi);
      const wr = clamp(-(G - gl) / (hr + c.o.lambda), lo, hi);
      const dir = c.o.monotone[f] ?? 0;
      if ((dir > 0 && wl > wr) || (dir < 0 && wl < wr)) continue;
      best = { feature: f, threshold: cuts[b]!, gain, wl, wr };
    }
  }
  return best;
}

/** The first bin whose threshold the value does not exceed (x ≤ cuts[b]); cuts.length when above all. */
function binOf(cuts: number[], v: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= cuts[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Distinct float32 quantiles of each feature, the split candidates; none for a feature a tree may not split on. */
function candidateThresholds(x: readonly Float32Array[], featureCount: number, bins: number, allowed: readonly boolean[]): number[][] {
  const out: number[][] = [];
  for (let f = 0; f < featureCount; f++) {
    if (allowed[f] === false) { out.push([]); continue; }
    const v = x.map((r) => r[f]!).sort((a, b) => a - b);
    const set = new Set<number>();
    for (let k = 1; k < bins; k++) {
      const q = v[Math.floor((k * (v.length - 1)) / bins)];
      if (q !== undefined && q < v[v.length - 1]!) set.add(Math.fround(q));
    }
    out.push([...set].sort((a, b) => a - b));
  }
  return out;
}
