import { lwError } from '@liftwatch/contract';
import { FEATURE_NAMES } from '../features/definition.js';
import { RULE_INPUTS, ruleScore } from '../evaluate/threshold-rules.js';
import { better, calibrate, modelCandidates, RULE_SCALES, type Calibrated, type CalibrationTarget, type ScoredLift } from './calibrate.js';
import { chooseWithinBudget, DEFAULT_FALSE_ALERT_BUDGET, type BudgetedChoice } from './budget-choice.js';
import { FAMILY_NAMES, type Family } from './families.js';
import { FAMILY_FEATURES } from './family-features.js';
import type { FleetSlice } from './fleet-split.js';
import { replaySlice } from './parallel-replay.js';
import type { PredictorChoice, PredictorTable } from './predictor-choice.js';
import type { LiftSeries } from './replay.js';
import { createTrainingSet, type TrainingSetOptions } from './training-set.js';
import { LEARNER_NAMES, MAX_FIT_ROWS, trainFamily, type LearnerName, type TrainedFamily } from './train-models.js';

/** Which features a family's learners may use: its own precursors and the shared context, or every feature. */
export type FeatureChoice = 'family' | 'all';
export const FEATURE_CHOICES: readonly FeatureChoice[] = ['family', 'all'];

export interface TrainingRunOptions {
  readonly train: FleetSlice;
  readonly validation: FleetSlice;
  readonly learners?: readonly LearnerName[];
  /** Families to fit and choose for (the others are left out of the run). @defaultValue all */
  readonly families?: readonly Family[];
  /** The features each family's learners may use: its own set (FAMILY_FEATURES) or the whole vector. @defaultValue 'family' */
  readonly features?: FeatureChoice;
  readonly target?: CalibrationTarget;
  readonly trainingSet?: TrainingSetOptions;
  /** Worker threads simulating and replaying lifts (the results do not depend on it). @defaultValue 1 */
  readonly workers?: number;
  readonly log?: (line: string) => void;
}

/** A rule baseline calibrated on the validation lifts: its limits' scale and its persistence. */
export type CalibratedRule = BudgetedChoice['rule'];

export interface FamilyResult {
  readonly trained: TrainedFamily;
  readonly calibration: Calibrated;
  /** Every learner's calibrated validation figures. */
  readonly learners: Record<string, Calibrated['figures'] & { withinTarget: boolean }>;
  readonly rule: CalibratedRule;
  /** The predictor served (model, rule or model-or-rule), chosen on the validation lifts, with every predictor's figures there. */
  readonly serving: { readonly choice: PredictorChoice; readonly table: PredictorTable; readonly budget: number };
}

export interface TrainingRun {
  /** The families trained (all, unless the run named some). */
  readonly families: Partial<Record<Family, FamilyResult>>;
  readonly seen: ReturnType<typeof createTrainingSet>['seen'] & { rows: number };
  readonly validation: { lifts: number; liftYears: number; failures: Record<Family, number> };
  readonly seconds: { replay: number; fit: number; validation: number };
}

/**
 * Training as a whole: stream the training slice through the streaming features into a training
 * set (never more than one lift's series in memory), fit every learner per family, replay the
 * validation slice, calibrate each learner's raise/clear/persistence and each rule baseline on
 * it, and keep per family the learner that does best there.
 */
