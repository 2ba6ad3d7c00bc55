import type Database from 'better-sqlite3';
import { RECORD_STREAMS, ROLLUP_FIELDS, ROLLUP_HOUR_MS, ROLLUP_MINUTE_MS, type RecordStream } from '@liftwatch/contract';
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

/**
 * Records are appended in arrival order (the rowid): 150,000 lifts writing at once would otherwise
 * dirty one random page per record in a table keyed by lift. One narrow unique index, by lift,
 * stream and time, answers every query and drops replays: a replay is the same record, so the same
 * (lift, stream, ts, seq). The arrival order also lets the lift summaries be rebuilt after a crash from
 * the records past their last checkpoint (sqlite-lift-summaries.ts).
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS records (
  id INTEGER PRIMARY KEY, lift_id TEXT NOT NULL, seq INTEGER NOT NULL, stream TEXT NOT NULL, ts INTEGER NOT NULL, rx_ts INTEGER NOT NULL, body TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS records_by_lift ON records (lift_id, stream, ts, seq);
CREATE TABLE IF NOT EXISTS rollups (
  res INTEGER NOT NULL, lift_id TEXT NOT NULL, stream TEXT NOT NULL, bucket INTEGER NOT NULL,
  stats TEXT NOT NULL,
  PRIMARY KEY (res, lift_id, stream, bucket)
) WITHOUT ROWID;
`;
// One rollup row holds every field of its stream: {"stopErrMm": [min, max, sum, count], ...}. A trip
// updates two rows (minute, hour), not two per field.
type Stats = Record<string, [number, number, number, number]>;
/** One rollup bucket of one lift and stream: resolution (ROLLUP_MINUTE_MS or ROLLUP_HOUR_MS), start, and per field [min, max, sum, count]. */
export interface RollupRow { readonly res: number; readonly liftId: string; readonly stream: string; readonly bucket: number; readonly stats: Stats }

/** A row to write: the record as an object, or as its JSON (`body`) when it crossed to the writer thread. */
export type WritableRow = Omit<TelemetryRow, 'record'> & { readonly record?: Record<string, unknown> };

/** A record as the table holds it, body unparsed. */
export interface StoredRecord { id: number; liftId: string; stream: RecordStream; seq: number; ts: number; rx: number; body: string }

interface RollupAcc { res: number; liftId: string; stream: string; bucket: number; stats: Stats }
interface RecordRow { id: number; lift_id: string; seq: number; stream: RecordStream; ts: number; rx_ts: number; body: string }

// Buckets are cut with `x - x % @bucket`: a bound JS number is a REAL, and `/` by a REAL does not truncate (`%` does).
const toRow = (r: RecordRow): TelemetryRow => ({ liftId: r.lift_id, stream: r.stream, seq: r.seq, ts: r.ts, rx: r.rx_ts, record: JSON.parse(r.body) as Record<string, unknown> });

function mergeStats(into: Stats, from: Stats): void {
  for (const [field, [min, max, sum, count]] of Object.entries(from)) {
    const a = into[field];
    if (a) {
      a[0] = Math.min(a[0], min); a[1] = Math.max(a[1], max); a[2] += sum; a[3] += count;
    } else into[field] = [min, max, sum, count];
  }
}

/**
 * The SQLite telemetry store: raw records deduplicated by (lift, stream, ts, seq), and 1-minute and
 * 1-hour rollups of the fields in ROLLUP_FIELDS, updated incrementally in the same transaction as
 * the records. `writeSync` lets ingest put records and lift summaries in one transaction (one fsync).
 */
