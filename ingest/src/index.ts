export { createIngest, DEFAULT_INGEST_CONFIG, type AlertSink, type Ingest, type IngestConfig, type IngestDeps, type LiftStateChanges, type Origin } from './ingest.js';
export { createDetector, DEFAULT_DETECTOR_CONFIG, type Detection, type DetectorConfig } from './detect/detector.js';
export { createGroupCommit } from './group-commit.js';
export { createSqliteLiftState, type SqliteLiftState, type StoreOp } from './store/sqlite-lift-state.js';
export { createSqliteTelemetry, DEFAULT_RETENTION, type RetentionConfig, type SqliteTelemetry } from './store/sqlite-telemetry.js';
export { createInfluxTelemetry, type InfluxTelemetry, type InfluxTelemetryConfig } from './store/influx-telemetry.js';
export type { Bucket, DailyCount, RangeQuery, TelemetryRow, TelemetryStore } from './store/telemetry-store.js';
export { createRedisRuleState, type RedisRuleState, type SharedLiftState } from './store/redis-rule-state.js';
export type { SharedRuleState } from './ingest.js';
