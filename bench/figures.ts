// Figures the benchmarks compute the same way.

/** The `p` quantile (0–1) of ascending `sorted` values, nearest rank below; undefined when there are none. */
export const percentile = (sorted: readonly number[], p: number): number | undefined => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

/**
 * One figure of `bench/results/<name>.json`. Every benchmark writes an array of these, so that one
 * reader (and `test/results.test.ts`) can take any results file; what a benchmark knows besides goes
 * in extra keys.
 */
export interface ResultRow {
  metric: string;
  unit: string;
  value: number;
  /** The reference run's figure or the target the value is compared with; null when there is none. */
  reference: number | null;
  /** value / reference, or null without a reference. */
  ratio: number | null;
  command: string;
  /** When the benchmark ran (ISO 8601). */
  date: string;
  [extra: string]: unknown;
}

/** value / reference to three decimals; null when there is no reference to divide by. */
export const ratioTo = (value: number, reference: number | null): number | null =>
  (reference === null || reference === 0 || !Number.isFinite(value) ? null : +(value / reference).toFixed(3));

/** A results row for a figure of the run `run`, its ratio computed from `reference`. */
export function resultRow(metric: string, unit: string, value: number, reference: number | null, run: { command: string; date: string }, extra: Record<string, unknown> = {}): ResultRow {
  return { metric, unit, value, reference, ratio: ratioTo(value, reference), ...extra, command: run.command, date: run.date };
}
