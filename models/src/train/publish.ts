import { FEATURE_NAMES, FEATURE_VERSION, featureFingerprint } from '../features/definition.js';
import { predictProba } from '../gbt/tree.js';
import { exportOnnx } from '../onnx/export.js';
import { writeArtifact } from '../registry/registry.js';
import type { Registry } from '../registry/registry.js';
import type { TrainedFamily } from './train-models.js';
import type { Family } from './training-data.js';

/** The registry id of each family's model. */
export const MODEL_ID: Readonly<Record<Family, string>> = Object.freeze({
  doorSystem: 'door-system', guidesRide: 'guides-ride', brake: 'brake', tractionRopes: 'traction-ropes', driveThermal: 'drive-thermal',
});

/** Default alert thresholds (hysteresis) written into each manifest; the scorer reads them from there. */
export const DEFAULT_THRESHOLDS = Object.freeze({ raise: 0.7, clear: 0.4, minDurationMs: 12 * 3_600_000 });

export interface TrainingMeta {
  source: string;
  scenarios: string[];
  seeds: number[];
  lifts: number;
  horizonDays: number;
  options: Record<string, number>;
}

/** Export each trained family to ONNX and write it as the next version in the registry. */
export function publishFamilies(registry: Registry, trained: readonly TrainedFamily[], meta: TrainingMeta, now = new Date(), thresholds: Partial<Record<Family, { raise: number; clear: number; minDurationMs: number }>> = {}): { id: string; version: string; dir: string }[] {
  return trained.map((t) => {
    const id = MODEL_ID[t.family];
    const version = registry.nextVersion(id);
    const onnx = exportOnnx(t.model, { name: id, version });
    const golden = { tolerance: 1e-5, inputs: t.goldenInputs, expected: t.goldenInputs.map((x) => predictProba(t.model, Float32Array.from(x))) };
    const dir = writeArtifact(registry.root, onnx, {
      id, version, family: t.family, createdAt: now.toISOString(),
      featureVersion: FEATURE_VERSION, featureNames: [...FEATURE_NAMES], featureFingerprint: featureFingerprint(),
      training: meta, metrics: t.metrics, importance: t.importance, featureStats: t.featureStats, thresholds: { ...(thresholds[t.family] ?? DEFAULT_THRESHOLDS) },
    }, golden);
    return { id, version, dir };
  });
}
