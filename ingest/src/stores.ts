import type { IngestConfig, IngestDeps } from './config.js';
import type { DeadLetters } from './dead-letters.js';
import type { LiftNumbers } from './lift-table.js';
import { createSharedDeadLetters } from './shared-dead-letters.js';
import { DEFAULT_DEAD_LETTER_LIMITS } from './store/dead-letter-quota.js';
import { createSqliteDeadLetters } from './store/sqlite-dead-letters.js';
import { createSqliteLiftSummaries } from './store/sqlite-lift-summaries.js';
import { createSqliteTelemetry, DEFAULT_RETENTION, type SqliteTelemetry } from './store/sqlite-telemetry.js';
import { createSqliteWriter, type WriteBatch } from './store/sqlite-writer.js';
import { createThreadedSqliteWriter } from './store/sqlite-writer-client.js';
import type { TelemetryStore } from './store/telemetry-store.js';

/**
 * Page cache, KiB, of the process's own connection while the writer thread stores the records (on
 * a connection of its own, with a cache of WRITER_CACHE_KIB): 48 MiB less resident memory in a city.
 */
export const MAIN_CACHE_KIB_BESIDE_WRITER = 16_384;

/** What ingest writes to, chosen once at start. */

export interface Stores {
  /** Each lift's latest status, last seen, record count, registry and presence (ingest's SQLite). */
  readonly summaries: ReturnType<typeof createSqliteLiftSummaries>;
  /** Where records go: the SQLite telemetry store on ingest's database unless another one is given. */
  readonly telemetry: TelemetryStore;
  /** The SQLite telemetry store when it is the one in use: its records and the summaries share one transaction. */
  readonly sqliteTelemetry: SqliteTelemetry | undefined;
  readonly deadLetters: DeadLetters;
  /** Whether batches go to the writer thread (records then travel as JSON only). */
  readonly threaded: boolean;
  /** Writes a batch in one transaction of ingest's SQLite; per record, whether it was new. */
  writeBatch(batch: WriteBatch): boolean[] | Promise<boolean[]>;
  /** Deletes the records and rollups past their retention (SQLite telemetry only). */
  retainTelemetry(now: number): Promise<{ rawDeleted: number; rollupsDeleted: number }> | undefined;
  /** Stops the writer thread. */
  close(): Promise<void>;
}

/**
 * Opens ingest's stores. A database file is written on a thread of its own, so that this thread's
 * MQTT, decoding and rules and the disk writes use both cores; an in-memory database (tests) only
 * from here. After a crash, the records stored since the last checkpoint rebuild the lift summaries.
 */
export function openStores(deps: IngestDeps, cfg: IngestConfig, log: (line: string) => void, lifts?: LiftNumbers): Stores {
  const { db } = deps;
  const summaries = createSqliteLiftSummaries(db, { statusInRecords: !deps.telemetry, ...(lifts ? { lifts } : {}) });
  const sqliteTelemetry = deps.telemetry ? undefined : createSqliteTelemetry(db, cfg.retention);
  const telemetry: TelemetryStore = deps.telemetry ?? sqliteTelemetry!;
  const retention = sqliteTelemetry ? (cfg.retention ?? DEFAULT_RETENTION) : false;
  const limits = Object.freeze({ ...DEFAULT_DEAD_LETTER_LIMITS, ...cfg.deadLetters });
  const deadLetters = deps.deadLetters ? createSharedDeadLetters(deps.deadLetters, limits, log) : createSqliteDeadLetters(db, limits);
  const inThread = createSqliteWriter(db, retention);
  const threaded = cfg.writerThread !== false && !db.memory ? createThreadedSqliteWriter(db.name, retention, deps.log ? log : undefined, cfg.walCheckpointPages) : undefined;
  // The log is copied into the database by the writer's log-copy thread; a commit of this
  // connection (an alert, a session) must not do it on the event loop, holding every client up.
  if (threaded) db.pragma('wal_autocheckpoint = 0');
  // Records go through the writer thread's connection and its page cache; this one keeps a smaller
  // cache for the rest (lifts, alerts, sessions, reads of the console).
  if (threaded) db.pragma(`cache_size = -${MAIN_CACHE_KIB_BESIDE_WRITER}`);

  if (sqliteTelemetry) {
    const replayed = summaries.replay((id) => sqliteTelemetry.recordsAfter(id), sqliteTelemetry.lastId());
    if (replayed > 0) log(`ingest: lift summaries rebuilt from ${replayed} records stored after their last checkpoint`);
    const { rows, seq } = summaries.beginCheckpoint();
    inThread.write({ newLifts: [], presence: [], deadLetters: [], checkpoint: rows, checkpointSeq: seq });
    summaries.flushed();
  }

  return {
    summaries, telemetry, sqliteTelemetry, deadLetters, threaded: threaded !== undefined,
    writeBatch: (b) => (threaded ? threaded.write(b) : inThread.write(b)),
    retainTelemetry(now) {
      if (!sqliteTelemetry) return undefined;
      return threaded ? threaded.retention(now) : Promise.resolve(sqliteTelemetry.applyRetention(now));
    },
    close: async () => { await threaded?.close(); },
  };
}
