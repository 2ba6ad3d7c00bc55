import type { DoorRecord, EnvRecord, FaultRecord, TripRecord } from '@liftwatch/contract';
import { sortRecords, type LiftRecords } from '../features/lift-records.js';
import { computeHealth, type HealthScore } from './health.js';
import { HEALTH_PARAMS } from './params.js';

/**
 * What recompute needs of a telemetry store: the `recent` query of the TelemetryStore port
 * (ingest/src/store/telemetry-store.ts), matched structurally so that models does not depend on
 * ingest. Both the SQLite and the InfluxDB adapters provide it.
 */
export interface RecordReader {
  recent(liftId: string, opts: { stream?: 'trip' | 'door' | 'env' | 'fault' | 'status'; limit: number }): Promise<readonly { ts: number; rx?: number; record: Record<string, unknown> }[]>;
}

/** Load a lift's trip, door, env and fault records of the health window from a store. */
export async function loadLiftRecords(store: RecordReader, liftId: string, from: number, to: number, limit = 500_000): Promise<LiftRecords> {
  const get = async <T>(stream: 'trip' | 'door' | 'env' | 'fault') => (await store.recent(liftId, { stream, limit })).filter((r) => r.ts >= from && r.ts < to).map((r) => r.record as T);
  return sortRecords({ liftId, trips: await get<TripRecord>('trip'), doors: await get<DoorRecord>('door'), envs: await get<EnvRecord>('env'), faults: await get<FaultRecord>('fault') });
}

/** `liftwatch health recompute <liftId>`: the health score from the stored records alone. */
export async function recomputeHealth(store: RecordReader, liftId: string, at: number): Promise<HealthScore> {
  const windowMs = (HEALTH_PARAMS.rareWindowDays + HEALTH_PARAMS.recentDays) * 86_400_000;
  return computeHealth(await loadLiftRecords(store, liftId, at - windowMs, at), at);
}
