/**
 * mulberry32: a small seeded PRNG, so the same seed gives the same fleet (docs/simulator.md).
 * A class: every generator shares its methods, so V8 inlines the draws where they are called for
 * every lift alike (closures made per generator are different functions to it, and code it
 * specialised to one lift's closures was thrown away at the next lift).
 */
export class Random {
  /** The state as a signed 32-bit integer (the same bits as mulberry32's unsigned one): a small integer in V8, so a draw allocates nothing. */
  private a: number;

  constructor(seed: number) {
    this.a = seed | 0;
  }

  next(): number {
    const a = (this.a + 0x6d2b79f5) | 0;
    this.a = a;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** By the inverse normal CDF (Acklam): one uniform per draw, exact tails, no trigonometry. */
  normal(mean = 0, sd = 1): number {
    return mean + sd * inverseNormal(1 - this.next());
  }

  /** A standard-normal draw from a 4,096-point quantile table: cheap noise for synthesised signals. */
  gauss(): number {
    return GAUSS_TABLE[(this.next() * GAUSS_N) | 0]!;
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  int(lo: number, hiInclusive: number): number {
    return lo + Math.floor(this.next() * (hiInclusive - lo + 1));
  }

  /** Exponential waiting time with the given mean: the gaps of a Poisson process. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  lognormal(median: number, sigma: number): number {
    return median * Math.exp(this.normal(0, sigma));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
}

/** A seeded generator (see `Random`). */
export function createRandom(seed: number): Random {
  return new Random(seed);
}

/** Mixes a fleet seed and a lift index into one 32-bit seed. */
export function mixSeed(seed: number, index: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (index + 0x7f4a7c15), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

const GAUSS_N = 4096;
/** Below P_LOW (and above P_HIGH) Acklam's tail approximation applies. */
const P_LOW = 0.02425;
const P_HIGH = 1 - P_LOW;

/**
 * The standard normal quantile at p ∈ (0, 1], by Acklam's rational approximation (relative error
 * < 1.2e-9). The central region, where 95 % of draws fall, is written with its coefficients in
 * place: small enough for V8 to inline into the draw.
 */
function inverseNormal(p: number): number {
  if (p < P_LOW || p > P_HIGH) return inverseNormalTail(p);
  const q = p - 0.5;
  const r = q * q;
  return (((((-39.69683028665376 * r + 220.9460984245205) * r - 275.9285104469687) * r + 138.357751867269) * r - 30.66479806614716) * r + 2.506628277459239) * q
    / (((((-54.47609879822406 * r + 161.5858368580409) * r - 155.6989798598866) * r + 66.80131188771972) * r - 13.28068155288572) * r + 1);
}

function inverseNormalTail(p: number): number {
  if (p > P_HIGH) return -inverseNormal(1 - p);
  const q = Math.sqrt(-2 * Math.log(Math.max(p, 1e-300)));
  return (((((-0.007784894002430293 * q - 0.3223964580411365) * q - 2.400758277161838) * q - 2.549732539343734) * q + 4.374664141464968) * q + 2.938163982698783)
    / ((((0.007784695709041462 * q + 0.3224671290700398) * q + 2.445134137142996) * q + 3.754408661907416) * q + 1);
}

/** Quantiles of N(0, 1) at (i + 0.5)/N: a cheaper draw for synthesised signal noise. */
const GAUSS_TABLE: Float64Array = (() => {
  const t = new Float64Array(GAUSS_N);
  for (let i = 0; i < GAUSS_N; i++) t[i] = inverseNormal((i + 0.5) / GAUSS_N);
  return t;
})();
