import { between, type LiftRecords } from '../features/lift-records.js';
import { mean, pick, quantile } from '../features/stats.js';
import type { Family } from '../train/training-data.js';

const DAY = 86_400_000;

/**
 * Fixed-threshold rules of the kind a terminal vendor ships, the baseline the models must beat
 * (issue 6 §6): absolute limits on the last day's statistics, no per-lift baseline. Each returns
 * a 0/1 "score" so that the same hysteresis and scoring code judges rules and models alike.
 */
export const THRESHOLD_RULES: Readonly<Record<Family, { text: string; fires: (r: LiftRecords, at: number) => boolean }>> = Object.freeze({
  doorSystem: {
    text: 'median closeS > 4.0 s (GB/T 10058 door times 3.2–4.9 s) or reopen ratio > 10 % or an E09 in 24 h',
    fires: (r, at) => {
      const d = between(r.doors, at - DAY, at);
      return quantile(d.map((x) => x.closeS), 0.5) > 4.0 || (d.length > 0 && d.reduce((s, x) => s + x.reopens, 0) / d.length > 0.1) || between(r.faults, at - DAY, at).some((f) => f.code === 'E09' && f.state === 'raised');
    },
  },
  guidesRide: {
    text: 'horizontal A95 p95 > 0.10 m/s² (2/3 of the GB/T 10058 0.15 limit) or kurtosis > 5',
    fires: (r, at) => {
      const t = between(r.trips, at - DAY, at);
      return quantile(pick(t, (x) => x.vibA95XMps2), 0.95) > 0.1 || mean(pick(t, (x) => x.vibKurtosisX)) > 5;
    },
  },
  brake: { text: 'median brakeDropMs > 280 ms or any creep after stop > 0 mm', fires: (r, at) => { const t = between(r.trips, at - DAY, at); return quantile(pick(t, (x) => x.brakeDropMs), 0.5) > 280 || t.some((x) => (x.creepAfterStopMm ?? 0) > 0); } },
  tractionRopes: { text: 'mean |slip| > 15 mm or relevels > 5 per 100 stops', fires: (r, at) => { const t = between(r.trips, at - DAY, at); return mean(pick(t, (x) => (x.slipMm === undefined ? undefined : Math.abs(x.slipMm)))) > 15 || (t.length > 0 && t.reduce((s, x) => s + x.relevels, 0) / t.length > 0.05); } },
  driveThermal: { text: 'max motor winding temperature > 70 °C in 24 h', fires: (r, at) => Math.max(0, ...pick(between(r.envs, at - DAY, at), (e) => e.motorWindingTempC)) > 70 },
});
