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
export async function evaluate(registry: Registry, lifts: Iterable<LabelledLift>, opts: EvaluateOptions = {}): Promise<Evaluation> {
  const o = { stepMs: 6 * 3_600_000, warmupMs: 14 * DAY, healthStepMs: 7 * DAY, ...opts };
  // One pass over the lifts (a simulator dataset is too big to hold): per lift, its feature rows,
  // the rules' verdicts and its health grades; then only its labels are kept.
  const kept: Array<{ lift: LabelledLift; points: number[]; rules: Record<Family, boolean[]> }> = [];
  const rows: Float32Array[] = [];
  const gradeRows = new Map(['A', 'B', 'C', 'D', 'E'].map((g) => [g, { grade: g, scores: 0, withFailure: 0, rate: 0 }]));
  for (const l of lifts) {
    const points: number[] = [];
    for (let at = l.from + o.warmupMs; at <= l.to; at += o.stepMs) points.push(at);
    for (const at of points) rows.push(computeFeatures(l.records, at).values);
    const rules = Object.fromEntries(FAMILY_NAMES.map((f) => [f, points.map((t) => THRESHOLD_RULES[f].fires(l.records, t))])) as Record<Family, boolean[]>;
    gradeLift(l, o.warmupMs, o.healthStepMs, gradeRows);
    kept.push({ lift: { ...l, records: { liftId: l.records.liftId, trips: [], doors: [], envs: [], faults: [] } }, points, rules });
  }
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
    for (const { lift, points, rules: fired } of kept) {
      judge(lift, family, points.map((t) => [t, p[k++]!] as const), m.manifest.thresholds, mr);
      judge(lift, family, points.map((t, i) => [t, fired[family][i] ? 1 : 0] as const), { raise: 0.5, clear: 0.25, minDurationMs: m.manifest.thresholds.minDurationMs }, rr);
    }
    models[family] = { version: m.version, result: mr };
    rules[family] = { text: THRESHOLD_RULES[family].text, result: rr };
  }
  const grades = [...gradeRows.values()].map((r) => ({ ...r, rate: r.scores === 0 ? 0 : r.withFailure / r.scores }));
  const rated = grades.filter((g) => g.scores > 0);
  const monotone = rated.every((g, i) => i === 0 || g.rate >= rated[i - 1]!.rate);
  return { lifts: kept.length, models, rules, grades, monotone };
}

/** Health grades of one lift against failures in the next 30 days (§6d calibration: lower grade ⇒ higher rate). */
function gradeLift(l: LabelledLift, warmupMs: number, stepMs: number, rows: Map<string, GradeRow>): void {
  for (let at = l.from + Math.max(warmupMs, 30 * DAY); at + 30 * DAY <= l.to; at += stepMs) {
    const h = computeHealth(l.records, at);
    if (h.grade === undefined) continue;
    const row = rows.get(h.grade)!;
    row.scores++;
    if (l.failures.some((f) => f.ts > at && f.ts <= at + 30 * DAY)) row.withFailure++;
  }
}
