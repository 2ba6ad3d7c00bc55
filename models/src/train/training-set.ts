import { FEATURE_NAMES } from '../features/definition.js';
import { FAMILY_NAMES, type Family } from './families.js';
import { prng } from './prng.js';
import type { LiftSeries } from './replay.js';

const DAY = 86_400_000;

/** Options of a training set. */
export interface TrainingSetOptions {
  /** A sample is positive for a family when it fails within this long after it, ms. @defaultValue 14 days */
  readonly labelHorizonMs?: number;
  /** Share of samples positive for no family that are kept (each kept one weighs 1/share). @defaultValue 0.1 */
  readonly negativeKeep?: number;
  /** Keep every k-th sample of a series (series are sampled every 6 h; 2 → every 12 h). @defaultValue 2 */
  readonly every?: number;
}

/**
 * Feature rows for training, gathered lift by lift as the fleet streams past (the series are then
 * dropped): every positive sample, a seeded share of the others with inverse-probability weights,
 * and one label per family.
 */
export function createTrainingSet(opts: TrainingSetOptions = {}) {
  const horizon = opts.labelHorizonMs ?? 14 * DAY;
  const keep = opts.negativeKeep ?? 0.1;
  const every = opts.every ?? 2;
  const rows: Float32Array[] = [];
  const weights: number[] = [];
  const labels = Object.fromEntries(FAMILY_NAMES.map((f) => [f, [] as number[]])) as Record<Family, number[]>;
  const seen = { lifts: 0, liftYears: 0, samples: 0, records: 0, failures: Object.fromEntries(FAMILY_NAMES.map((f) => [f, 0])) as Record<Family, number> };
  const F = FEATURE_NAMES.length;

  return {
    rows, weights, labels, seen,
    add(s: LiftSeries): void {
      seen.lifts++;
      seen.liftYears += (s.to - s.from) / (365 * DAY);
      seen.records += s.records;
      for (const f of s.failures) seen.failures[f.family]++;
      const r = prng(s.seed * 1_000_003 + s.index * 7_919 + s.mix.length);
      for (let i = 0; i < s.times.length; i += every) {
        seen.samples++;
        const t = s.times[i]!;
        const y = FAMILY_NAMES.map((f) => (s.failures.some((x) => x.family === f && x.ts > t && x.ts <= t + horizon) ? 1 : 0));
        const positive = y.some((v) => v === 1);
        const draw = r.next();
        if (!positive && draw >= keep) continue;
        rows.push(s.x.slice(i * F, (i + 1) * F));
        weights.push(positive ? 1 : 1 / keep);
        FAMILY_NAMES.forEach((f, k) => labels[f].push(y[k]!));
      }
    },
  };
}
export type TrainingSet = ReturnType<typeof createTrainingSet>;
