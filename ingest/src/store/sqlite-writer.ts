import type Database from 'better-sqlite3';
import { openDeadLetterSchema } from './sqlite-dead-letters.js';
import { CHECKPOINT_KEY, CHECKPOINT_ROUND_KEY, CHECKPOINT_SEQ_KEY, openLiftSummarySchema, type LiftCheckpointRow } from './sqlite-lift-summaries.js';
import { createSqliteTelemetry, type RecordColumns, type RetentionConfig } from './sqlite-telemetry.js';

/**
 * Page cache, KiB, of the writer thread's connection. The records of 150,000 lifts land on pages all
 * over the records' index whatever the cache holds, and a page it misses is read from the system's
 * file cache: with 1,200,000 records and a checkpoint of every lift's summary
 * (bench/writer-checkpoint.ts) the writer took 6.3 µs of CPU a record with 16 MiB as with 64, and
 * 54–70 MiB less resident memory.
 */
export const WRITER_CACHE_KIB = 16_384;

/** One batch of writes: everything ingest stores for the messages of one group commit. */
export interface WriteBatch {
  /** Records for the SQLite telemetry store, as columns; absent when another store holds them. */
  records?: RecordColumns;
  /** Lifts seen for the first time, with the receive time: their rows are inserted. */
  newLifts: Array<[string, number]>;
  presence: Array<{ liftId: string; state: 'online' | 'offline'; rx: number }>;
  deadLetters: Array<{ rx: number; topic: string; clientId: string | null; code: string; reason: string; size: number; raw: Uint8Array }>;
  /** Dead letters received before this time (ms) are deleted: their retention. */
  deadLettersBefore?: number;
  /** At a checkpoint: the lift summary rows to write (the changes of batches committed before this one). */
  checkpoint?: LiftCheckpointRow[];
  /** The checkpoint's number, written with it (see beginCheckpoint). */
  checkpointSeq?: number;
  /** These rows begin a checkpoint written in slices (each slice in a batch of its own): the records it covers are those stored before this batch. */
  checkpointStarts?: boolean;
  /** These rows end it: every lift changed before its first slice has its row written, and a crash replays only the records after that. */
  checkpointEnds?: boolean;
}

/**
 * The write side of the SQLite stores: one transaction per batch. It runs on the ingest's own thread
 * (an in-memory database, tests) or on a writer thread of its own (sqlite-writer-thread.ts).
 */
export interface SqliteWriter {
  write(batch: WriteBatch): boolean[];
  /** One slice of retention (see sqlite-telemetry.ts); nothing to do without the telemetry store. */
  retentionSlice(now: number, after: string, lifts: number): { rawDeleted: number; rollupsDeleted: number; next: string | null };
}

export function createSqliteWriter(db: Database.Database, telemetry: RetentionConfig | false): SqliteWriter {
  openLiftSummarySchema(db);
  openDeadLetterSchema(db);
  const store = telemetry === false ? undefined : createSqliteTelemetry(db, telemetry);
  const insertLift = db.prepare(`INSERT OR IGNORE INTO lifts (lift_id, first_seen_rx, last_seen_rx, records_total) VALUES (?, ?, ?, 0)`);
  // The newer status by the terminal's seq, or by a later device time (a seq started again): comesAfter in SQL.
  const newerStatus = `@body IS NOT NULL AND (status_ts IS NULL OR @seq > coalesce(status_seq, -1) OR @ts > status_ts)`;
  // A status body left in the records table (IN_RECORDS, '') is taken from there; a record gone meanwhile (retention) leaves the row's.
  // With another telemetry store there is no records table here, and the summaries keep the bodies themselves.
  const statusOfRow = store === undefined ? '@body'
    : `CASE WHEN @body = '' THEN coalesce((SELECT body FROM records WHERE lift_id = @liftId AND stream = 'status' AND ts = @ts AND seq = @seq), status_json) ELSE @body END`;
  const writeLift = db.prepare(`UPDATE lifts SET last_seen_rx = max(last_seen_rx, @rx), records_total = records_total + @records,
      status_json = CASE WHEN ${newerStatus} THEN ${statusOfRow} ELSE status_json END,
      status_ts = CASE WHEN ${newerStatus} THEN @ts ELSE status_ts END,
      status_seq = CASE WHEN ${newerStatus} THEN @seq ELSE status_seq END,
      summary_to = @mark
    WHERE lift_id = @liftId`);
  const setRegistry = db.prepare(`UPDATE lifts SET registry_json = @body, registry_ts = @ts WHERE lift_id = @liftId AND (registry_ts IS NULL OR registry_ts <= @ts)`);
  const setPresence = db.prepare(`INSERT INTO lifts (lift_id, first_seen_rx, last_seen_rx, presence, presence_rx) VALUES (@liftId, @rx, @rx, @state, @rx)
    ON CONFLICT (lift_id) DO UPDATE SET presence = @state, presence_rx = @rx`);
  const insertDead = db.prepare(`INSERT INTO dead_letters (rx_ts, topic, client_id, code, reason, size_bytes, raw) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const deleteDead = db.prepare(`DELETE FROM dead_letters WHERE rx_ts < ?`);
  const setMeta = db.prepare(`INSERT INTO ingest_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
  const getMeta = db.prepare<[string], { value: number }>(`SELECT value FROM ingest_meta WHERE key = ?`);

  /** Writes a batch in one transaction; per record, whether it was new (not a replay). */
  const write = db.transaction((b: WriteBatch): boolean[] => {
    // Rows of lifts new in this batch first: a checkpoint that carries this batch (another telemetry store) updates them.
    for (const [liftId, rx] of b.newLifts) insertLift.run(liftId, rx, rx);
    for (const p of b.presence) setPresence.run(p);
    if (b.checkpoint) {
      // The rows cover the records stored before this batch (its own records stay pending); each row
      // says so (summary_to), so that a crash between two slices replays none of them twice.
      const mark = store ? store.lastId() : 0;
      if (store && (b.checkpointStarts ?? true)) setMeta.run(CHECKPOINT_ROUND_KEY, mark);
      for (const r of b.checkpoint) writeLift.run({ ...r, mark });
      if (store && (b.checkpointEnds ?? true)) setMeta.run(CHECKPOINT_KEY, getMeta.get(CHECKPOINT_ROUND_KEY)?.value ?? mark);
      if (b.checkpointSeq !== undefined) setMeta.run(CHECKPOINT_SEQ_KEY, b.checkpointSeq);
    }
    if (b.deadLettersBefore !== undefined) deleteDead.run(b.deadLettersBefore);
    for (const d of b.deadLetters) insertDead.run(d.rx, d.topic, d.clientId, d.code, d.reason, d.size, Buffer.from(d.raw.buffer, d.raw.byteOffset, d.raw.byteLength));
    const c = b.records;
    if (!store || !c) return [];
    const fresh = store.writeColumns(c);
    for (let i = 0; i < c.streams.length; i++) {
      if (c.streams[i] === 'registry' && fresh[i]) setRegistry.run({ body: c.bodies[i], ts: c.ts[i], liftId: c.liftIds[i] });
    }
    return fresh;
  });
  return {
    // BEGIN IMMEDIATE: the write lock first, waiting for it as long as busy_timeout says. A batch that
    // began by reading (the checkpoint's mark) and wrote after another connection's commit (an
    // alert, a health score) would fail at once with "database is locked", its snapshot stale.
    write: (batch) => write.immediate(batch),
    retentionSlice: (now, after, lifts) => (store ? store.retentionSlice(now, after, lifts) : { rawDeleted: 0, rollupsDeleted: 0, next: null }),
  };
}
