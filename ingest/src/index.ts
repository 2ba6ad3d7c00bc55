export { createIngest, DEFAULT_INGEST_CONFIG, type AlertSink, type Ingest, type IngestConfig, type IngestDeps, type Origin } from './ingest.js';
export { createDetector, DEFAULT_DETECTOR_CONFIG, type Detection, type DetectorConfig } from './detect/detector.js';
export { createGroupCommit } from './group-commit.js';
export { createSqliteTelemetryStore, type SqliteTelemetryStore, type StoreOp } from './sqlite-telemetry-store.js';
