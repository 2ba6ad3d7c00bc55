import type Database from 'better-sqlite3';
import { ROLLUP_FIELDS, ROLLUP_HOUR_MS, ROLLUP_MINUTE_MS, type RecordStream } from '@liftwatch/contract';
import { dayOf, DAY_MS, type Bucket, type DailyCount, type RangeQuery, type TelemetryRow, type TelemetryStore } from './telemetry-store.js';

export interface RetentionConfig {
  /** Raw records are kept this many days. @defaultValue 90 */
  readonly rawDays: number;
  /** 1-minute rollups are kept this many days. @defaultValue 400 */
  readonly minuteDays: number;
  /** 1-hour rollups are kept this many days. @defaultValue 3650 */
  readonly hourDays: number;
}
export const DEFAULT_RETENTION: RetentionConfig = Object.freeze({ rawDays: 90, minuteDays: 400, hourDays: 3650 });

const SCHEMA = `
CREATE TABLE IF NOT EXISTS records (
  lift_id TEXT NOT NULL, seq INTEGER NOT NULL, stream TEXT NOT NULL, ts INTEGER NOT NULL, rx_ts INTEGER NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (lift_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS records_by_stream_ts ON records (lift_id, stream, ts);
CREATE TABLE IF NOT EXISTS rollups (
  res INTEGER NOT NULL, lift_id TEXT NOT NULL, stream TEXT NOT NULL, field TEXT NOT NULL, bucket INTEGER NOT NULL,
  min REAL NOT NULL, max REAL NOT NULL, sum REAL NOT NULL, count INTEGER NOT NULL,
  PRIMARY KEY (res, lift_id, stream, field, bucket)
) WITHOUT ROWID;
`;

interface RollupAcc { res: number; liftId: string; stream: string; field: string; bucket: number; min: number; max: number; sum: number; count: number }
interface RecordRow { lift_id: string; seq: number; stream: RecordStream; ts: number; rx_ts: number; body: string }

const toRow = (r: RecordRow): TelemetryRow => ({ liftId: r.lift_id, stream: r.stream, seq: r.seq, ts: r.ts, rx: r.rx_ts, record: JSON.parse(r.body) as Record<string, unknown> });

/**
 * The SQLite telemetry store: raw records deduplicated by (lift, seq), and 1-minute and 1-hour
 * rollups of the fields in ROLLUP_FIELDS, updated incrementally in the same transaction as the
 * records. `writeSync` lets ingest put records and lift state in one transaction (one fsync).
 */
