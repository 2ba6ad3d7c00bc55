import { FEATURE_NAMES, type FeatureRow } from './definition.js';

/**
 * The unsupervised anomaly score of a lift against its own baseline: the root mean square of its
 * drift features, each divided by the drift that counts as notable for it. It needs no labels, so
 * it works from a lift's first month; 1 ≈ "every precursor is at its notable drift".
 */
export const ANOMALY_SCALES: Readonly<Record<string, number>> = Object.freeze({
  doorCloseP95Drift: 0.15, // +15 % door closing p95: the health score's S3 loses 40 points there
  doorMotorIDrift: 0.15,
  lockMadeP95Drift: 0.3,
  vibA95XYDrift: 0.3,
  vibKurtosisDrift: 0.3,
  brakeDropDrift: 0.2, // ±20 % brake timing: the health score's S5 loses 40 points there
  brakeLiftDrift: 0.2,
  tempResidualExcessC: 5,
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
