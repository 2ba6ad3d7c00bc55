import { computeFeatures, type FeatureRow } from '../features/compute.js';
import { DEFAULT_HORIZON_MS, FAMILY_NAMES, labelAt, type Family, type LabelledLift } from './training-data.js';

/** Options of buildSamples. */
export interface SampleOptions {
  /** Time between samples of one lift, ms. @defaultValue 1 day */
  stepMs?: number;
  /** First sample this long after the lift's data starts, so a baseline exists, ms. @defaultValue 14 days */
  warmupMs?: number;
  /** Label horizon, ms. @defaultValue 7 days */
  horizonMs?: number;
}

export interface Samples {
  readonly rows: FeatureRow[];
  readonly labels: Record<Family, number[]>;
}

/** Feature rows at every step of every lift, with one label per family (issue 6 §2). */
export function buildSamples(lifts: Iterable<LabelledLift>, opts: SampleOptions = {}): Samples {
  const o = { stepMs: 86_400_000, warmupMs: 14 * 86_400_000, horizonMs: DEFAULT_HORIZON_MS, ...opts };
  const rows: FeatureRow[] = [];
  const labels = Object.fromEntries(FAMILY_NAMES.map((f) => [f, [] as number[]])) as Record<Family, number[]>;
  for (const lift of lifts) {
    for (let at = lift.from + o.warmupMs; at < lift.to; at += o.stepMs) {
      rows.push(computeFeatures(lift.records, at));
      for (const f of FAMILY_NAMES) labels[f].push(labelAt(lift, f, at, o.horizonMs));
    }
  }
  return { rows, labels };
}