export function createSqliteTelemetry(db: Database.Database, retention: RetentionConfig = DEFAULT_RETENTION) {
  migrateRecordsKeyedByLift(db);
  migrateRollupsPerField(db);
  db.exec(SCHEMA);
  const insert = db.prepare(`INSERT OR IGNORE INTO records (lift_id, seq, stream, ts, rx_ts, body) VALUES (?, ?, ?, ?, ?, ?)`);
  const getRollup = db.prepare<[number, string, string, number], { stats: string }>(`SELECT stats FROM rollups WHERE res = ? AND lift_id = ? AND stream = ? AND bucket = ?`);
  const putRollup = db.prepare(`INSERT OR REPLACE INTO rollups (res, lift_id, stream, bucket, stats) VALUES (?, ?, ?, ?, ?)`);

  function writeSync(rows: readonly WritableRow[]): boolean[] {
    const fresh: boolean[] = [];
    const acc = new Map<string, RollupAcc>();
    for (const r of rows) {
      const isNew = insert.run(r.liftId, r.seq, r.stream, r.ts, r.rx, r.body ?? JSON.stringify(r.record)).changes > 0;
      fresh.push(isNew);
      const fields = isNew ? ROLLUP_FIELDS[r.stream] : undefined;
      if (!fields) continue;
      const record = r.record ?? (JSON.parse(r.body!) as Record<string, unknown>);
      for (const res of [ROLLUP_MINUTE_MS, ROLLUP_HOUR_MS]) {
        const bucket = Math.floor(r.ts / res) * res;
        const key = `${res}|${r.liftId}|${r.stream}|${bucket}`;
        let a = acc.get(key);
        if (!a) acc.set(key, a = { res, liftId: r.liftId, stream: r.stream, bucket, stats: {} });
        for (const field of fields) {
          const v = record[field];
          if (typeof v !== 'number') continue;
          const f = a.stats[field];
          if (f) {
            if (v < f[0]) f[0] = v;
            if (v > f[1]) f[1] = v;
            f[2] += v; f[3]++;
          } else a.stats[field] = [v, v, v, 1];
        }
      }
    }
    for (const a of acc.values()) {
      const stored = getRollup.get(a.res, a.liftId, a.stream, a.bucket);
      const stats = stored ? (JSON.parse(stored.stats) as Stats) : {};
      mergeStats(stats, a.stats);
      putRollup.run(a.res, a.liftId, a.stream, a.bucket, JSON.stringify(stats));
    }
    return fresh;
  }
  const writeTx = db.transaction((rows: readonly TelemetryRow[]) => writeSync(rows));
  /** Whole rollup buckets, each replacing what the bucket held (idempotent): records summarised without being kept one by one. */
  const putRollupsTx = db.transaction((rows: readonly RollupRow[]) => {
    for (const r of rows) putRollup.run(r.res, r.liftId, r.stream, r.bucket, JSON.stringify(r.stats));
  });

  const latestOf = db.prepare<[string, string], RecordRow>(`SELECT * FROM records WHERE lift_id = ? AND stream = ? ORDER BY ts DESC, seq DESC LIMIT 1`);
  const rawRange = db.prepare<{ liftId: string; stream: string; path: string; from: number; to: number; bucket: number }, { t: number; min: number; max: number; mean: number; count: number }>(`
    SELECT ts - ts % @bucket AS t, min(v) AS min, max(v) AS max, avg(v) AS mean, count(v) AS count
    FROM (SELECT ts, json_extract(body, @path) AS v FROM records WHERE lift_id = @liftId AND stream = @stream AND ts >= @from AND ts < @to)
    WHERE typeof(v) IN ('integer', 'real') GROUP BY t ORDER BY t`);
  const rollupRange = db.prepare<{ res: number; liftId: string; stream: string; path: string; from: number; to: number; bucket: number }, { t: number; min: number; max: number; mean: number; count: number }>(`
    SELECT bucket - bucket % @bucket AS t, min(f ->> '$[0]') AS min, max(f ->> '$[1]') AS max, sum(f ->> '$[2]') / sum(f ->> '$[3]') AS mean, sum(f ->> '$[3]') AS count
    FROM (SELECT bucket, stats -> @path AS f FROM rollups WHERE res = @res AND lift_id = @liftId AND stream = @stream AND bucket >= @from AND bucket < @to)
    WHERE f IS NOT NULL GROUP BY t ORDER BY t`);
  const daily = db.prepare<{ stream: string; from: number; to: number; liftId: string | null }, { lift_id: string; day: number; n: number }>(`
    SELECT lift_id, ts / ${DAY_MS} AS day, COUNT(*) AS n FROM records
    WHERE stream = @stream AND ts >= @from AND ts < @to AND (@liftId IS NULL OR lift_id = @liftId) GROUP BY lift_id, day ORDER BY lift_id, day`);
  const recordsOf = db.prepare<{ liftId: string; stream: string; limit: number }, RecordRow>(
    `SELECT * FROM records WHERE lift_id = @liftId AND stream = @stream ORDER BY ts DESC, seq DESC LIMIT @limit`);
  const byTsDesc = (x: RecordRow, y: RecordRow) => y.ts - x.ts || y.seq - x.seq;
  /** Newest records of a lift across streams: the newest of each stream (one index seek each), merged. */
  const newestOfAll = (liftId: string, limit: number): RecordRow[] =>
    RECORD_STREAMS.flatMap((stream) => recordsOf.all({ liftId, stream, limit })).sort(byTsDesc).slice(0, limit);
  const afterId = db.prepare<[number], RecordRow>(`SELECT * FROM records WHERE id > ? ORDER BY id`);
  const maxId = db.prepare<[], { id: number | null }>(`SELECT max(id) AS id FROM records`);
  const deleteRaw = db.prepare(`DELETE FROM records WHERE lift_id = ? AND stream = ? AND ts < ?`);
  const deleteRollups = db.prepare(`DELETE FROM rollups WHERE res = ? AND lift_id = ? AND stream = ? AND bucket < ?`);
  // The next lift after a given one, by a seek in the index: retention walks the lifts without a scan.
  const nextLift = db.prepare<{ after: string }, string | null>(`SELECT min(l) FROM (SELECT (SELECT lift_id FROM records WHERE lift_id > @after ORDER BY lift_id LIMIT 1) AS l
    UNION ALL SELECT (SELECT lift_id FROM rollups WHERE res = ${ROLLUP_HOUR_MS} AND lift_id > @after ORDER BY lift_id LIMIT 1))`).pluck();

  /**
   * Retention for the lifts after `after` (at most `lifts` of them), in one transaction: short, so
   * that it can run between ingest batches. `next` is where the following slice starts, or null
   * when every lift was done.
   */
  const retentionSlice = db.transaction((now: number, after: string, lifts: number) => {
    const rawBefore = now - retention.rawDays * DAY_MS;
    const minuteBefore = now - retention.minuteDays * DAY_MS;
    const hourBefore = now - retention.hourDays * DAY_MS;
    let rawDeleted = 0;
    let rollupsDeleted = 0;
    let liftId = after;
    for (let n = 0; n < lifts; n++) {
      const next = nextLift.get({ after: liftId });
      if (next === undefined || next === null) return { rawDeleted, rollupsDeleted, next: null };
      liftId = next;
      for (const stream of RECORD_STREAMS) {
        rawDeleted += deleteRaw.run(liftId, stream, rawBefore).changes;
        if (ROLLUP_FIELDS[stream]) rollupsDeleted += deleteRollups.run(ROLLUP_MINUTE_MS, liftId, stream, minuteBefore).changes + deleteRollups.run(ROLLUP_HOUR_MS, liftId, stream, hourBefore).changes;
      }
    }
    return { rawDeleted, rollupsDeleted, next: liftId };
  });

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
    putRollups(rows: readonly RollupRow[]): void;
    recordsAfter(id: number): Generator<StoredRecord>;
    lastId(): number;
    resolutionFor: typeof resolutionFor;
    applyRetention(now: number): { rawDeleted: number; rollupsDeleted: number };
    retentionSlice(now: number, after: string, lifts: number): { rawDeleted: number; rollupsDeleted: number; next: string | null };
  } = {
    name: 'sqlite',
    writeSync,
    /**
     * Writes whole rollup buckets in one transaction, each replacing the bucket: the summary of
     * records that are not kept one by one (a demo's history older than its raw days, as retention
     * leaves them). Idempotent; never mix it with records of the same bucket.
     */
    putRollups: (rows) => putRollupsTx(rows),
    resolutionFor,
    write: async (rows) => writeTx(rows),
    latest: async (liftId, stream) => {
      const r = stream ? latestOf.get(liftId, stream) : newestOfAll(liftId, 1)[0];
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
      return rollupRange.all({ res, liftId: q.liftId, stream: q.stream, path: `$.${q.field}`, from: Math.floor(q.fromMs / res) * res, to: q.toMs, bucket }) as Bucket[];
    },
    dailyCounts: async (stream, fromMs, toMs, liftId) =>
      daily.all({ stream, from: fromMs, to: toMs, liftId: liftId ?? null }).map((r): DailyCount => ({ liftId: r.lift_id, day: dayOf(r.day * DAY_MS), count: r.n })),
    recent: async (liftId, opts) => (opts.stream ? recordsOf.all({ liftId, stream: opts.stream, limit: opts.limit }) : newestOfAll(liftId, opts.limit)).map(toRow),
    /** Records stored after record id `id`, in arrival order (rebuilds the lift summaries after a crash). */
    *recordsAfter(id: number): Generator<StoredRecord> {
      for (const r of afterId.iterate(id)) yield { id: r.id, liftId: r.lift_id, stream: r.stream, seq: r.seq, ts: r.ts, rx: r.rx_ts, body: r.body };
    },
    /** Id of the newest record, 0 when none. */
    lastId: (): number => maxId.get()?.id ?? 0,
    /** Deletes raw records and rollups past their retention (rollups are kept longer than raw data: docs/lessons.md#8-retention-without-downsampling). */
    applyRetention(now: number) {
      let rawDeleted = 0;
      let rollupsDeleted = 0;
      for (let after: string | null = ''; after !== null;) {
        const slice: { rawDeleted: number; rollupsDeleted: number; next: string | null } = retentionSlice(now, after, 1000);
        rawDeleted += slice.rawDeleted;
        rollupsDeleted += slice.rollupsDeleted;
        after = slice.next;
      }
      return { rawDeleted, rollupsDeleted };
    },
    retentionSlice: (now: number, after: string, lifts: number): { rawDeleted: number; rollupsDeleted: number; next: string | null } => retentionSlice(now, after, lifts),
    close: async () => {},
  };
  return store;
}

