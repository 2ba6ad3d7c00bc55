import type Database from 'better-sqlite3';
import { comesAfter } from '../detect/detection.js';
import type { WriteBatch } from './sqlite-writer.js';
import type { DeadLetterTerminalView, DeadLetterView, LiftSummary, RecordStream, RegistryRecord, StatusRecord } from '@liftwatch/contract';
import { createDeadLetterQuota, DEFAULT_DEAD_LETTER_LIMITS, type DeadLetterLimits, type StoredTally } from './dead-letter-quota.js';

/** One write of the ingest, applied inside a group-commit transaction. */
export type StoreOp =
  | { kind: 'record'; liftId: string; stream: RecordStream; seq: number; ts: number; rx: number; record: Record<string, unknown>; body?: string | undefined }
  | { kind: 'deadLetter'; rx: number; topic: string; clientId: string | null; code: string; reason: string; raw: Uint8Array; size: number }
  | { kind: 'presence'; liftId: string; state: 'online' | 'offline'; rx: number }
  /** Write the lift state now (a checkpoint in a quiet period or at close). */
  | { kind: 'checkpoint' }
  /** Delete the dead letters received before `before` (retention). */
  | { kind: 'retainDeadLetters'; before: number };

/**
 * Lift state of the all-in-one process in SQLite: each lift's latest status, registry profile and
 * presence, and the dead letters with their raw bytes. The records themselves are in the telemetry
 * store (store/telemetry-store.ts); with the SQLite adapter both are written in one transaction.
 *
 * A lift's latest status, last-seen time and record count change with every record, but writing
 * them per record costs a random page per record. They are kept in memory (`pending`, which every
 * read overlays) and written for all changed lifts together at each checkpoint (`flush`), with the
 * id of the newest record it covers. After a crash, the records past that id rebuild what the
 * lost checkpoint held (`replay`): records are the truth, this table a summary of them.
 */
