/** mulberry32: a small seeded PRNG, so the same seed gives the same fleet (domain §6c). */
export function createRandom(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (mean = 0, sd = 1): number => {
    const u = 1 - next();
    const v = next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
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
/** Quantiles of N(0, 1) at (i + 0.5)/N, by the Acklam rational approximation of the inverse CDF. */
const GAUSS_TABLE: Float64Array = (() => {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const inv = (p: number): number => {
    if (p < 0.02425) { const q = Math.sqrt(-2 * Math.log(p)); return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1); }
    if (p > 1 - 0.02425) return -inv(1 - p);
    const q = p - 0.5; const r = q * q;
    return (((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  };
  const t = new Float64Array(GAUSS_N);
  for (let i = 0; i < GAUSS_N; i++) t[i] = inv((i + 0.5) / GAUSS_N);
  return t;
})();
