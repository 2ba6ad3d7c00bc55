import { FEATURE_NAMES } from '../features/definition.js';
import { predictLogistic, trainLogistic, type LogisticModel } from '../gbt/logistic.js';
import { trainGbt, type GbtOptions } from '../gbt/train.js';
import { featureImportance, predictProba, type GbtModel } from '../gbt/tree.js';
import type { Family } from './families.js';
import { FAMILY_FEATURES, featureMask } from './family-features.js';
import { familyRows, type TrainingSet } from './training-set.js';

/** Features whose rise can only raise a failure score (drifts, excesses, rates): the monotone learner's constraints. */
const NOT_MONOTONE = new Set(['usageRatio', 'baselineMaturity']);
const MONOTONE = FEATURE_NAMES.map((n) => (NOT_MONOTONE.has(n) ? 0 : 1));

const GBT3 = { rounds: 120, maxDepth: 3, learningRate: 0.1, minChildWeight: 5 };
const GBT5 = { rounds: 120, maxDepth: 5, learningRate: 0.05, minChildWeight: 10 };
/** Stumps: an additive model (one function per feature), the trees' answer to the logistic regression. */
const GBT1 = { rounds: 300, maxDepth: 1, learningRate: 0.05, minChildWeight: 10 };

/**
 * The learners tried per family, kept or dropped on the validation lifts: a model, its options and
 * the label horizon it is fitted to (a sample is positive when the family fails within that many
 * days). Every one is servable: the trees as an ONNX TreeEnsembleClassifier (onnx/export.ts), the
 * logistic regression as an ONNX MatMul/Add/Sigmoid graph (onnx/export-logistic.ts).
 */
export const LEARNERS = Object.freeze({
  'gbt-depth1-28d': { kind: 'gbt', labelDays: 28, options: GBT1 },
  'gbt-depth3-14d': { kind: 'gbt', labelDays: 14, options: GBT3 },
  'gbt-depth3-28d': { kind: 'gbt', labelDays: 28, options: GBT3 },
  'gbt-depth5-28d': { kind: 'gbt', labelDays: 28, options: GBT5 },
  'gbt-depth3-monotone-28d': { kind: 'gbt', labelDays: 28, options: { ...GBT3, monotone: MONOTONE } },
  'logistic-28d': { kind: 'logistic', labelDays: 28, options: { lambda: 1 } },
} as const satisfies Record<string, { kind: 'gbt' | 'logistic'; labelDays: number; options: object }>);
export type LearnerName = keyof typeof LEARNERS;
export const LEARNER_NAMES = Object.freeze(Object.keys(LEARNERS) as LearnerName[]);

export interface TrainedFamily {
  readonly family: Family;
  readonly learner: LearnerName;
  readonly labelDays: number;
  /** The features its learner was allowed (family-features.ts); it gives none other any weight. */
  readonly featureSet: readonly string[];
  readonly predict: (x: ArrayLike<number>) => number;
  /** The fitted model, to export: trees or a logistic regression. */
  readonly model: { readonly kind: 'gbt'; readonly trees: GbtModel } | { readonly kind: 'logistic'; readonly linear: LogisticModel };
  readonly importance: Record<string, number>;
  /** Mean and standard deviation of each feature over the training rows (for top-feature reasons). */
  readonly featureStats: { mean: number[]; std: number[] };
  readonly metrics: { samples: number; positives: number; trainAuc: number };
  /** Up to 32 training rows, positives first: the golden inputs. */
  readonly goldenInputs: number[][];
}

/** Rows one family's model is fitted on at most (all its positives, the others drawn and weighted). */
export const MAX_FIT_ROWS = 150_000;

/**
 * Train one family's classifier with one learner, on the family's feature set (the model reads the
 * whole vector; outside the set the trees never split and the logistic regression's weights are 0).
 * Deterministic: same set and learner, same model.
 */
export function trainFamily(set: TrainingSet, family: Family, learner: LearnerName, maxRows = MAX_FIT_ROWS, featureSet: readonly string[] = FAMILY_FEATURES[family]): TrainedFamily {
  const spec = LEARNERS[learner];
  const features = featureMask(featureSet);
  const fit = familyRows(set, set.labels(family, spec.labelDays * 86_400_000), maxRows);
  const x = fit.x;
  const y = fit.y;
  let predict: (v: ArrayLike<number>) => number;
  let model: TrainedFamily['model'];
  let imp: number[];
  if (spec.kind === 'gbt') {
    const trained = trainGbt(x, y, { ...(spec.options as GbtOptions), features }, fit.w);
    model = { kind: 'gbt', trees: trained };
    predict = (v) => predictProba(trained, v);
    imp = featureImportance(trained);
  } else {
    const lr = trainLogistic(x, y, { ...spec.options, features }, fit.w);
    model = { kind: 'logistic', linear: lr };
    predict = (v) => predictLogistic(lr, v);
    const total = lr.weights.reduce((t, w) => t + Math.abs(w), 0) || 1;
    imp = lr.weights.map((w) => Math.abs(w) / total);
  }
  const p = x.map((r) => predict(r));
  const pos = y.map((v, i) => (v === 1 ? i : -1)).filter((i) => i >= 0).filter((_, k) => k % 13 === 0).slice(0, 16);
  const neg = y.map((v, i) => (v === 0 ? i : -1)).filter((i) => i >= 0).filter((_, k) => k % 37 === 0).slice(0, 32 - pos.length);
  return {
    family, learner, labelDays: spec.labelDays, featureSet: FEATURE_NAMES.filter((_, i) => features[i]), predict, model, featureStats: columnStats(x),
    importance: Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, round(imp[i] ?? 0)])),
    metrics: { samples: y.length, positives: y.reduce((a, b) => a + b, 0), trainAuc: round(auc(p, y)) },
    goldenInputs: [...pos, ...neg].map((i) => Array.from(x[i]!)),
  };
}

function columnStats(x: readonly Float32Array[]): { mean: number[]; std: number[] } {
  const f = x[0]?.length ?? 0;
  const mean = new Array<number>(f).fill(0);
  const sq = new Array<number>(f).fill(0);
  for (const r of x) for (let j = 0; j < f; j++) { mean[j]! += r[j]!; sq[j]! += r[j]! * r[j]!; }
  const n = Math.max(x.length, 1);
  return { mean: mean.map((m) => round(m / n)), std: sq.map((s, j) => round(Math.sqrt(Math.max(s / n - (mean[j]! / n) ** 2, 1e-12)))) };
}

/** Area under the ROC curve by the rank-sum (Mann–Whitney U) formula. */
export function auc(p: readonly number[], y: readonly number[]): number {
  const idx = p.map((v, i) => i).sort((a, b) => p[a]! - p[b]!);
  let rankSum = 0; let pos = 0;
  idx.forEach((i, r) => { if (y[i] === 1) { rankSum += r + 1; pos++; } });
  const neg = y.length - pos;
  return pos === 0 || neg === 0 ? 0.5 : (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;