export type SqliteTelemetry = ReturnType<typeof createSqliteTelemetry>;

/**
 * Data directories written before records were appended in arrival order kept them in a table keyed
 * by (lift, seq). Their records are copied once into the new table, in arrival order.
 */
function migrateRecordsKeyedByLift(db: Database.Database): void {
  const columns = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('records')`).all().map((c) => c.name);
  if (columns.length === 0 || columns.includes('id')) return;
  db.transaction(() => {
    db.exec(`ALTER TABLE records RENAME TO records_keyed_by_lift; DROP INDEX IF EXISTS records_by_stream_ts;`);
    db.exec(SCHEMA);
    db.exec(`INSERT OR IGNORE INTO records (lift_id, seq, stream, ts, rx_ts, body)
      SELECT lift_id, seq, stream, ts, rx_ts, body FROM records_keyed_by_lift ORDER BY rx_ts, lift_id, seq; DROP TABLE records_keyed_by_lift;`);
  })();
}

/** Rollups written before one row held every field of a stream had a row per field; they are packed once. */
function migrateRollupsPerField(db: Database.Database): void {
  const columns = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('rollups')`).all().map((c) => c.name);
  if (!columns.includes('field')) return;
  db.transaction(() => {
    db.exec(`ALTER TABLE rollups RENAME TO rollups_per_field;`);
    db.exec(SCHEMA);
    db.exec(`INSERT INTO rollups (res, lift_id, stream, bucket, stats)
      SELECT res, lift_id, stream, bucket, json_group_object(field, json_array(min, max, sum, count)) FROM rollups_per_field GROUP BY res, lift_id, stream, bucket;
      DROP TABLE rollups_per_field;`);
  })();
}
