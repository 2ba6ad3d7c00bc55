import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { lwError } from '@liftwatch/contract';
import { EARLIER_FEATURE_VERSIONS, FEATURE_NAMES, FEATURE_VERSION, featureFingerprint } from '../features/definition.js';

/** Alert thresholds (serving/hysteresis.ts). */
const Thresholds = Type.Object({ raise: Type.Number(), clear: Type.Number(), minDurationMs: Type.Number(), clearMinDurationMs: Type.Optional(Type.Number()) }, { additionalProperties: false });

/** manifest.json beside model.onnx in models/artifacts/<id>/<version>/. */
export const ModelManifest = Type.Object({
  id: Type.String({ description: 'Model id, e.g. door-system' }),
  version: Type.String({ pattern: '^[0-9]+$', description: 'Version, an integer: higher is newer' }),
  family: Type.String({ description: 'Fault family it predicts' }),
  createdAt: Type.String({ description: 'ISO time of training' }),
  featureVersion: Type.String(),
  featureNames: Type.Array(Type.String()),
  featureFingerprint: Type.String({ description: 'sha256 of the feature version and names' }),
  featureSet: Type.Optional(Type.Array(Type.String(), {
    description: 'The features the learner was allowed (its family\'s own and the shared context): the model reads all of featureNames but gives no other any weight; absent: all of them (models trained before feature sets)',
  })),
  training: Type.Object({
    source: Type.String({ description: 'Where the data came from: "simulator" (the in-process fleet generator, summary mode)' }),
    generator: Type.String({ description: 'Simulator package version and a digest of its source and mixes' }),
    mixes: Type.Array(Type.String()),
    seeds: Type.Array(Type.Integer()),
    lifts: Type.Integer({ description: 'Lifts per mix and seed' }),
    days: Type.Number({ description: 'Simulated days per lift' }),
    liftYears: Type.Number(),
    learner: Type.String({ description: 'The learner kept on the validation lifts' }),
    labelHorizonDays: Type.Number({ description: 'A training sample is positive when the family fails within this many days' }),
    options: Type.Record(Type.String(), Type.Number()),
  }, { additionalProperties: false }),
  validation: Type.Object({
    mixes: Type.Array(Type.String()),
    seeds: Type.Array(Type.Integer()),
    lifts: Type.Integer(),
    days: Type.Number(),
    liftYears: Type.Number(),
    failures: Type.Integer({ description: 'Functional failures of this family in the validation lifts' }),
    horizonDays: Type.Number({ description: 'Evaluation horizon: an alert counts for a failure at most this long ahead' }),
    figures: Type.Record(Type.String(), Type.Number(), { description: 'The calibrated thresholds on the validation lifts: predicted72hPct, predicted24hPct, falsePer100LiftMonths, medianLeadH, alertTimePct (-1: not measurable)' }),
    learners: Type.Record(Type.String(), Type.Record(Type.String(), Type.Number()), { description: 'Every learner tried, at its own calibrated thresholds' }),
    rule: Type.Object({
      scale: Type.Number({ description: 'Scale of the rule limits chosen on the validation lifts (evaluate/threshold-rules.ts)' }),
      text: Type.String(),
      thresholds: Thresholds,
      figures: Type.Record(Type.String(), Type.Number()),
    }, { additionalProperties: false }),
  }, { additionalProperties: false }),
  serving: Type.Optional(Type.Object({
    predictor: Type.Union([Type.Literal('model'), Type.Literal('rule'), Type.Literal('model-or-rule')], {
      description: 'What raises the predicted alert: the model, the calibrated rule (validation.rule), or either (each through its own hysteresis); absent: the model',
    }),
    chosenOn: Type.String({ description: 'The lifts the choice was made on (the validation lifts, never evaluation lifts)' }),
    reason: Type.String({ description: 'The figures that chose it, in words' }),
    budget: Type.Optional(Type.Number({ description: 'False alerts per 100 lift-months every predictor and its thresholds were held to on the validation lifts (below the target of 1, for a margin)' })),
    figures: Type.Record(Type.String(), Type.Record(Type.String(), Type.Number()), { description: 'Each predictor\'s figures on those lifts (-1: not measurable)' }),
    byMix: Type.Optional(Type.Record(Type.String(), Type.Record(Type.String(), Type.Record(Type.String(), Type.Number())), {
      description: 'Each predictor\'s figures on each validation mix (predictor → mix → figures): the budget holds on every mix',
    })),
  }, { additionalProperties: false })),
  metrics: Type.Record(Type.String(), Type.Number()),
  importance: Type.Record(Type.String(), Type.Number()),
  featureStats: Type.Object({ mean: Type.Array(Type.Number()), std: Type.Array(Type.Number()) }),
  linear: Type.Optional(Type.Object({
    weights: Type.Array(Type.Number(), { description: 'Weight of each clipped, standardised feature' }),
    mean: Type.Array(Type.Number()),
    std: Type.Array(Type.Number()),
    low: Type.Array(Type.Number(), { description: 'Each feature is clipped to [low, high], its range in the fit rows, before it is standardised' }),
    high: Type.Array(Type.Number()),
  }, { additionalProperties: false, description: 'A logistic regression\'s terms (the model in model.onnx), so that its reasons are the terms that moved its score' })),
  thresholds: Thresholds,
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'sha256 of model.onnx' }),
}, { additionalProperties: false });
export type ModelManifest = Static<typeof ModelManifest>;