export const LIFT_STATE_SCHEMA = `
CREATE TABLE IF NOT EXISTS dead_letters (
  id INTEGER PRIMARY KEY AUTOINCREMENT, rx_ts INTEGER NOT NULL, topic TEXT NOT NULL, client_id TEXT,
  code TEXT NOT NULL, reason TEXT NOT NULL, size_bytes INTEGER NOT NULL, raw BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS lifts (
  lift_id TEXT PRIMARY KEY, first_seen_rx INTEGER NOT NULL, last_seen_rx INTEGER NOT NULL, records_total INTEGER NOT NULL DEFAULT 0,
  status_json TEXT, status_ts INTEGER, registry_json TEXT, registry_ts INTEGER, presence TEXT NOT NULL DEFAULT 'unknown', presence_rx INTEGER,
  status_seq INTEGER
);
CREATE TABLE IF NOT EXISTS ingest_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

/**
 * Creates the lift-state tables, or brings older ones up to date: `status_seq` orders a lift's
 * statuses by the terminal's seq, so that a device clock set back does not freeze the latest status.
 */
export function openLiftStateSchema(db: Database.Database): void {
  db.exec(LIFT_STATE_SCHEMA);
  const columns = db.prepare<[], { name: string }>(`PRAGMA table_info(lifts)`).all();
  if (!columns.some((c) => c.name === 'status_seq')) db.exec(`ALTER TABLE lifts ADD COLUMN status_seq INTEGER`);
  db.exec(`CREATE INDEX IF NOT EXISTS dead_letters_rx ON dead_letters (rx_ts)`);
}

/** Each terminal's dead letters in the store: counts, bytes and the newest one. */
const STORED_TALLIES = `SELECT d.client_id AS clientId, g.n AS kept, g.bytes AS keptBytes, g.first AS firstAt, d.rx_ts AS lastAt, d.code AS lastCode, d.reason AS lastReason, d.topic AS lastTopic
  FROM (SELECT client_id, COUNT(*) AS n, SUM(length(raw) + length(CAST(reason AS BLOB))) AS bytes, MIN(rx_ts) AS first, MAX(id) AS last_id FROM dead_letters GROUP BY client_id) g
  JOIN dead_letters d ON d.id = g.last_id`;

interface LiftRow {
  lift_id: string; first_seen_rx: number; last_seen_rx: number; records_total: number;
  status_json: string | null; status_ts: number | null; status_seq: number | null; registry_json: string | null; presence: 'online' | 'offline' | 'unknown';
}

/** What records changed on a lift since its row was last written. */
interface PendingLift { lastSeenRx: number; records: number; statusBody: string | undefined; statusTs: number; statusSeq?: number }

/** A status record's body with its device time and seq. */
interface StatusOf { body: string; ts: number; seq: number }

/** The changes of one batch, merged into the pending state once its transaction committed. */
export type LiftStateDelta = Map<string, PendingLift>;

function addTo(into: LiftStateDelta, liftId: string, rx: number, status: StatusOf | undefined, records = 1): void {
  const p = into.get(liftId);
  if (!p) {
    into.set(liftId, { lastSeenRx: rx, records, statusBody: status?.body, statusTs: status?.ts ?? -Infinity, statusSeq: status?.seq ?? -1 });
    return;
  }
  p.lastSeenRx = Math.max(p.lastSeenRx, rx);
  p.records += records;
  // The newest status by the terminal's seq (or a later device time: a seq started again), not by device time alone.
  if (status && (p.statusBody === undefined || comesAfter(status, { seq: p.statusSeq ?? -1, ts: p.statusTs }))) {
    p.statusBody = status.body;
    p.statusTs = status.ts;
    p.statusSeq = status.seq;
  }
}

const pendingStatus = (p: PendingLift): StatusOf | undefined => (p.statusBody === undefined ? undefined : { body: p.statusBody, ts: p.statusTs, seq: p.statusSeq ?? -1 });

/** What a committed batch changed: lifts, their delta, and the registry records and presence changes it carried. */
export interface AfterWrite {
  changed: Set<string>; duplicates: number; delta: LiftStateDelta;
  registry: Array<{ liftId: string; body: string; ts: number }>;
  presence: Array<{ liftId: string; state: 'online' | 'offline'; rx: number }>;
}

export const CHECKPOINT_KEY = 'lift_state_checkpoint';
/** Number of the last checkpoint written, to tell whether one on its way has landed. */
export const CHECKPOINT_SEQ_KEY = 'lift_state_checkpoint_seq';

/** A lift row to write at a checkpoint: the changes pending for it. */
export interface LiftCheckpointRow { liftId: string; rx: number; records: number; body: string | null; ts: number | null; seq: number | null }

export function createSqliteLiftState(db: Database.Database, deadLetterLimits: DeadLetterLimits = DEFAULT_DEAD_LETTER_LIMITS) {
  openLiftStateSchema(db);
  const storedTallies = db.prepare<[], StoredTally>(STORED_TALLIES);
  const quota = createDeadLetterQuota(deadLetterLimits, () => storedTallies.all());
  /** The batch being written deletes old dead letters: the quota reads the store again once it committed. */
  let retaining = false;
  const insertLift = db.prepare(`INSERT OR IGNORE INTO lifts (lift_id, first_seen_rx, last_seen_rx, records_total) VALUES (?, ?, ?, 0)`);
  const getMeta = db.prepare<[string], { value: number }>(`SELECT value FROM ingest_meta WHERE key = ?`);
  const setMeta = db.prepare(`INSERT INTO ingest_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
  /** Lifts that have a row: a lift's first record inserts it at once, so counts and listings see it. */
  const known = new Set(db.prepare<[], { lift_id: string }>(`SELECT lift_id FROM lifts`).all().map((r) => r.lift_id));
  const pending: LiftStateDelta = new Map();
  /** The changes a checkpoint on its way to the writer carries, and its number. */
  let flushing: { changes: LiftStateDelta; seq: number } | undefined;
  let checkpointSeq = getMeta.get(CHECKPOINT_SEQ_KEY)?.value ?? 0;
  /** Lifts inserted by the batch being written: known once it committed, forgotten if it failed. */
  const inserted = new Set<string>();

  /** The writes a batch needs besides its records: rows for lifts seen for the first time, presence, dead letters. */
  function prepare(ops: readonly StoreOp[]): Omit<WriteBatch, 'rows'> {
    const newLifts: Array<[string, number]> = [];
    const presence: WriteBatch['presence'] = [];
    const deadLetters: WriteBatch['deadLetters'] = [];
    let deadLettersBefore: number | undefined;
    for (const op of ops) {
      if (op.kind === 'record') {
        if (!known.has(op.liftId) && !inserted.has(op.liftId)) {
          newLifts.push([op.liftId, op.rx]);
          inserted.add(op.liftId);
        }
      } else if (op.kind === 'deadLetter') {
        const raw = quota.admit(op);
        if (raw) deadLetters.push({ rx: op.rx, topic: op.topic, clientId: op.clientId, code: op.code, reason: op.reason, size: op.size, raw });
      } else if (op.kind === 'retainDeadLetters') {
        deadLettersBefore = op.before;
        retaining = true;
      } else if (op.kind === 'presence') {
        presence.push({ liftId: op.liftId, state: op.state, rx: op.rx });
        if (!known.has(op.liftId)) inserted.add(op.liftId);
      }
    }
    return { newLifts, presence, deadLetters, ...(deadLettersBefore === undefined ? {} : { deadLettersBefore }) };
  }

  /**
   * After the batch was written: `fresh[i]` says whether the i-th record op was new to the telemetry
   * store. Status, last-seen and counts come back as a delta for `committed`.
   */
  function afterWrite(ops: readonly StoreOp[], fresh: readonly boolean[]): AfterWrite {
    const changed = new Set<string>();
    const delta: LiftStateDelta = new Map();
    const registry: AfterWrite['registry'] = [];
    const presence: AfterWrite['presence'] = [];
    let duplicates = 0;
    let i = 0;
    for (const op of ops) {
      if (op.kind === 'record') {
        if (fresh[i++] === false) {
          duplicates++;
          continue;
        }
        addTo(delta, op.liftId, op.rx, op.stream === 'status' ? { body: op.body ?? JSON.stringify(op.record), ts: op.ts, seq: op.seq } : undefined);
        if (op.stream === 'registry') registry.push({ liftId: op.liftId, body: op.body ?? JSON.stringify(op.record), ts: op.ts });
        changed.add(op.liftId);
      } else if (op.kind === 'presence') {
        changed.add(op.liftId);
        presence.push({ liftId: op.liftId, state: op.state, rx: op.rx });
      }
    }
    return { changed, duplicates, delta, registry, presence };
  }

  /** The batch failed: nothing of it was written, a checkpoint it carried included. */
  function rolledBack(): void {
    inserted.clear();
    quota.rollback();
    retaining = false;
    if (flushing) {
      for (const [liftId, p] of flushing.changes) addTo(pending, liftId, p.lastSeenRx, pendingStatus(p), p.records);
      flushing = undefined;
    }
  }

  /** The batch holding `delta` committed: its changes join the pending state. */
  function committed(delta: LiftStateDelta): void {
    quota.commit();
    if (retaining) quota.reload();
    retaining = false;
    for (const liftId of inserted) known.add(liftId);
    inserted.clear();
    for (const [liftId, p] of delta) addTo(pending, liftId, p.lastSeenRx, pendingStatus(p), p.records);
  }

  /**
   * Starts a checkpoint: the pending changes as rows, and its number, both for the batch that writes
   * them (`WriteBatch.checkpoint`, `checkpointSeq`). Until that batch's answer, reads overlay these
   * changes only while the database does not show the checkpoint's number yet, so that a read
   * between the writer's commit and `flushed()` counts nothing twice.
   */
  function beginCheckpoint(): { rows: LiftCheckpointRow[]; seq: number } {
    const rows: LiftCheckpointRow[] = [];
    for (const [liftId, p] of pending) rows.push({ liftId, rx: p.lastSeenRx, records: p.records, body: p.statusBody ?? null, ts: p.statusBody === undefined ? null : p.statusTs, seq: p.statusBody === undefined ? null : (p.statusSeq ?? null) });
    flushing = { changes: new Map(pending), seq: ++checkpointSeq };
    pending.clear();
    return { rows, seq: checkpointSeq };
  }

  /**
   * After a crash: the records stored after the last checkpoint (in arrival order) rebuild the
   * pending state. `records` is the telemetry store's `recordsAfter`. Call at start, before writing.
   */
  function replay(records: (afterId: number) => Iterable<{ id: number; liftId: string; stream: string; seq: number; ts: number; rx: number; body: string }>, lastId: number): number {
    const checkpoint = getMeta.get(CHECKPOINT_KEY)?.value;
    if (checkpoint === undefined) {
      // First start with checkpoints: the lift state was written with every batch until now.
      setMeta.run(CHECKPOINT_KEY, lastId);
      return 0;
    }
    let n = 0;
    for (const r of records(checkpoint)) {
      if (!known.has(r.liftId)) {
        insertLift.run(r.liftId, r.rx, r.rx);
        known.add(r.liftId);
      }
      addTo(pending, r.liftId, r.rx, r.stream === 'status' ? { body: r.body, ts: r.ts, seq: r.seq } : undefined);
      n++;
    }
    return n;
  }

  /** Lifts with changes not yet written to their row. */
  const pendingLifts = (): number => pending.size;

  /** A row overlaid with what is pending for its lift. */
  /** Whether the checkpoint on its way has landed in the database (no checkpoint on its way: true). */
  const flushLanded = (): boolean => !flushing || (getMeta.get(CHECKPOINT_SEQ_KEY)?.value ?? 0) >= flushing.seq;

  function current(stored: LiftRow, landed: boolean): LiftRow {
    const f = landed ? undefined : flushing?.changes.get(stored.lift_id);
    const row = f ? overlay(stored, f) : stored;
    const p = pending.get(row.lift_id);
    return p ? overlay(row, p) : row;
  }

  function overlay(row: LiftRow, p: PendingLift): LiftRow {
    const newer = p.statusBody !== undefined && (row.status_ts === null || comesAfter({ seq: p.statusSeq ?? -1, ts: p.statusTs }, { seq: row.status_seq ?? -1, ts: row.status_ts }));
    return {
      ...row, last_seen_rx: Math.max(row.last_seen_rx, p.lastSeenRx), records_total: row.records_total + p.records,
      status_json: newer ? p.statusBody! : row.status_json, status_ts: newer ? p.statusTs : row.status_ts, status_seq: newer ? (p.statusSeq ?? null) : row.status_seq,
    };
  }

  function toSummary(stored: LiftRow, openAlerts: number, landed = flushLanded()): LiftSummary {
    const row = current(stored, landed);
    return {
      liftId: row.lift_id, firstSeenAt: row.first_seen_rx, lastSeenAt: row.last_seen_rx, presence: row.presence,
      status: row.status_json ? (JSON.parse(row.status_json) as StatusRecord) : null,
      registry: row.registry_json ? (JSON.parse(row.registry_json) as RegistryRecord) : null,
      recordsTotal: row.records_total, openAlerts,
    };
  }

  function readLifts(opts: { limit: number; offset: number }, openAlerts: Map<string, number>): LiftSummary[] {
    const landed = flushLanded();
    return listLiftsStmt.all(opts.limit, opts.offset).filter((r) => !inserted.has(r.lift_id)).map((r) => toSummary(r, openAlerts.get(r.lift_id) ?? 0, landed));
  }
  function readLift(liftId: string, openAlerts: number): LiftSummary | undefined {
    const row = inserted.has(liftId) ? undefined : getLiftStmt.get(liftId);
    return row ? toSummary(row, openAlerts) : undefined;
  }
  const listLiftsTx = db.transaction(readLifts) as typeof readLifts;
  const getLiftTx = db.transaction(readLift) as typeof readLift;
  const listLiftsStmt = db.prepare<[number, number], LiftRow>(`SELECT * FROM lifts ORDER BY lift_id LIMIT ? OFFSET ?`);
  const getLiftStmt = db.prepare<[string], LiftRow>(`SELECT * FROM lifts WHERE lift_id = ?`);
  const countLifts = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM lifts`);
  const deadStmt = db.prepare<[number, number], { id: number; rx_ts: number; topic: string; client_id: string | null; code: string; reason: string; size_bytes: number; raw: Buffer }>(
    `SELECT * FROM dead_letters ORDER BY id DESC LIMIT ? OFFSET ?`);
  const liftsInAreaStmt = db.prepare<[string], { lift_id: string }>(`SELECT lift_id FROM lifts WHERE json_extract(registry_json, '$.areaCode') = ? ORDER BY lift_id`);
  const countDead = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM dead_letters`);

  return {
    prepare,
    afterWrite,
    committed,
    beginCheckpoint,
    /** The batch that carried the checkpoint committed. */
    flushed: (): void => {
      flushing = undefined;
    },
    rolledBack,
    replay,
    pendingLifts,
    // A lift whose first batch the writer thread committed, but whose answer this thread has not
    // read yet, is not shown: it appears with its first record, not a moment before it.
    // While a checkpoint is on its way, rows and its number are read in one snapshot (a read transaction).
    listLifts(opts: { limit: number; offset: number }, openAlerts: Map<string, number>): LiftSummary[] {
      return flushing ? listLiftsTx(opts, openAlerts) : readLifts(opts, openAlerts);
    },
    getLift(liftId: string, openAlerts: number): LiftSummary | undefined {
      return flushing ? getLiftTx(liftId, openAlerts) : readLift(liftId, openAlerts);
    },
    liftCount: (): number => Math.max(0, (countLifts.get()?.n ?? 0) - inserted.size),
    /** Lift ids whose registry gives this GB/T 2260 area code (a district). */
    liftsInArea: (areaCode: string): string[] => liftsInAreaStmt.all(areaCode).filter((r) => !inserted.has(r.lift_id)).map((r) => r.lift_id),
    deadLetters(opts: { limit: number; offset: number }): DeadLetterView[] {
      return deadStmt.all(opts.limit, opts.offset).map((r) => ({
        id: r.id, receivedAt: r.rx_ts, topic: r.topic, clientId: r.client_id, code: r.code, reason: r.reason, sizeBytes: r.size_bytes,
        rawBase64: r.raw.toString('base64'), rawText: r.raw.toString('utf8'),
      }));
    },
    deadLetterCount: (): number => countDead.get()?.n ?? 0,
    /** Terminals that sent messages which could not be stored, the most recent first (see dead-letter-quota.ts). */
    deadLetterTerminals: (limit = 100): DeadLetterTerminalView[] => quota.terminals(limit),
    /** Dead letters not kept because their terminal was past its quota, since start. */
    deadLettersDropped: (): { dropped: number; droppedBytes: number } => quota.totals(),
    deadLetterLimits: deadLetterLimits,
  };
}

export type SqliteLiftState = ReturnType<typeof createSqliteLiftState>;
