import { FEATURE_NAMES } from './definition.js';
import type { FeatureRow } from './compute.js';

/**
 * The unsupervised anomaly score of a lift against its own baseline (issue 6 §2): the root mean
 * square of its drift features, each divided by the drift that counts as notable for it. It needs
 * no labels, so it works from a lift's first month; 1 ≈ "every precursor is at its notable drift".
 */
export const ANOMALY_SCALES: Readonly<Record<string, number>> = Object.freeze({
  doorCloseP95Drift: 0.15, // §6d S3: +15 % closeS p95 → 60 points
  doorMotorIDrift: 0.15,
  lockMadeP95Drift: 0.3,
  vibA95XYDrift: 0.3,
  vibKurtosisDrift: 0.3,
  brakeDropDrift: 0.2, // §6d S5: ±20 % brake timing drift → 60 points
  brakeLiftDrift: 0.2,
  tempResidualC: 5,
});

const INDEX = Object.entries(ANOMALY_SCALES).map(([name, scale]) => [FEATURE_NAMES.indexOf(name), scale] as const);

export function anomalyScore(row: FeatureRow): number {
  let sum = 0;
  for (const [i, scale] of INDEX) {
    const z = (row.values[i] ?? 0) / scale;
    sum += z * z;
  }
  return Math.sqrt(sum / INDEX.length);
}
