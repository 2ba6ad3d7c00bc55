import { computeFeatures } from '../features/compute.js';
import { emptyResult, judge } from '../evaluate/episodes.js';
import { predictProba } from '../gbt/tree.js';
import type { HysteresisOptions } from '../serving/hysteresis.js';
import type { TrainedFamily } from './train-models.js';
import type { Family, LabelledLift } from './training-data.js';

const HOUR = 3_600_000;

/** Options of calibrateThresholds. */
export interface CalibrateOptions {
  /** Most false alerts per 100 lift-months accepted on the calibration lifts. @defaultValue 2 */
  maxFalsePer100?: number;
  /** Time between scores, ms. @defaultValue 6 h */
  stepMs?: number;
  /** @defaultValue 14 days */
  warmupMs?: number;
}

/**
 * Alert thresholds per family chosen on calibration lifts that neither training nor evaluation
 * uses: the setting that predicts the most failures ≥ 72 h ahead while its false alerts stay at or
 * below maxFalsePer100; when none does, the one with the fewest false alerts.
 */
export function calibrateThresholds(trained: readonly TrainedFamily[], lifts: readonly LabelledLift[], opts: CalibrateOptions = {}): Record<Family, HysteresisOptions> {
  const o = { maxFalsePer100: 2, stepMs: 6 * HOUR, warmupMs: 14 * 86_400_000, ...opts };
  const series = lifts.map((l) => { const rows = []; for (let at = l.from + o.warmupMs; at <= l.to; at += o.stepMs) rows.push(computeFeatures(l.records, at)); return rows; });
  const out = {} as Record<Family, HysteresisOptions>;
  for (const t of trained) {
    const scores = series.map((rows) => rows.map((r) => [r.at, predictProba(t.model, r.values)] as const));
    let best: { h: HysteresisOptions; hit: number; fa: number } | undefined;
    for (const raise of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) {
      for (const minDurationMs of [6 * HOUR, 12 * HOUR, 24 * HOUR]) {
        const h = { raise, clear: Math.round(raise * 60) / 100, minDurationMs };
        const r = emptyResult();
        lifts.forEach((l, i) => judge(l, t.family, scores[i]!, h, r));
        const hit = r.failures === 0 ? 0 : r.predicted72h / r.failures;
        const fa = r.liftMonths === 0 ? 0 : (100 * r.falseAlerts) / r.liftMonths;
        const ok = fa <= o.maxFalsePer100;
        const better = best === undefined
          || (ok && (best.fa > o.maxFalsePer100 || hit > best.hit || (hit === best.hit && fa < best.fa)))
          || (!ok && best.fa > o.maxFalsePer100 && fa < best.fa);
        if (better) best = { h, hit, fa };
      }
    }
    out[t.family] = best!.h;
  }
  return out;
}
