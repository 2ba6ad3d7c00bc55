// Figures the benchmarks compute the same way.

/** The `p` quantile (0–1) of ascending `sorted` values, nearest rank below; undefined when there are none. */
export const percentile = (sorted: readonly number[], p: number): number | undefined => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
