import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEATURE_NAMES, FEATURE_VERSION, featureFingerprint } from '../src/features/definition.js';
import { predictLogistic, trainLogistic } from '../src/gbt/logistic.js';
import { trainGbt } from '../src/gbt/train.js';
import { featureImportance, predictProba } from '../src/gbt/tree.js';
import { exportOnnx } from '../src/onnx/export.js';
import { exportLogisticOnnx } from '../src/onnx/export-logistic.js';
import { createRegistry, writeArtifact, type Registry } from '../src/registry/registry.js';
import { FAMILY_NAMES, MODEL_ID, type Family } from '../src/train/families.js';
import { prng } from '../src/train/prng.js';
import { linearTerms } from '../src/train/publish.js';

/** The feature that gives each family away in the fixture models. */
export const KEY_FEATURE: Readonly<Record<Family, string>> = {
  doorSystem: 'doorMotorIDrift', guidesRide: 'vibA95XYDrift', brake: 'brakeDropDrift', tractionRopes: 'relevelsPer100Excess', driveThermal: 'tempResidualExcessC',
};
export const FIXTURE_THRESHOLDS = Object.freeze({ raise: 0.7, clear: 0.4, minDurationMs: 12 * 3_600_000 });

/**
 * A registry of small models for serving tests (not trained on telemetry): each family's model
 * scores high when its key feature is above 0.2 (a worn part drifting 20 % from its baseline),
 * whatever the others. Serving mechanics are tested against it, independently of how well the
 * committed models predict.
 */
export function fixtureRegistry(): { registry: Registry; dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'lw-models-'));
  const registry = createRegistry(dir);
  const r = prng(11);
  const x = Array.from({ length: 600 }, () => Float32Array.from(FEATURE_NAMES, () => 0.05 * r.normal()));
  for (const f of FAMILY_NAMES) {
    const k = FEATURE_NAMES.indexOf(KEY_FEATURE[f]);
    const rows = x.map((v, i) => { const c = Float32Array.from(v); if (i % 3 === 0) c[k] = 0.2 + r.next(); return c; });
    const y = rows.map((v) => (v[k]! > 0.2 ? 1 : 0));
    const model = trainGbt(rows, y, { rounds: 20, maxDepth: 2 });
    const id = MODEL_ID[f];
    const golden = rows.slice(0, 8).map((v) => Array.from(v));
    const rule = { scale: 1, text: 'fixture', thresholds: { raise: 1, clear: 0.999, minDurationMs: 0 }, figures: {} };
    writeArtifact(dir, exportOnnx(model, { name: id, version: '1' }), {
      id, version: '1', family: f, createdAt: '2026-01-01T00:00:00.000Z', featureVersion: FEATURE_VERSION, featureNames: [...FEATURE_NAMES], featureFingerprint: featureFingerprint(),
      training: { source: 'test fixture', generator: 'none', mixes: [], seeds: [], lifts: 0, days: 0, liftYears: 0, learner: 'gbt-depth2', labelHorizonDays: 14, options: {} },
      validation: { mixes: [], seeds: [], lifts: 0, days: 0, liftYears: 0, failures: 0, horizonDays: 30, figures: {}, learners: {}, rule },
      metrics: {}, importance: Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, featureImportance(model)[i] ?? 0])),
      featureStats: { mean: FEATURE_NAMES.map(() => 0), std: FEATURE_NAMES.map(() => 0.05) }, thresholds: { ...FIXTURE_THRESHOLDS },
    }, { tolerance: 1e-5, inputs: golden, expected: golden.map((v) => predictProba(model, Float32Array.from(v))) });
  }
  return { registry, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Adds to a fixture registry a version of one family's model that is a logistic regression (the
 * learner 'logistic-28d'), fitted on the same kind of rows: high when the key feature is above 0.2.
 */
export function addLogisticVersion(dir: string, f: Family, version: string): void {
  const r = prng(12);
  const k = FEATURE_NAMES.indexOf(KEY_FEATURE[f]);
  const trouble = FEATURE_NAMES.indexOf('doorTroubleShare');
  // door trouble is all but constant, as in the real traction rows: 0 but on one lift without the fault
  const rows = Array.from({ length: 600 }, (_, i) => {
    const c = Float32Array.from(FEATURE_NAMES, () => 0.05 * r.normal());
    c[trouble] = i === 4 ? 0.002 : 0;
    if (i % 3 === 0) c[k] = 0.2 + r.next();
    return c;
  });
  const y = rows.map((v) => (v[k]! > 0.2 ? 1 : 0));
  const model = trainLogistic(rows, y, { lambda: 1 });
  const id = MODEL_ID[f];
  const golden = rows.slice(0, 8).map((v) => Array.from(v));
  const total = model.weights.reduce((t, w) => t + Math.abs(w), 0);
  const rule = { scale: 1, text: 'fixture', thresholds: { raise: 1, clear: 0.999, minDurationMs: 0 }, figures: {} };
  writeArtifact(dir, exportLogisticOnnx(model, { name: id, version }), {
    id, version, family: f, createdAt: '2026-01-02T00:00:00.000Z', featureVersion: FEATURE_VERSION, featureNames: [...FEATURE_NAMES], featureFingerprint: featureFingerprint(),
    training: { source: 'test fixture', generator: 'none', mixes: [], seeds: [], lifts: 0, days: 0, liftYears: 0, learner: 'logistic-28d', labelHorizonDays: 28, options: {} },
    validation: { mixes: [], seeds: [], lifts: 0, days: 0, liftYears: 0, failures: 0, horizonDays: 30, figures: {}, learners: {}, rule },
    metrics: {}, importance: Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, Math.abs(model.weights[i]!) / total])),
    featureStats: { mean: FEATURE_NAMES.map(() => 0), std: FEATURE_NAMES.map(() => 0.05) }, linear: linearTerms(model), thresholds: { ...FIXTURE_THRESHOLDS },
  }, { tolerance: 1e-5, inputs: golden, expected: golden.map((v) => predictLogistic(model, Float32Array.from(v))) });
}

/**
 * Makes a fixture registry's brake family serve model-or-rule, its rule at scale 1 (brake drop limit
 * 280 ms), raised after 12 h over the limit and cleared after 24 h under it.
 */
export function serveBrakeRule(dir: string): void {
  const HOUR = 3_600_000;
  const file = join(dir, 'brake', '1', 'manifest.json');
  const m = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & { validation: { rule: Record<string, unknown> } };
  m.validation.rule = { ...m.validation.rule, scale: 1, thresholds: { raise: 1, clear: 0.999_999, minDurationMs: 12 * HOUR, clearMinDurationMs: 24 * HOUR } };
  m['serving'] = { predictor: 'model-or-rule', chosenOn: 'validation', reason: 'test', figures: {} };
  writeFileSync(file, JSON.stringify(m));
}
