/** mulberry32: a small seeded PRNG, so the same seed gives the same fleet (docs/simulator.md). */
export function createRandom(seed: number) {
  // The state is kept as a signed 32-bit integer (the same bits as mulberry32's unsigned one): it
  // stays a small integer in V8, so a draw allocates nothing.
  let a = seed | 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // By the inverse normal CDF (Acklam): one uniform per draw, exact tails, no trigonometry.
  const normal = (mean = 0, sd = 1): number => mean + sd * inverseNormal(1 - next());
  return {
    next,
    normal,
    /** A standard-normal draw from a 4,096-point quantile table: cheap noise for synthesised signals. */
    gauss: (): number => GAUSS_TABLE[(next() * GAUSS_N) | 0]!,
    uniform: (lo: number, hi: number): number => lo + (hi - lo) * next(),
    int: (lo: number, hiInclusive: number): number => lo + Math.floor(next() * (hiInclusive - lo + 1)),
    /** Exponential waiting time with the given mean: the gaps of a Poisson process. */
    exponential: (mean: number): number => -mean * Math.log(1 - next()),
    lognormal: (median: number, sigma: number): number => median * Math.exp(normal(0, sigma)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}

export type Random = ReturnType<typeof createRandom>;

/** Mixes a fleet seed and a lift index into one 32-bit seed. */
export function mixSeed(seed: number, index: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (index + 0x7f4a7c15), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

const GAUSS_N = 4096;
const A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239] as const;
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572] as const;
const C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416] as const;

/** The standard normal quantile at p ∈ (0, 1], by Acklam's rational approximation (relative error < 1.2e-9). */
function inverseNormal(p: number): number {
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(Math.max(p, 1e-300)));
    return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  if (p > 1 - 0.02425) return -inverseNormal(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}

/** Quantiles of N(0, 1) at (i + 0.5)/N: a cheaper draw for synthesised signal noise. */
const GAUSS_TABLE: Float64Array = (() => {
  const t = new Float64Array(GAUSS_N);
  for (let i = 0; i < GAUSS_N; i++) t[i] = inverseNormal((i + 0.5) / GAUSS_N);
  return t;
})();
