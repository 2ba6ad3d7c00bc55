import { fileURLToPath } from 'node:url';
/** @liftwatch/models: features, training, ONNX export, registry, batched scoring and the health score (issue 6). */
export { FEATURES, FEATURE_NAMES, FEATURE_VERSION, FEATURE_WINDOWS, featureFingerprint } from './features/definition.js';
export { computeFeatures, type FeatureRow } from './features/compute.js';
export { anomalyScore } from './features/anomaly.js';
export { type LiftRecords, sortRecords, evidenceId } from './features/lift-records.js';
export { trainGbt, type GbtOptions } from './gbt/train.js';
export { predictProba, type GbtModel } from './gbt/tree.js';
export { exportOnnx } from './onnx/export.js';
export { openOnnxClassifier, type OnnxClassifier } from './onnx/session.js';
export { createRegistry, type Registry, type LoadedModel } from './registry/registry.js';
export { ModelManifest, assertFeaturesMatch } from './registry/manifest.js';
export { createScorer, SCORING_STREAMS, type Scorer, type PredictedAlert } from './serving/scorer.js';
export { createHysteresis } from './serving/hysteresis.js';
export { FAMILIES, FAMILY_NAMES, type Family, type LabelledLift } from './train/training-data.js';
export { MODEL_ID } from './train/publish.js';
export { readSimDataset } from './train/sim-dataset-reader.js';
export { createModelServing, FAMILY_CODE, type ModelServing, type ModelServingOptions, type ServedAlert } from './serving/serving.js';
export { createHealthService, type HealthHistoryPort, type HealthService } from './health/health-service.js';
export { stateHealthHistory } from './health/health-history.js';
export type { HealthView } from '@liftwatch/contract';
export { computeHealth, type HealthScore } from './health/health.js';
export { recomputeHealth, loadLiftRecords, type RecordReader } from './health/recompute.js';
export { HEALTH_PARAMS } from './health/params.js';
/** The models committed with the code (models/artifacts): what the platform serves by default. */
export const DEFAULT_ARTIFACTS_DIR: string = fileURLToPath(new URL('../artifacts', import.meta.url));
export { doorWearHistory } from './health/door-wear-example.js';
export { iterateSimDataset } from './train/sim-dataset-reader.js';
export { ensureSimDataset, SIM_SCENARIOS } from './train/sim-data.js';