export async function runTraining(o: TrainingRunOptions): Promise<TrainingRun> {
  const log = o.log ?? (() => {});
  const learners = o.learners ?? LEARNER_NAMES;
  if (learners.length === 0) throw lwError('LW_ERR_CONFIG_INVALID', `no learner to try; name one or more of ${LEARNER_NAMES.join(', ')}`);
  const familyNames = o.families ?? FAMILY_NAMES;
  const t0 = performance.now();
  const set = createTrainingSet(o.trainingSet);
  for await (const series of replaySlice(o.train, { rules: false }, o.workers)) {
    set.add(series);
    if (set.seen.lifts % 50 === 0) log(`training: ${set.seen.lifts} lifts, ${set.seen.liftYears.toFixed(0)} lift-years, ${set.rows.length} rows kept`);
  }
  const t1 = performance.now();
  const fitted = new Map<string, TrainedFamily>();
  for (const f of familyNames) for (const l of learners) {
    fitted.set(`${f}/${l}`, trainFamily(set, f, l, MAX_FIT_ROWS, o.features === 'all' ? FEATURE_NAMES : FAMILY_FEATURES[f]));
    log(`fitted ${f} with ${l}`);
  }
  const t2 = performance.now();
  const val: LiftSeries[] = [];
  for await (const series of replaySlice(o.validation, {}, o.workers)) val.push(series);
  const families: Partial<Record<Family, FamilyResult>> = {};
  for (const f of familyNames) {
    const perLearner: Record<string, Calibrated> = {};
    for (const l of learners) {
      const lifts = scored(val, f, fitted.get(`${f}/${l}`)!.predict);
      perLearner[l] = calibrate(lifts, modelCandidates(lifts), { maxFalsePer100: DEFAULT_FALSE_ALERT_BUDGET, ...o.target });
    }
    const best = learners.reduce((a, b) => (better(perLearner[b]!, perLearner[a]!) ? b : a));
    const b = chooseWithinBudget(scored(val, f, fitted.get(`${f}/${best}`)!.predict), RULE_SCALES.map((scale) => ({ scale, lifts: ruleScored(val, f, scale) })), {
      budget: o.target?.maxFalsePer100 ?? DEFAULT_FALSE_ALERT_BUDGET, ...(o.target?.horizonMs !== undefined ? { horizonMs: o.target.horizonMs } : {}),
    });
    const result: FamilyResult = {
      trained: fitted.get(`${f}/${best}`)!, calibration: b.modelServed,
      learners: Object.fromEntries(learners.map((l) => [l, { ...perLearner[l]!.figures, withinTarget: perLearner[l]!.withinTarget }])),
      rule: b.rule, serving: { choice: b.choice, table: b.table, budget: b.budget },
    };
    families[f] = result;
    log(`${f}: ${best} chosen; validation ≥ 72 h ${fmt(perLearner[best]!.figures.predicted72hPct)} %, false ${fmt(perLearner[best]!.figures.falsePer100LiftMonths)} / 100 lift-months; rule ${fmt(result.rule.calibration.figures.predicted72hPct)} % at ${fmt(result.rule.calibration.figures.falsePer100LiftMonths)}`);
  }
  const failures = Object.fromEntries(FAMILY_NAMES.map((f) => [f, val.reduce((t, s) => t + s.failures.filter((x) => x.family === f).length, 0)])) as Record<Family, number>;
  return {
    families, seen: { ...set.seen, rows: set.rows.length },
    validation: { lifts: val.length, liftYears: val.reduce((t, s) => t + (s.to - s.from) / (365 * 86_400_000), 0), failures },
    seconds: { replay: (t1 - t0) / 1000, fit: (t2 - t1) / 1000, validation: (performance.now() - t2) / 1000 },
  };
}

const fmt = (v: number) => (Number.isNaN(v) ? 'n/a' : v.toFixed(1));

/** A family's scores over validation series. */
export function scored(series: readonly LiftSeries[], f: Family, predict: (x: ArrayLike<number>) => number): ScoredLift[] {
  const F = FEATURE_NAMES.length;
  return series.map((s) => {
    const scores = new Float32Array(s.times.length);
    for (let i = 0; i < scores.length; i++) scores[i] = predict(s.x.subarray(i * F, (i + 1) * F));
    return { from: s.from, to: s.to, times: s.times, scores, failures: s.failures.filter((x) => x.family === f).map((x) => x.ts), mix: s.mix };
  });
}

/** A rule's scores at a scale over validation series. */
export function ruleScored(series: readonly LiftSeries[], f: Family, scale: number): ScoredLift[] {
  return series.map((s) => {
    const scores = new Float32Array(s.times.length);
    for (let i = 0; i < scores.length; i++) scores[i] = ruleScore(f, s.rules, i * RULE_INPUTS, scale);
    return { from: s.from, to: s.to, times: s.times, scores, failures: s.failures.filter((x) => x.family === f).map((x) => x.ts), mix: s.mix };
  });
}

/** A family's model and rule scores, lift by lift, over validation series. */
export function pairsOf(series: readonly LiftSeries[], f: Family, predict: (x: ArrayLike<number>) => number, scale: number) {
  const model = scored(series, f, predict);
  const rule = ruleScored(series, f, scale);
  return model.map((m, i) => ({ model: m, rule: rule[i]! }));
}
