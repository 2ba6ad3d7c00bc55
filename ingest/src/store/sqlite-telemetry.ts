import type Database from 'better-sqlite3';
import { RECORD_STREAMS, ROLLUP_FIELDS, ROLLUP_HOUR_MS, ROLLUP_MINUTE_MS, type RecordStream } from '@liftwatch/contract';
import { putRollupValues, registerRollupMerge, rollupBuckets, statsOfRecord } from './rollup-stats.js';
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
const RECORDS_SCHEMA = `
CREATE TABLE IF NOT EXISTS records (
  id INTEGER PRIMARY KEY, lift_id TEXT NOT NULL, seq INTEGER NOT NULL, stream TEXT NOT NULL, ts INTEGER NOT NULL, rx_ts INTEGER NOT NULL, body TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS records_by_lift ON records (lift_id, stream, ts, seq);
`;
// Rollup rows written whole (putRollups) hold JSON: {"stopErrMm": [min, max, sum, count], ...}; rollup-stats.ts reads both layouts.
type Stats = Record<string, [number, number, number, number]>;
/** One rollup bucket of one lift and stream: resolution (ROLLUP_MINUTE_MS or ROLLUP_HOUR_MS), start, and per field [min, max, sum, count]. */
export interface RollupRow { readonly res: number; readonly liftId: string; readonly stream: string; readonly bucket: number; readonly stats: Stats }
/**
 * One rollup row holds every field of its stream (rollup-stats.ts): a trip updates two rows (minute,
 * hour), not two per field. The rows (half a KiB of figures for a trip) are appended by rowid and
 * found through a narrow index: in a table keyed by lift they would land on random pages and split
 * them, at twice the cost per trip.
 */
const ROLLUPS_SCHEMA = `
CREATE TABLE IF NOT EXISTS rollups (
  id INTEGER PRIMARY KEY, res INTEGER NOT NULL, lift_id TEXT NOT NULL, stream TEXT NOT NULL, bucket INTEGER NOT NULL, stats BLOB NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS rollups_by_lift ON rollups (res, lift_id, stream, bucket);
`;

/** A row to write: the record as an object, or as its JSON (`body`) when it crossed to the writer thread. */
export type WritableRow = Omit<TelemetryRow, 'record'> & { readonly record?: Record<string, unknown> };

/**
 * The records of one batch as columns: what crosses to the writer thread is a few arrays, not an
 * object per record, and the rollup fields travel as numbers (taken from the record objects on the
 * ingest thread), so that the writer parses no JSON.
 */
export interface RecordColumns {
  readonly liftIds: string[];
  readonly streams: RecordStream[];
  readonly seqs: Float64Array;
  readonly ts: Float64Array;
  readonly rx: Float64Array;
  readonly bodies: string[];
  /** For each record of a stream with ROLLUP_FIELDS, the values of those fields in order (NaN: none), one record after the other. */
  readonly rollups: Float64Array;
}

/** Rows as columns, each record serialised once (its `body` when it has one). */
export function toColumns(rows: readonly WritableRow[]): RecordColumns {
  const n = rows.length;
  let width = 0;
  for (const r of rows) width += ROLLUP_FIELDS[r.stream]?.length ?? 0;
  const c: RecordColumns = { liftIds: new Array<string>(n), streams: new Array<RecordStream>(n), seqs: new Float64Array(n), ts: new Float64Array(n), rx: new Float64Array(n), bodies: new Array<string>(n), rollups: new Float64Array(width) };
  let at = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    c.liftIds[i] = r.liftId; c.streams[i] = r.stream; c.seqs[i] = r.seq; c.ts[i] = r.ts; c.rx[i] = r.rx;
    const record = r.record ?? (JSON.parse(r.body!) as Record<string, unknown>);
    c.bodies[i] = r.body ?? JSON.stringify(record);
    if (!ROLLUP_FIELDS[r.stream]) continue;
    putRollupValues(r.stream, record, c.rollups, at);
    at += ROLLUP_FIELDS[r.stream]!.length;
  }
  return c;
}

