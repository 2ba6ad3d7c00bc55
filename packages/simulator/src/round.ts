const POW10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

/** x rounded to `digits` decimals (0–6), as records carry their values. */
export function round(x: number, digits: number): number {
  const f = POW10[digits] ?? 10 ** digits;
  return Math.round(x * f) / f;
}

// `round(x, 1)` … `round(x, 4)` with the factor fixed (the same arithmetic): small enough that V8
// inlines them at every call in the per-trip and per-door code, where a call returns a boxed number.
export const round1 = (x: number): number => Math.round(x * 10) / 10;
export const round2 = (x: number): number => Math.round(x * 100) / 100;
export const round3 = (x: number): number => Math.round(x * 1_000) / 1_000;
export const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;
