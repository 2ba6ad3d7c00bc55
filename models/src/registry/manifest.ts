import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { lwError } from '@liftwatch/contract';
import { FEATURE_NAMES, FEATURE_VERSION, featureFingerprint } from '../features/definition.js';

/** manifest.json beside model.onnx in models/artifacts/<id>/<version>/ (issue 6 §3). */
export const ModelManifest = Type.Object({
  id: Type.String({ description: 'Model id, e.g. door-system' }),
  version: Type.String({ pattern: '^[0-9]+$', description: 'Version, an integer: higher is newer' }),
  family: Type.String({ description: 'Fault family it predicts' }),
  createdAt: Type.String({ description: 'ISO time of training' }),
  featureVersion: Type.String(),
  featureNames: Type.Array(Type.String()),
  featureFingerprint: Type.String({ description: 'sha256 of the feature version and names' }),
  training: Type.Object({
    source: Type.String({ description: '"synthetic-stand-in" until the simulator dataset is merged, or the dataset dir' }),
    scenarios: Type.Array(Type.String()),
    seeds: Type.Array(Type.Integer()),
    lifts: Type.Integer(),
    horizonDays: Type.Number(),
    options: Type.Record(Type.String(), Type.Number()),
  }),
  metrics: Type.Record(Type.String(), Type.Number()),
  importance: Type.Record(Type.String(), Type.Number()),
  featureStats: Type.Object({ mean: Type.Array(Type.Number()), std: Type.Array(Type.Number()) }),
  thresholds: Type.Object({ raise: Type.Number(), clear: Type.Number(), minDurationMs: Type.Number() }),
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

/** A model trained on other features than the running code refuses to load (issue 6 §3). */
export function assertFeaturesMatch(m: ModelManifest, where: string): void {
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
