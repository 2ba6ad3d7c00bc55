import { ROLLUP_FIELDS, ROLLUP_HOUR_MS, type LiftRecord } from '@liftwatch/contract';
import type { RollupRow, TelemetryRow } from '@liftwatch/ingest';
import type { DemoHour } from '@liftwatch/simulator';

const DAY_MS = 86_400_000;
/** Days at the end of a demo history kept record by record (the evidence of alerts and scores, the latest charts). */
export const HISTORY_RAW_DAYS = 2;
/** How long a simulated maintenance visit keeps the lift in inspection mode (the simulator's visit), ms. */
const VISIT_MS = 45 * 60_000;
/** Streams kept record by record over the whole history: rare, and what health and the lift page list. */
const RARE_STREAMS: ReadonlySet<string> = new Set(['fault', 'alarm', 'registry']);

/** Where a demo history is written: the SQLite telemetry store (records and whole rollup buckets). */
export interface HistoryStore {
  write(rows: readonly TelemetryRow[]): Promise<unknown>;
  putRollups(rows: readonly RollupRow[]): void;
}

/** Maintenance visits of the state store. */
export interface HistoryVisits {
  start(input: { liftId: string; technician: string; source: 'terminal'; at: number; endsBy: number }): Promise<unknown>;
  stop(liftId: string, reason: string, at: number): Promise<unknown>;
  list(liftId: string, limit: number): Promise<Array<{ startedAt: number }>>;
}

type Stats = Record<string, [number, number, number, number]>;
/** Sums without the float noise of adding decimals (123.01000000000002 → 123.01): a fifth less to store. */
const trimmed = (r: RollupRow & { stats: Stats }): RollupRow => ({ ...r, stats: Object.fromEntries(Object.entries(r.stats).map(([f, [a, b, sum, n]]) => [f, [a, b, Number(sum.toPrecision(12)), n]])) });

/**
 * One lift's history on its way to the store, as the store would hold it after its retention: the
 * newest `HISTORY_RAW_DAYS` record by record (rollups updated as ingest does), older days as hourly
 * rollups of trips, doors and env with their rare records (faults, alarms, registry, changes of
 * service mode) kept one by one. Written at the end in a few transactions; idempotent (records are
 * deduplicated by the store, rollup buckets replaced), so an interrupted history is written again.
 */
export function createHistoryWriter(liftId: string, endMs: number) {
  const rawFrom = Math.floor((endMs - HISTORY_RAW_DAYS * DAY_MS) / ROLLUP_HOUR_MS) * ROLLUP_HOUR_MS;
  const raw: TelemetryRow[] = [];
  const rollups = new Map<string, RollupRow & { stats: Stats }>();
  const visits: number[] = [];
  let mode: unknown;

  function rollUp(r: LiftRecord): void {
    const fields = ROLLUP_FIELDS[r.stream];
    if (!fields) return;
    const bucket = r.record.ts - (r.record.ts % ROLLUP_HOUR_MS);
    const key = `${r.stream}|${bucket}`;
    let row = rollups.get(key);
    if (!row) rollups.set(key, (row = { res: ROLLUP_HOUR_MS, liftId, stream: r.stream, bucket, stats: {} }));
    const rec = r.record as unknown as Record<string, unknown>;
    for (const f of fields) {
      const v = rec[f];
      if (typeof v !== 'number') continue;
      const s = row.stats[f];
      if (!s) row.stats[f] = [v, v, v, 1];
      else { if (v < s[0]) s[0] = v; if (v > s[1]) s[1] = v; s[2] += v; s[3]++; }
    }
  }

  /** Keeps what the store keeps of a record from before the raw days. */
  function older(r: LiftRecord): void {
    if (RARE_STREAMS.has(r.stream)) keep(r);
    else if (r.stream === 'status') {
      const m = (r.record as { serviceMode?: unknown }).serviceMode;
      if (m !== mode) keep(r); // heartbeats are not kept, changes of service mode are
      mode = m;
    } else rollUp(r);
  }

  const keep = (r: LiftRecord) => raw.push({ liftId, stream: r.stream, seq: r.record.seq, ts: r.record.ts, rx: r.record.ts, record: r.record as unknown as Record<string, unknown> });

  return {
    /** One simulated hour of the lift. */
    add(hour: DemoHour): void {
      for (const r of hour.records) {
        if (r.record.ts >= rawFrom) keep(r);
        else older(r);
      }
      for (const t of hour.truth) if (t.type === 'maintenance') visits.push(t.ts);
    },
    /** Writes it: records and rollups to the store, maintenance visits to the state store (those after its latest). */
    async flush(store: HistoryStore | undefined, crew: HistoryVisits | undefined, technician: string): Promise<{ records: number; rollups: number; visits: number }> {
      if (store) {
        for (let i = 0; i < raw.length; i += 5000) await store.write(raw.slice(i, i + 5000));
        store.putRollups([...rollups.values()].map(trimmed));
      }
      let written = 0;
      if (crew) {
        const latest = (await crew.list(liftId, 1))[0]?.startedAt ?? -Infinity;
        for (const at of visits.filter((v) => v > latest)) {
          await crew.start({ liftId, technician, source: 'terminal', at, endsBy: at + 4 * VISIT_MS });
          await crew.stop(liftId, 'service mode back to normal', at + VISIT_MS);
          written++;
        }
      }
      return { records: store ? raw.length : 0, rollups: store ? rollups.size : 0, visits: written };
    },
  };
}
