import { fileURLToPath } from 'node:url';
/** @liftwatch/models: streaming features, training, ONNX export, registry, batched scoring, the health score and the evaluation. */
export { FEATURES, FEATURE_NAMES, FEATURE_VERSION, featureFingerprint, featuresAt, featureVector, type FeatureRow } from './features/definition.js';
export { computeStats, type FeatureStats } from './features/feature-stats.js';
export { LiftFeatureState, FEATURE_STREAMS } from './features/lift-state.js';
export { stateFromJson, stateToJson, type FeatureStateJson } from './features/state-codec.js';
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
export { FAMILIES, FAMILY_NAMES, MODEL_ID, type Family, type FailureLabel } from './train/families.js';
export { replayLift, type LiftSeries } from './train/replay.js';
export { createModelServing, FAMILY_CODE, type ModelServing, type ModelServingOptions, type ServedAlert, type StoredRow } from './serving/serving.js';
export { sqliteFeatureStates, type FeatureStatePort } from './serving/feature-states.js';
export { createHealthService, sqliteHealthHistory, type HealthHistoryPort, type HealthService } from './health/health-service.js';
export type { HealthView } from '@liftwatch/contract';
export { computeHealth, type HealthScore } from './health/health.js';
export { recomputeHealth, loadLiftRecords, type RecordReader } from './health/recompute.js';
export { HEALTH_PARAMS } from './health/params.js';
/** The models committed with the code (models/artifacts): what the platform serves by default. */
export const DEFAULT_ARTIFACTS_DIR: string = fileURLToPath(new URL('../artifacts', import.meta.url));
export { simulatedDoorWear, type SimulatedHistoryOptions } from './health/simulated-history.js';
