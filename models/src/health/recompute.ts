import { LiftFeatureState, type AnyRecord, type FeatureStream } from '../features/lift-state.js';
import { computeHealth, type HealthScore } from './health.js';
import { platformAlert, type AlertLike, type LiftEvents } from './platform-events.js';

/**
 * What recompute needs of a telemetry store: the `recent` query of the TelemetryStore port
 * (ingest/src/store/telemetry-store.ts), matched structurally so that models does not depend on
 * ingest. Both the SQLite and the InfluxDB adapters provide it.
 */
export interface RecordReader {
  /** The newest records of a lift, newest first; `fromTs`: only those of that time (ms) or later. */
  recent(liftId: string, opts: { stream?: 'trip' | 'door' | 'env' | 'fault' | 'status'; limit: number; fromTs?: number }): Promise<readonly { ts: number; rx?: number; record: Record<string, unknown> }[]>;
}

/** Where recompute reads a lift's alerts and maintenance visits: the state store, structurally. */
export interface EventReader {
  alerts: { list(filter: { liftId: string; limit: number }): Promise<readonly AlertLike[]> };
  visits: { list(liftId: string, limit: number): Promise<ReadonlyArray<{ startedAt: number }>> };
}

const STREAMS: readonly FeatureStream[] = ['trip', 'door', 'env', 'fault', 'status'];

/**
 * A lift's feature state rebuilt from its stored records in the order the platform received them
 * (receive time, then seq: the served state's order), those received up to `recordsTo`. The state's
 * own rule skips a record older than the newest of its stream in both, so the rebuilt state equals
 * the served one whatever order the records arrived in, as long as the store still holds the lift's
 * first records (raw retention).
 */
export async function replayStored(store: RecordReader, liftId: string, recordsTo: number, limit = 1_000_000): Promise<LiftFeatureState> {
  const rows: Array<{ stream: FeatureStream; rx: number; record: AnyRecord }> = [];
  for (const stream of STREAMS) {
    for (const r of await store.recent(liftId, { stream, limit })) {
      const rx = r.rx ?? r.ts;
      if (rx <= recordsTo) rows.push({ stream, rx, record: r.record as AnyRecord });
    }
  }
  rows.sort((a, b) => a.rx - b.rx || a.record.seq - b.record.seq);
  const state = new LiftFeatureState(liftId);
  for (const r of rows) state.add(r.stream, r.record, r.rx);
  return state;
}

/** A lift's alerts and visits as the state store holds them. */
export async function readEvents(events: EventReader, liftId: string): Promise<LiftEvents> {
  const alerts = (await events.alerts.list({ liftId, limit: 100_000 })).map(platformAlert);
  const visits = (await events.visits.list(liftId, 100_000)).map((v) => v.startedAt).sort((a, b) => a - b);
  return { alerts, visits };
}

/**
 * `npm run models:health -- recompute <liftId>`: the health score from the stored records and the
 * platform's alerts and visits alone, as of `at` (the served score's `at`) with the records received
 * by then (or by `recordsTo`).
 */
export async function recomputeHealth(store: RecordReader, events: EventReader | undefined, liftId: string, at: number, recordsTo = at): Promise<HealthScore> {
  const state = await replayStored(store, liftId, recordsTo);
  return computeHealth(state, at, events === undefined ? {} : { events: await readEvents(events, liftId) });
}
