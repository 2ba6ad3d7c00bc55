// The SQLite writer on a thread of its own: the ingest's batches are written here, so that the
// ingest thread (MQTT, decoding, safety rules) and the disk writes use both cores. Started by
// sqlite-writer-client.ts with the database path; answers each batch with its replay flags.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { RetentionConfig } from './sqlite-telemetry.js';
import { createSqliteWriter, type WriteBatch } from './sqlite-writer.js';

const { path, telemetry } = workerData as { path: string; telemetry: RetentionConfig | false };
const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
db.pragma('cache_size = -65536');
const writer = createSqliteWriter(db, telemetry);

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

parentPort!.on('message', (m: { id: number; batch: WriteBatch } | { id: number; retention: number } | { close: true }) => {
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
    parentPort!.postMessage({ id: m.id, fresh: writer.write(m.batch) });
  } catch (err) {
    parentPort!.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) });
  }
});
