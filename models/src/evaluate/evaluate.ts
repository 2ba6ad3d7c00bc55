import { computeFeatures } from '../features/compute.js';
import { FEATURE_NAMES } from '../features/definition.js';
import { computeHealth } from '../health/health.js';
import type { Registry } from '../registry/registry.js';
import { MODEL_ID } from '../train/publish.js';
import { FAMILY_NAMES, type Family, type LabelledLift } from '../train/training-data.js';
import { emptyResult, judge, type FamilyResult } from './episodes.js';
import { THRESHOLD_RULES } from './threshold-rules.js';

const DAY = 86_400_000;

/** Options of evaluate. */
export interface EvaluateOptions {
  /** Time between scores of a lift, ms. @defaultValue 6 h */
  stepMs?: number;
  /** Scoring starts this long after a lift's data, so that a baseline exists, ms. @defaultValue 14 days */
  warmupMs?: number;
  /** Time between health scores, ms. @defaultValue 7 days */
  healthStepMs?: number;
}

export interface GradeRow { grade: string; scores: number; withFailure: number; rate: number }
export interface Evaluation {
  lifts: number;
  models: Record<Family, { version: string; result: FamilyResult }>;
  rules: Record<Family, { text: string; result: FamilyResult }>;
  grades: GradeRow[];
  monotone: boolean;
}

/**
 * Held-out evaluation (issue 6 §6): the served ONNX models (from the registry, one Run per family
 * over all rows) and the fixed-threshold rules, through the same hysteresis, judged against the
 * ground-truth failures; and the health grade against failures in the next 30 days.
 */
export async function evaluate(registry: Registry, lifts: readonly LabelledLift[], opts: EvaluateOptions = {}): Promise<Evaluation> {
  const o = { stepMs: 6 * 3_600_000, warmupMs: 14 * DAY, healthStepMs: 7 * DAY, ...opts };
  const points = lifts.map((l) => { const t: number[] = []; for (let at = l.from + o.warmupMs; at <= l.to; at += o.stepMs) t.push(at); return t; });
  const rows = lifts.flatMap((l, i) => points[i]!.map((at) => computeFeatures(l.records, at).values));
  const x = new Float32Array(rows.length * FEATURE_NAMES.length);
  rows.forEach((r, i) => x.set(r, i * FEATURE_NAMES.length));
  const models = {} as Evaluation['models'];
  const rules = {} as Evaluation['rules'];
  for (const family of FAMILY_NAMES) {
    const m = await registry.load(MODEL_ID[family]);
    const p = await m.classifier.run(x, rows.length);
    await m.classifier.close();
    const mr = emptyResult();
    const rr = emptyResult();
    let k = 0;
    lifts.forEach((l, i) => {
      const ts = points[i]!;
      judge(l, family, ts.map((t) => [t, p[k++]!] as const), m.manifest.thresholds, mr);
      const rule = THRESHOLD_RULES[family];
      judge(l, family, ts.map((t) => [t, rule.fires(l.records, t) ? 1 : 0] as const), { raise: 0.5, clear: 0.25, minDurationMs: m.manifest.thresholds.minDurationMs }, rr);
    });
    models[family] = { version: m.version, result: mr };
    rules[family] = { text: THRESHOLD_RULES[family].text, result: rr };
  }
  const grades = gradeTable(lifts, o.warmupMs, o.healthStepMs);
  const rated = grades.filter((g) => g.scores > 0);
  const monotone = rated.every((g, i) => i === 0 || g.rate >= rated[i - 1]!.rate);
  return { lifts: lifts.length, models, rules, grades, monotone };
}

/** Failure rate in the next 30 days per health grade (§6d calibration: lower grade ⇒ higher rate). */
function gradeTable(lifts: readonly LabelledLift[], warmupMs: number, stepMs: number): GradeRow[] {
  const rows = new Map(['A', 'B', 'C', 'D', 'E'].map((g) => [g, { grade: g, scores: 0, withFailure: 0, rate: 0 }]));
  for (const l of lifts) {
    for (let at = l.from + Math.max(warmupMs, 30 * DAY); at + 30 * DAY <= l.to; at += stepMs) {
      const h = computeHealth(l.records, at);
      if (h.grade === undefined) continue;
      const row = rows.get(h.grade)!;
      row.scores++;
      if (l.failures.some((f) => f.ts > at && f.ts <= at + 30 * DAY)) row.withFailure++;
    }
  }
  return [...rows.values()].map((r) => ({ ...r, rate: r.scores === 0 ? 0 : r.withFailure / r.scores }));
}