/** golden.json: inputs and the TypeScript model's outputs, which the ONNX export must reproduce. */
export const Golden = Type.Object({ tolerance: Type.Number(), inputs: Type.Array(Type.Array(Type.Number())), expected: Type.Array(Type.Number()) });
export type Golden = Static<typeof Golden>;

/** Parse a manifest; a wrong shape is LW_ERR_MODEL_INVALID. */
export function parseManifest(raw: unknown, where: string): ModelManifest {
  if (!Value.Check(ModelManifest, raw)) {
    const e = [...Value.Errors(ModelManifest, raw)][0];
    throw lwError('LW_ERR_MODEL_INVALID', `${where}: manifest.json does not match the manifest schema at ${e?.path ?? '?'} (${e?.message ?? '?'}); re-export the model with npm run models:train`);
  }
  return raw;
}

/** The predictor a manifest serves (train/predictor-choice.ts): its `serving` choice, or the model. */
export const servedPredictor = (m: ModelManifest): 'model' | 'rule' | 'model-or-rule' => m.serving?.predictor ?? 'model';

/**
 * Whether a model of an earlier feature version reads the first features of today's vector: its
 * version is one whose features are a prefix of today's (EARLIER_FEATURE_VERSIONS), its names are
 * those first features and its fingerprint is that version's.
 */
export function readsEarlierPrefix(m: ModelManifest): boolean {
  const n = EARLIER_FEATURE_VERSIONS[m.featureVersion];
  return n !== undefined && m.featureNames.length === n && m.featureNames.join(',') === FEATURE_NAMES.slice(0, n).join(',') &&
    m.featureFingerprint === featureFingerprint(m.featureVersion, m.featureNames);
}

/**
 * A model trained on other features than the running code refuses to load, unless it was trained on
 * an earlier version whose features are the first ones of today's (readsEarlierPrefix).
 */
export function assertFeaturesMatch(m: ModelManifest, where: string): void {
  if (readsEarlierPrefix(m)) return;
  if (m.featureVersion !== FEATURE_VERSION || m.featureFingerprint !== featureFingerprint() || m.featureNames.join(',') !== FEATURE_NAMES.join(',')) {
    const missing = FEATURE_NAMES.filter((n) => !m.featureNames.includes(n));
    const extra = m.featureNames.filter((n) => !FEATURE_NAMES.includes(n));
    throw lwError('LW_ERR_MODEL_FEATURE_MISMATCH',
      `${where}: the model was trained on feature version ${m.featureVersion} (${m.featureNames.length} features) but the running feature code is ${FEATURE_VERSION} (${FEATURE_NAMES.length} features)` +
      `${missing.length > 0 ? `; missing from the model: ${missing.join(', ')}` : ''}${extra.length > 0 ? `; unknown to the code: ${extra.join(', ')}` : ''}` +
      `${missing.length + extra.length === 0 && m.featureVersion === FEATURE_VERSION ? '; same names in another order or with another fingerprint' : ''}` +
      '; retrain it with npm run models:train, or run the feature code it was trained with');
  }
}
