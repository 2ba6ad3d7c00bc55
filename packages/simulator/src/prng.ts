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
