const POW10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

/** x rounded to `digits` decimals (0–6), as records carry their values. */
export function round(x: number, digits: number): number {
  const f = POW10[digits] ?? 10 ** digits;
  return Math.round(x * f) / f;
}
