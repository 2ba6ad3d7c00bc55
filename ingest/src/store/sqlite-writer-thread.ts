// The SQLite writer on a thread of its own: the ingest's batches are written here, so that the
// ingest thread (MQTT, decoding, safety rules) and the disk writes use both cores. Started by
// sqlite-writer-client.ts with the database path; answers each batch with its replay flags.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { RetentionConfig } from './sqlite-telemetry.js';
import { createSqliteWriter, WRITER_CACHE_KIB, type WriteBatch } from './sqlite-writer.js';

const { path, telemetry, checkpointPages } = workerData as { path: string; telemetry: RetentionConfig | false; checkpointPages?: number };
const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
db.pragma(`cache_size = -${WRITER_CACHE_KIB}`);
// Checkpoints run on the log-copy thread, and their last frames here after a batch's answer is
// posted (see checkpointSoon), never inside a commit that acknowledgements wait for; the other
// connections to this file do not run them either (stores.ts turns theirs off while this thread runs).
db.pragma('wal_autocheckpoint = 0');
const writer = createSqliteWriter(db, telemetry);

/**
 * Pages the write-ahead log may gather before they are copied into the database file. One record
 * of 150,000 lifts dirties a page of the records' index; a page dirtied by several batches in
 * between is copied once, so a larger log costs fewer writes (and a few more MiB of disk).
 */
const CHECKPOINT_PAGES = checkpointPages ?? 16_384;
let pagesSinceCheckpoint = 0;
/** Whether the log-copy thread (wal-copy-thread.ts) is copying the log for us. */
let copying = false;

/**
 * After a batch's answer went out: once the log holds CHECKPOINT_PAGES, ask the log-copy thread to
 * copy it (the client passes the word on). Should that thread not answer while four times as many
 * pages gather, copy here, as before it existed: the log must not grow without end.
 */
function checkpointSoon(pages: number): void {
  pagesSinceCheckpoint += pages;
  if (pagesSinceCheckpoint < CHECKPOINT_PAGES) return;
  if (!copying) {
    copying = true;
    parentPort!.postMessage({ copyLog: true });
  } else if (pagesSinceCheckpoint >= 4 * CHECKPOINT_PAGES) {
    finishCheckpoint();
  }
}

/**
 * Copies what is left of the log here, between two batches: the frames appended while the log-copy
 * thread worked. Only a checkpoint that copied every frame lets the next transaction start the log
 * over; the copy thread, with batches appending beside it, never quite gets there.
 */
function finishCheckpoint(): void {
  copying = false;
  pagesSinceCheckpoint = 0;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or failing: the next batches try again; the log only grows meanwhile.
  }
}

/** Retention in slices of 500 lifts, between batches: a pass over 150,000 lifts never holds them up. */
function retain(id: number, now: number): void {
  let rawDeleted = 0;
  let rollupsDeleted = 0;
  const step = (after: string) => {
    try {
      const slice = writer.retentionSlice(now, after, 500);
      rawDeleted += slice.rawDeleted;
      rollupsDeleted += slice.rollupsDeleted;
      if (slice.next === null) parentPort!.postMessage({ id, retained: { rawDeleted, rollupsDeleted } });
      else setImmediate(step, slice.next);
    } catch (err) {
      parentPort!.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
    }
  };
  setImmediate(step, '');
}

parentPort!.on('message', (m: { id: number; batch: WriteBatch } | { id: number; retention: number } | { close: true } | { logCopied: true }) => {
  if ('logCopied' in m) {
    finishCheckpoint();
    return;
  }
  if ('close' in m) {
    db.close();
    parentPort!.close();
    return;
  }
  if ('retention' in m) {
    retain(m.id, m.retention);
    return;
  }
  try {
    const fresh = writer.write(m.batch);
    parentPort!.postMessage({ id: m.id, fresh });
    // About one page per row written (a record's place in its lift's index, a lift's summary row).
    const b = m.batch;
    checkpointSoon(1 + (b.records?.liftIds.length ?? 0) + b.newLifts.length + b.presence.length + b.deadLetters.length + (b.checkpoint?.length ?? 0));
  } catch (err) {
    parentPort!.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) });
  }
});
