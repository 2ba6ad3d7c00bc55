import type { RecordStream } from '@liftwatch/contract';

/** One accepted record as the telemetry store keeps it. */
export interface TelemetryRow {
  readonly liftId: string;
  readonly stream: RecordStream;
  readonly seq: number;
  /** Device time, ms. */
  readonly ts: number;
  /** Server receive time, ms. */
  readonly rx: number;
  readonly record: Record<string, unknown>;
  /** `record` as JSON, when the caller has it already (ingest serialises each record once). */
  readonly body?: string | undefined;
}

/** One time bucket of one field: what a chart draws. */
export interface Bucket {
  /** Start of the bucket, ms. */
  readonly t: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly count: number;
}

export interface RangeQuery {
  readonly liftId: string;
  readonly stream: RecordStream;
  readonly field: string;
  readonly fromMs: number;
  readonly toMs: number;
  /** Bucket width, ms; the store picks raw records or a rollup that fits it. */
  readonly bucketMs: number;
}

export interface DailyCount { readonly liftId: string; readonly day: string; readonly count: number }

/**
 * The telemetry store port (docs/conventions.md#8-ports-and-their-contract-suites): one interface, one contract test suite
 * (ingest/test/telemetry-store-contract.ts) that every adapter passes: SQLite (the all-in-one
 * default) and InfluxDB.
 */
export interface TelemetryStore {
  readonly name: string;
  /**
   * Stores a batch; done when durable. Returns, per row, true when it was new and false when the
   * store already held that (lift, seq); `undefined` when the store cannot tell (InfluxDB overwrites
   * a replay in place, which is just as idempotent).
   */
  write(rows: readonly TelemetryRow[]): Promise<boolean[] | undefined>;
  /** The newest record of a lift, of one stream or of any. */
  latest(liftId: string, stream?: RecordStream): Promise<TelemetryRow | undefined>;
  /** The newest record of one stream for each of the given lifts (e.g. every lift of a district). */
  latestPerLift(stream: RecordStream, liftIds: readonly string[]): Promise<Map<string, TelemetryRow>>;
  /** One field of one lift over a time range, aggregated per bucket (min, max, mean, count). */
  range(q: RangeQuery): Promise<Bucket[]>;
  /** The newest records of a lift, newest first, of one stream or of all; `fromTs`: only those of that time (ms) or later. */
  recent(liftId: string, opts: { stream?: RecordStream | undefined; limit: number; fromTs?: number }): Promise<TelemetryRow[]>;
  /** Records per lift per UTC day, e.g. door cycles or faults per day. */
  dailyCounts(stream: RecordStream, fromMs: number, toMs: number, liftId?: string): Promise<DailyCount[]>;
  close(): Promise<void>;
}

export const DAY_MS = 86_400_000;
export const dayOf = (ms: number): string => new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