/** A record as the table holds it, body unparsed. */
export interface StoredRecord { id: number; liftId: string; stream: RecordStream; seq: number; ts: number; rx: number; body: string }

interface RecordRow { id: number; lift_id: string; seq: number; stream: RecordStream; ts: number; rx_ts: number; body: string }

// Buckets are cut with `x - x % @bucket`: a bound JS number is a REAL, and `/` by a REAL does not truncate (`%` does).
const toRow = (r: RecordRow): TelemetryRow => ({ liftId: r.lift_id, stream: r.stream, seq: r.seq, ts: r.ts, rx: r.rx_ts, record: JSON.parse(r.body) as Record<string, unknown> });

/**
 * The SQLite telemetry store: raw records deduplicated by (lift, stream, ts, seq), and 1-minute and
 * 1-hour rollups of the fields in ROLLUP_FIELDS, updated incrementally in the same transaction as
 * the records. `writeSync` lets ingest put records and lift summaries in one transaction (one fsync).
 */
export function createSqliteTelemetry(db: Database.Database, retention: RetentionConfig = DEFAULT_RETENTION) {
  migrateRecordsKeyedByLift(db);
  migrateRollupsPerField(db);
  migrateRollupsWithoutRowid(db);
  db.exec(RECORDS_SCHEMA + ROLLUPS_SCHEMA);
  registerRollupMerge(db);
  const insert = db.prepare(`INSERT OR IGNORE INTO records (lift_id, seq, stream, ts, rx_ts, body) VALUES (?, ?, ?, ?, ?, ?)`);
  const addToRollup = db.prepare(`INSERT INTO rollups (res, lift_id, stream, bucket, stats) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (res, lift_id, stream, bucket) DO UPDATE SET stats = rollup_merge(stats, excluded.stats, stream)`);

  /** Writes the records (in the caller's transaction) and adds the new ones to their rollups; per record, whether it was new. */
  function writeColumns(c: RecordColumns): boolean[] {
    const fresh = new Array<boolean>(c.liftIds.length);
    let at = 0;
    for (let i = 0; i < c.liftIds.length; i++) {
      const liftId = c.liftIds[i]!; const stream = c.streams[i]!; const ts = c.ts[i]!;
      const isNew = insert.run(liftId, c.seqs[i], stream, ts, c.rx[i], c.bodies[i]).changes > 0;
      fresh[i] = isNew;
      const n = ROLLUP_FIELDS[stream]?.length ?? 0;
      if (n === 0) continue;
      if (isNew) {
        const stats = statsOfRecord(c.rollups, at, n);
        addToRollup.run(ROLLUP_MINUTE_MS, liftId, stream, Math.floor(ts / ROLLUP_MINUTE_MS) * ROLLUP_MINUTE_MS, stats);
        addToRollup.run(ROLLUP_HOUR_MS, liftId, stream, Math.floor(ts / ROLLUP_HOUR_MS) * ROLLUP_HOUR_MS, stats);
      }
      at += n;
    }
    return fresh;
  }
  const writeSync = (rows: readonly WritableRow[]): boolean[] => writeColumns(toColumns(rows));
  const writeTx = db.transaction((rows: readonly TelemetryRow[]) => writeSync(rows));
  const putRollup = db.prepare(`INSERT INTO rollups (res, lift_id, stream, bucket, stats) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (res, lift_id, stream, bucket) DO UPDATE SET stats = excluded.stats`);
  /** Whole rollup buckets, each replacing what the bucket held (idempotent): records summarised without being kept one by one. */
  const putRollupsTx = db.transaction((rows: readonly RollupRow[]) => {
    for (const r of rows) putRollup.run(r.res, r.liftId, r.stream, r.bucket, JSON.stringify(r.stats));
  });

  const latestOf = db.prepare<[string, string], RecordRow>(`SELECT * FROM records WHERE lift_id = ? AND stream = ? ORDER BY ts DESC, seq DESC LIMIT 1`);
  const rawRange = db.prepare<{ liftId: string; stream: string; path: string; from: number; to: number; bucket: number }, { t: number; min: number; max: number; mean: number; count: number }>(`
    SELECT ts - ts % @bucket AS t, min(v) AS min, max(v) AS max, avg(v) AS mean, count(v) AS count
    FROM (SELECT ts, json_extract(body, @path) AS v FROM records WHERE lift_id = @liftId AND stream = @stream AND ts >= @from AND ts < @to)
    WHERE typeof(v) IN ('integer', 'real') GROUP BY t ORDER BY t`);
  const rollupRows = db.prepare<[number, string, string, number, number], { bucket: number; stats: Buffer | string }>(
    `SELECT bucket, stats FROM rollups WHERE res = ? AND lift_id = ? AND stream = ? AND bucket >= ? AND bucket < ? ORDER BY bucket`);
  const daily = db.prepare<{ stream: string; from: number; to: number; liftId: string | null }, { lift_id: string; day: number; n: number }>(`
    SELECT lift_id, ts / ${DAY_MS} AS day, COUNT(*) AS n FROM records
    WHERE stream = @stream AND ts >= @from AND ts < @to AND (@liftId IS NULL OR lift_id = @liftId) GROUP BY lift_id, day ORDER BY lift_id, day`);
  const recordsOf = db.prepare<{ liftId: string; stream: string; limit: number }, RecordRow>(
    `SELECT * FROM records WHERE lift_id = @liftId AND stream = @stream ORDER BY ts DESC, seq DESC LIMIT @limit`);
  const recordsFrom = db.prepare<{ liftId: string; stream: string; fromTs: number; limit: number }, RecordRow>(
    `SELECT * FROM records WHERE lift_id = @liftId AND stream = @stream AND ts >= @fromTs ORDER BY ts DESC, seq DESC LIMIT @limit`);
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
    writeColumns: typeof writeColumns;
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
    writeColumns,
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
      return rollupBuckets(rollupRows.iterate(res, q.liftId, q.stream, Math.floor(q.fromMs / res) * res, q.toMs), q.stream, q.field, bucket);
    },
    dailyCounts: async (stream, fromMs, toMs, liftId) =>
      daily.all({ stream, from: fromMs, to: toMs, liftId: liftId ?? null }).map((r): DailyCount => ({ liftId: r.lift_id, day: dayOf(r.day * DAY_MS), count: r.n })),
    recent: async (liftId, opts) => (opts.stream
      ? (opts.fromTs !== undefined && opts.fromTs > -Infinity ? recordsFrom.all({ liftId, stream: opts.stream, fromTs: opts.fromTs, limit: opts.limit }) : recordsOf.all({ liftId, stream: opts.stream, limit: opts.limit }))
      : newestOfAll(liftId, opts.limit).filter((r) => opts.fromTs === undefined || r.ts >= opts.fromTs)).map(toRow),
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
    db.exec(RECORDS_SCHEMA);
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
    db.exec(ROLLUPS_SCHEMA);
    db.exec(`INSERT INTO rollups (res, lift_id, stream, bucket, stats)
      SELECT res, lift_id, stream, bucket, json_group_object(field, json_array(min, max, sum, count)) FROM rollups_per_field GROUP BY res, lift_id, stream, bucket;
      DROP TABLE rollups_per_field;`);
  })();
}

/** Rollups kept in a table keyed by lift (before they were appended by rowid) are copied once, JSON figures and all. */
function migrateRollupsWithoutRowid(db: Database.Database): void {
  const columns = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('rollups')`).all().map((c) => c.name);
  if (columns.length === 0 || columns.includes('id')) return;
  db.transaction(() => {
    db.exec(`ALTER TABLE rollups RENAME TO rollups_keyed_by_lift; DROP INDEX IF EXISTS rollups_by_lift;`);
    db.exec(ROLLUPS_SCHEMA);
    db.exec(`INSERT INTO rollups (res, lift_id, stream, bucket, stats) SELECT res, lift_id, stream, bucket, stats FROM rollups_keyed_by_lift ORDER BY bucket;
      DROP TABLE rollups_keyed_by_lift;`);
  })();
}
