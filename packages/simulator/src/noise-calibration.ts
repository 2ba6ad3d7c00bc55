import { kurtosis, rideQuality } from '@liftwatch/contract';
import { createLiftSim } from './lift-sim.js';

/** How a vibration level series moves: its spread, its noise around the trend, its step structure. */
export interface LevelStats {
  samples: number;
  p05: number; p50: number; p95: number;
  /** p95 / p05: how far the level travels between its quiet and its worst stretches. */
  dynamicRange: number;
  /**
   * Noise around the trend, relative to the level: in each window the residual after a straight
   * line is fitted, its ISO 18738-1 A95 peak-to-peak (the contract's ride-quality code) divided by
   * the window's mean level; the median over windows.
   */
  relativeNoiseA95: number;
  /** Median kurtosis of those residuals (3 for Gaussian noise, 1.5 for a sine, ~1.8 for quantised ramps). */
  residualKurtosis: number;
  /** Lag-1 autocorrelation of the increments: about −0.5 for white noise around a trend, near +1 for ramps. */
  incrementAutocorrelation: number;
}

const quantile = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

/** The statistics of a level series, in windows of `window` samples. */
export function levelStats(series: ArrayLike<number>, window: number): LevelStats {
  const sorted = Float64Array.from(series).sort();
  const noise: number[] = [];
  const kurt: number[] = [];
  const residual = new Float64Array(window);
  for (let start = 0; start + window <= series.length; start += window) {
    // Least-squares line over the window; the residual is what the trend does not explain.
    let sx = 0; let sy = 0; let sxx = 0; let sxy = 0;
    for (let i = 0; i < window; i++) { const y = series[start + i]!; sx += i; sy += y; sxx += i * i; sxy += i * y; }
    const slope = (window * sxy - sx * sy) / (window * sxx - sx * sx);
    const intercept = (sy - slope * sx) / window;
    for (let i = 0; i < window; i++) residual[i] = series[start + i]! - (intercept + slope * i);
    const level = sy / window;
    if (level > 0) noise.push(rideQuality(residual).a95 / level);
    kurt.push(kurtosis(residual));
  }
  let m = 0;
  const inc = new Float64Array(series.length - 1);
  for (let i = 1; i < series.length; i++) { inc[i - 1] = series[i]! - series[i - 1]!; m += inc[i - 1]!; }
  m /= inc.length;
  let c0 = 0; let c1 = 0;
  for (let i = 0; i < inc.length; i++) { const d = inc[i]! - m; c0 += d * d; if (i > 0) c1 += d * (inc[i - 1]! - m); }
  const median = (xs: number[]) => quantile(Float64Array.from(xs).sort(), 0.5);
  const p05 = quantile(sorted, 0.05);
  const p95 = quantile(sorted, 0.95);
  return {
    samples: series.length, p05, p50: quantile(sorted, 0.5), p95, dynamicRange: p05 > 0 ? p95 / p05 : Number.POSITIVE_INFINITY,
    relativeNoiseA95: median(noise), residualKurtosis: median(kurt), incrementAutocorrelation: c0 > 0 ? c1 / c0 : 0,
  };
}

/**
 * The simulator's counterpart of a vibration level series: the horizontal A95 of every trip of a
 * lift whose guide roller wears from new to its failure threshold (no maintenance), in summary
 * fidelity, as the platform receives it.
 */
export function simulatedVibrationLevels(o: { seed: number; days: number; vibrationNoiseScale?: number }): Float64Array {
  const start = Date.UTC(2026, 2, 1, 16, 0, 0);
  const sim = createLiftSim({
    liftId: 'NOISE-1', seed: o.seed, startMs: start, floors: 18, fidelity: 'summary', vibrationNoiseScale: o.vibrationNoiseScale ?? 1,
    faults: [{ id: 'roller', kind: 'rollerFlatSpot', onsetDay: 0, law: { type: 'linear', failDays: o.days }, severityMax: 1 }],
  });
  const levels: number[] = [];
  for (let d = 1; d <= o.days; d++) for (const r of sim.advanceTo(start + d * 86_400_000)) if (r.stream === 'trip') levels.push(r.record.vibA95XMps2 ?? 0);
  return Float64Array.from(levels);
}