export function createSqliteTelemetry(db: Database.Database, retention: RetentionConfig = DEFAULT_RETENTION) {
  db.exec(SCHEMA);
  const insert = db.prepare(`INSERT OR IGNORE INTO records (lift_id, seq, stream, ts, rx_ts, body) VALUES (?, ?, ?, ?, ?, ?)`);
  const upsertRollup = db.prepare(`INSERT INTO rollups (res, lift_id, stream, field, bucket, min, max, sum, count) VALUES (@res, @liftId, @stream, @field, @bucket, @min, @max, @sum, @count)
    ON CONFLICT (res, lift_id, stream, field, bucket) DO UPDATE SET min = min(min, excluded.min), max = max(max, excluded.max), sum = sum + excluded.sum, count = count + excluded.count`);

  function writeSync(rows: readonly TelemetryRow[]): boolean[] {
    const fresh: boolean[] = [];
    const acc = new Map<string, RollupAcc>();
    for (const r of rows) {
      const isNew = insert.run(r.liftId, r.seq, r.stream, r.ts, r.rx, JSON.stringify(r.record)).changes > 0;
      fresh.push(isNew);
      const fields = isNew ? ROLLUP_FIELDS[r.stream] : undefined;
      if (!fields) continue;
      for (const field of fields) {
        const v = r.record[field];
        if (typeof v !== 'number') continue;
        for (const res of [ROLLUP_MINUTE_MS, ROLLUP_HOUR_MS]) {
          const bucket = Math.floor(r.ts / res) * res;
          const key = `${res}|${r.liftId}|${r.stream}|${field}|${bucket}`;
          const a = acc.get(key);
          if (a) {
            a.min = Math.min(a.min, v); a.max = Math.max(a.max, v); a.sum += v; a.count++;
          } else acc.set(key, { res, liftId: r.liftId, stream: r.stream, field, bucket, min: v, max: v, sum: v, count: 1 });
        }
      }
    }
    for (const a of acc.values()) upsertRollup.run(a);
    return fresh;
  }
  const writeTx = db.transaction((rows: readonly TelemetryRow[]) => writeSync(rows));

  const latestAny = db.prepare<[string], RecordRow>(`SELECT * FROM records WHERE lift_id = ? ORDER BY ts DESC, seq DESC LIMIT 1`);
  const latestOf = db.prepare<[string, string], RecordRow>(`SELECT * FROM records WHERE lift_id = ? AND stream = ? ORDER BY ts DESC, seq DESC LIMIT 1`);
  const rawRange = db.prepare<{ liftId: string; stream: string; path: string; from: number; to: number; bucket: number }, { t: number; min: number; max: number; mean: number; count: number }>(`
    SELECT (ts / @bucket) * @bucket AS t, min(v) AS min, max(v) AS max, avg(v) AS mean, count(v) AS count
    FROM (SELECT ts, json_extract(body, @path) AS v FROM records WHERE lift_id = @liftId AND stream = @stream AND ts >= @from AND ts < @to)
    WHERE typeof(v) IN ('integer', 'real') GROUP BY t ORDER BY t`);
  const rollupRange = db.prepare<{ res: number; liftId: string; stream: string; field: string; from: number; to: number; bucket: number }, { t: number; min: number; max: number; mean: number; count: number }>(`
    SELECT (bucket / @bucket) * @bucket AS t, min(min) AS min, max(max) AS max, sum(sum) / sum(count) AS mean, sum(count) AS count
    FROM rollups WHERE res = @res AND lift_id = @liftId AND stream = @stream AND field = @field AND bucket >= @from AND bucket < @to GROUP BY t ORDER BY t`);
  const daily = db.prepare<{ stream: string; from: number; to: number; liftId: string | null }, { lift_id: string; day: number; n: number }>(`
    SELECT lift_id, ts / ${DAY_MS} AS day, COUNT(*) AS n FROM records
    WHERE stream = @stream AND ts >= @from AND ts < @to AND (@liftId IS NULL OR lift_id = @liftId) GROUP BY lift_id, day ORDER BY lift_id, day`);
  const recordsOf = db.prepare<{ liftId: string; stream: string; limit: number }, RecordRow>(
    `SELECT * FROM records WHERE lift_id = @liftId AND (@stream = '' OR stream = @stream) ORDER BY ts DESC, seq DESC LIMIT @limit`);
  const deleteRaw = db.prepare(`DELETE FROM records WHERE lift_id = ? AND stream = ? AND ts < ?`);
  const deleteRollups = db.prepare(`DELETE FROM rollups WHERE res = ? AND bucket < ?`);
  const liftStreams = db.prepare<[], { lift_id: string; stream: string }>(`SELECT DISTINCT lift_id, stream FROM records`);

  /**
   * Which table answers a range query: raw records for buckets under a minute while they are kept,
   * else the finest rollup that fits the bucket and still covers the start of the range.
   */
  function resolutionFor(q: RangeQuery, now: number): number | 'raw' {
    const rolled = ROLLUP_FIELDS[q.stream]?.includes(q.field) ?? false;
    if (!rolled) return 'raw';
    const rawFrom = now - retention.rawDays * DAY_MS;
    const minuteFrom = now - retention.minuteDays * DAY_MS;
    if (q.bucketMs < ROLLUP_MINUTE_MS && q.fromMs >= rawFrom) return 'raw';
    if (q.bucketMs < ROLLUP_HOUR_MS && q.fromMs >= minuteFrom) return ROLLUP_MINUTE_MS;
    return ROLLUP_HOUR_MS;
  }

  const store: TelemetryStore & {
    writeSync: typeof writeSync;
    resolutionFor: typeof resolutionFor;
    applyRetention(now: number): { rawDeleted: number; rollupsDeleted: number };
  } = {
    name: 'sqlite',
    writeSync,
    resolutionFor,
    write: async (rows) => writeTx(rows),
    latest: async (liftId, stream) => {
      const r = stream ? latestOf.get(liftId, stream) : latestAny.get(liftId);
      return r ? toRow(r) : undefined;
    },
    latestPerLift: async (stream, liftIds) => {
      const out = new Map<string, TelemetryRow>();
      for (const id of liftIds) {
        const r = latestOf.get(id, stream);
        if (r) out.set(id, toRow(r));
      }
      return out;
    },
    range: async (q) => {
      const res = resolutionFor(q, Date.now());
      if (res === 'raw') return rawRange.all({ liftId: q.liftId, stream: q.stream, path: `$.${q.field}`, from: q.fromMs, to: q.toMs, bucket: q.bucketMs }) as Bucket[];
      const bucket = Math.max(q.bucketMs, res);
      return rollupRange.all({ res, liftId: q.liftId, stream: q.stream, field: q.field, from: Math.floor(q.fromMs / res) * res, to: q.toMs, bucket }) as Bucket[];
    },
    dailyCounts: async (stream, fromMs, toMs, liftId) =>
      daily.all({ stream, from: fromMs, to: toMs, liftId: liftId ?? null }).map((r): DailyCount => ({ liftId: r.lift_id, day: dayOf(r.day * DAY_MS), count: r.n })),
    recent: async (liftId, opts) => recordsOf.all({ liftId, stream: opts.stream ?? '', limit: opts.limit }).map(toRow),
    /** Deletes raw records and rollups past their retention (domain: keep rollups before raw data expires, LESSONS.md 8). */
    applyRetention(now: number) {
      let rawDeleted = 0;
      const rawBefore = now - retention.rawDays * DAY_MS;
      for (const { lift_id, stream } of liftStreams.all()) rawDeleted += deleteRaw.run(lift_id, stream, rawBefore).changes;
      const rollupsDeleted = deleteRollups.run(ROLLUP_MINUTE_MS, now - retention.minuteDays * DAY_MS).changes
        + deleteRollups.run(ROLLUP_HOUR_MS, now - retention.hourDays * DAY_MS).changes;
      return { rawDeleted, rollupsDeleted };
    },
    close: async () => {},
  };
  return store;
}

export type SqliteTelemetry = ReturnType<typeof createSqliteTelemetry>;
