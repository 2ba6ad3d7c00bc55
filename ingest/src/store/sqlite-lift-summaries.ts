import type Database from 'better-sqlite3';
import type { LiftSummary, RegistryRecord, StatusRecord } from '@liftwatch/contract';
import { addTo, IN_RECORDS, overlay, type LiftRow, type LiftSummaryDelta, type PendingLift } from './lift-summary-delta.js';
import { createLiftTable, type LiftNumbers } from '../lift-table.js';
import { createPendingLiftColumns } from './pending-lift-columns.js';
import type { WriteBatch } from './sqlite-writer.js';
import type { PresenceOp, RecordOp, StoreOp } from './store-op.js';

/**
 * The lift summaries in ingest's SQLite: each lift's latest status, last-seen time, record count,
 * registry profile and presence (what people read; the rules' own memory is detect/rule-memory.ts).
 * The records themselves are in the telemetry store (store/telemetry-store.ts); with the SQLite
 * adapter both are written in one transaction.
 *
 * A lift's latest status, last-seen time and record count change with every record, but writing
 * them per record costs a random page per record. They are kept in memory (`pending`, columns by the
 * lift's slot, which every
 * read overlays; the latest status by its key alone when the records table holds it: IN_RECORDS)
 * and written for all changed lifts together at each checkpoint (`flush`), with the
 * id of the newest record it covers. After a crash, the records past that id rebuild what the
 * lost checkpoint held (`replay`): records are the truth, this table a summary of them.
 */
export const LIFT_SUMMARY_SCHEMA = `
CREATE TABLE IF NOT EXISTS lifts (
  lift_id TEXT PRIMARY KEY, first_seen_rx INTEGER NOT NULL, last_seen_rx INTEGER NOT NULL, records_total INTEGER NOT NULL DEFAULT 0,
  status_json TEXT, status_ts INTEGER, registry_json TEXT, registry_ts INTEGER, presence TEXT NOT NULL DEFAULT 'unknown', presence_rx INTEGER,
  status_seq INTEGER, summary_to INTEGER
);
CREATE TABLE IF NOT EXISTS ingest_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

/**
 * Creates the lift-summary tables, or brings older ones up to date: `status_seq` orders a lift's
 * statuses by the terminal's seq, so that a device clock set back does not freeze the latest status.
 */
export function openLiftSummarySchema(db: Database.Database): void {
  db.exec(LIFT_SUMMARY_SCHEMA);
  const columns = db.prepare<[], { name: string }>(`PRAGMA table_info(lifts)`).all();
  if (!columns.some((c) => c.name === 'status_seq')) db.exec(`ALTER TABLE lifts ADD COLUMN status_seq INTEGER`);
  // The id of the newest record a lift's row covers: a checkpoint written in slices leaves rows of both sides of its mark.
  if (!columns.some((c) => c.name === 'summary_to')) db.exec(`ALTER TABLE lifts ADD COLUMN summary_to INTEGER`);
}

/** What a committed batch changed: lifts, their delta, and the registry records and presence changes it carried. */
export interface AfterWrite {
  changed: Set<string>; duplicates: number; delta: LiftSummaryDelta;
  /** The slot of each lift of `delta`, in its order (for `committed`: no lookup by id). */
  slots: number[];
  registry: Array<{ liftId: string; body: string; ts: number }>;
  presence: Array<{ liftId: string; state: 'online' | 'offline'; rx: number }>;
}

export const CHECKPOINT_KEY = 'lift_state_checkpoint';
/** The mark of the checkpoint whose slices are being written: it becomes CHECKPOINT_KEY with the last slice. */
export const CHECKPOINT_ROUND_KEY = 'lift_state_checkpoint_round';
/** Number of the last checkpoint written, to tell whether one on its way has landed. */
export const CHECKPOINT_SEQ_KEY = 'lift_state_checkpoint_seq';

/** A lift row to write at a checkpoint: the changes pending for it. */
export interface LiftCheckpointRow { liftId: string; rx: number; records: number; body: string | null; ts: number | null; seq: number | null }

export interface LiftSummaryOptions {
  /**
   * The records table of this database holds every record (the SQLite telemetry store): the latest
   * status of a lift is not kept in memory between checkpoints but read from there (IN_RECORDS).
   * @defaultValue false
   */
  readonly statusInRecords?: boolean;
  /** The lifts' indexes (ingest's lift table), by which the pending changes are kept. @defaultValue a lift table of its own */
  readonly lifts?: LiftNumbers;
}

export function createSqliteLiftSummaries(db: Database.Database, options: LiftSummaryOptions = {}) {
  openLiftSummarySchema(db);
  const statusInRecords = options.statusInRecords ?? false;
  const insertLift = db.prepare(`INSERT OR IGNORE INTO lifts (lift_id, first_seen_rx, last_seen_rx, records_total) VALUES (?, ?, ?, 0)`);
  const getMeta = db.prepare<[string], { value: number }>(`SELECT value FROM ingest_meta WHERE key = ?`);
  const setMeta = db.prepare(`INSERT INTO ingest_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
  /**
   * Each lift's slot, its place in the pending columns and in `knownSlots`: its index in ingest's lift
   * table, which meets every lift before its records come here (a city's 150,000 lifts in a Set of
   * those known and a Map of those pending cost 12 MiB of tables besides the pending objects).
   */
  const lifts = options.lifts ?? createLiftTable().numbers;
  const slotFor = (liftId: string): number => lifts.numberOf(liftId);
  /** A record op's slot: the number it carries when it is the lift's in this table (the same string: no lookup), else by its id. */
  const slotOfOp = (op: RecordOp): number => (lifts.is(op.lift, op.liftId) ? op.lift : slotFor(op.liftId));
  /** 1 for the slots of lifts that have a row: a lift's first record inserts it at once, so counts and listings see it. */
  let knownSlots = new Uint8Array(1024);
  /**
   * Lifts with a row from before this start, until they are met (and move to `knownSlots`): not given
   * indexes of the lift table before they send (after a restart: empty once every lift has reported).
   */
  const knownBefore = new Set(db.prepare<[], { lift_id: string }>(`SELECT lift_id FROM lifts`).all().map((r) => r.lift_id));
  const isKnown = (liftId: string, slot = lifts.find(liftId)): boolean =>
    (slot !== undefined && slot < knownSlots.length && knownSlots[slot] === 1) || knownBefore.has(liftId);
  const markKnown = (liftId: string): void => {
    const slot = slotFor(liftId);
    if (slot >= knownSlots.length) {
      const wider = new Uint8Array(Math.ceil((slot + 1) * 1.5));
      wider.set(knownSlots);
      knownSlots = wider;
    }
    knownSlots[slot] = 1;
    knownBefore.delete(liftId);
  };
  const pending = createPendingLiftColumns();
  /**
   * The changes a checkpoint on its way to the writer carries: its rows (those the writer gets), the
   * slot of each, each slot's row (−1: none), and its number. The rows, not a second set of columns:
   * they are made for the writer anyway.
   */
  let flushing: { rows: LiftCheckpointRow[]; slots: readonly number[]; rowOfSlot: Int32Array; seq: number } | undefined;
  /** Adds what `p` holds of a slot to the pending columns; with `keepBody` false its status body is left in the records table (IN_RECORDS). */
  const addPending = (slot: number, p: PendingLift, keepBody = true): void => {
    const body = p.statusBody === undefined || keepBody ? p.statusBody : IN_RECORDS;
    pending.add(slot, p.lastSeenRx, body, p.statusTs, p.statusSeq ?? -1, p.records);
  };
  /** A checkpoint row as pending changes. */
  const pendingOfRow = (r: LiftCheckpointRow): PendingLift =>
    ({ lastSeenRx: r.rx, records: r.records, statusBody: r.body ?? undefined, statusTs: r.ts ?? -Infinity, statusSeq: r.seq ?? -1 });
  let checkpointSeq = getMeta.get(CHECKPOINT_SEQ_KEY)?.value ?? 0;
  /** Lifts inserted by the batch being written: known once it committed, forgotten if it failed. */
  const inserted = new Set<string>();

  /** A record of the batch being built: a lift seen for the first time gets its row inserted. */
  function noteRecord(op: RecordOp, batch: WriteBatch): void {
    if (knownBefore.size > 0 && knownBefore.has(op.liftId)) markKnown(op.liftId);
    else if (!isKnown(op.liftId, lifts.is(op.lift, op.liftId) ? op.lift : undefined) && !inserted.has(op.liftId)) {
      batch.newLifts.push([op.liftId, op.rx]);
      inserted.add(op.liftId);
    }
  }

  /** A presence change of the batch being built. */
  function notePresence(op: PresenceOp, batch: WriteBatch): void {
    batch.presence.push({ liftId: op.liftId, state: op.state, rx: op.rx });
    if (!isKnown(op.liftId)) inserted.add(op.liftId);
  }

  /**
   * After the batch was written: `fresh[i]` says whether the i-th record op was new to the telemetry
   * store. Status, last-seen and counts come back as a delta for `committed`.
   */
  function afterWrite(ops: readonly StoreOp[], fresh: readonly boolean[]): AfterWrite {
    const changed = new Set<string>();
    const delta: LiftSummaryDelta = new Map();
    const slots: number[] = [];
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
        const before = delta.size;
        addTo(delta, op.liftId, op.rx, op.stream === 'status' ? (op.body ?? JSON.stringify(op.record)) : undefined, op.ts, op.seq);
        if (delta.size > before) slots.push(slotOfOp(op));
        if (op.stream === 'registry') registry.push({ liftId: op.liftId, body: op.body ?? JSON.stringify(op.record), ts: op.ts });
        changed.add(op.liftId);
      } else if (op.kind === 'presence') {
        changed.add(op.liftId);
        presence.push({ liftId: op.liftId, state: op.state, rx: op.rx });
      }
    }
    return { changed, duplicates, delta, slots, registry, presence };
  }

  /** The batch failed: nothing of it was written, a checkpoint it carried included. */
  function rolledBack(): void {
    inserted.clear();
    if (flushing) {
      const { rows, slots } = flushing;
      for (let i = 0; i < rows.length; i++) addPending(slots[i]!, pendingOfRow(rows[i]!));
      flushing = undefined;
    }
  }

  /** The batch holding `delta` committed: its changes join the pending summaries. `slots`: afterWrite's, of each lift of `delta`. */
  function committed(delta: LiftSummaryDelta, slots: readonly number[] = []): void {
    for (const liftId of inserted) markKnown(liftId);
    inserted.clear();
    let i = 0;
    for (const [liftId, p] of delta) addPending(slots[i++] ?? slotFor(liftId), p, !statusInRecords);
  }

  /**
   * Starts a checkpoint: the pending changes as rows, and its number, both for the batch that writes
   * them (`WriteBatch.checkpoint`, `checkpointSeq`). Until that batch's answer, reads overlay these
   * changes only while the database does not show the checkpoint's number yet, so that a read
   * between the writer's commit and `flushed()` counts nothing twice.
   */
  function beginCheckpoint(max = Infinity): { rows: LiftCheckpointRow[]; seq: number } {
    const rows: LiftCheckpointRow[] = [];
    const slots = pending.slots().slice(0, Math.min(max, pending.size()));
    let top = -1;
    for (const slot of slots) top = Math.max(top, slot);
    const rowOfSlot = new Int32Array(top + 1).fill(-1);
    for (const slot of slots) {
      rowOfSlot[slot] = rows.length;
      const p = pending.get(slot)!;
      rows.push({ liftId: lifts.idOf(slot), rx: p.lastSeenRx, records: p.records, body: p.statusBody ?? null, ts: p.statusBody === undefined ? null : p.statusTs, seq: p.statusBody === undefined ? null : (p.statusSeq ?? null) });
    }
    flushing = { rows, slots, rowOfSlot, seq: ++checkpointSeq };
    pending.dropFirst(slots.length);
    return { rows, seq: checkpointSeq };
  }

  /**
   * After a crash: the records stored after the last checkpoint (in arrival order) rebuild the
   * pending summaries. `records` is the telemetry store's `recordsAfter`. Call at start, before writing.
   */
  function replay(records: (afterId: number) => Iterable<{ id: number; liftId: string; stream: string; seq: number; ts: number; rx: number; body: string }>, lastId: number): number {
    const checkpoint = getMeta.get(CHECKPOINT_KEY)?.value;
    if (checkpoint === undefined) {
      // First start with checkpoints: the summaries were written with every batch until now.
      setMeta.run(CHECKPOINT_KEY, lastId);
      return 0;
    }
    let n = 0;
    // Rows written by slices of a checkpoint not finished: they cover their lift's records up to their own mark.
    const covered = new Map(db.prepare<[number], { lift_id: string; summary_to: number }>(`SELECT lift_id, summary_to FROM lifts WHERE summary_to > ?`)
      .all(checkpoint).map((r) => [r.lift_id, r.summary_to]));
    // lifts without a row get one after the records are read: the records are read from the same
    // connection, which takes no write while a read is still stepping through them
    const fresh = new Map<string, number>();
    for (const r of records(checkpoint)) {
      if (r.id <= (covered.get(r.liftId) ?? -1)) continue;
      if (!isKnown(r.liftId) && !fresh.has(r.liftId)) fresh.set(r.liftId, r.rx);
      pending.add(slotFor(r.liftId), r.rx, r.stream !== 'status' ? undefined : statusInRecords ? IN_RECORDS : r.body, r.ts, r.seq);
      n++;
    }
    for (const [liftId, rx] of fresh) {
      insertLift.run(liftId, rx, rx);
      markKnown(liftId);
    }
    return n;
  }

  /** Whether the checkpoint on its way has landed in the database (no checkpoint on its way: true). */
  const flushLanded = (): boolean => !flushing || (getMeta.get(CHECKPOINT_SEQ_KEY)?.value ?? 0) >= flushing.seq;

  /** A row overlaid with what is pending for its lift, and with the checkpoint on its way until it landed. */
  function current(stored: LiftRow, landed: boolean, withStatus: boolean): LiftRow {
    const slot = lifts.find(stored.lift_id);
    const r = landed || slot === undefined || flushing === undefined || slot >= flushing.rowOfSlot.length ? -1 : flushing.rowOfSlot[slot]!;
    const f = r < 0 ? undefined : pendingOfRow(flushing!.rows[r]!);
    const row = f ? overlay(stored, f) : stored;
    const p = slot === undefined ? undefined : pending.get(slot);
    const now = p ? overlay(row, p) : row;
    if (withStatus && now.status_json === IN_RECORDS) now.status_json = statusBody.get(now.lift_id, now.status_ts, now.status_seq) ?? null;
    return now;
  }

  /** `withStatus` false: the status is neither read nor parsed (null), for those who do not show it. */
  function toSummary(stored: LiftRow, openAlerts: number, landed = flushLanded(), withStatus = true): LiftSummary {
    const row = current(stored, landed, withStatus);
    return {
      liftId: row.lift_id, firstSeenAt: row.first_seen_rx, lastSeenAt: row.last_seen_rx, presence: row.presence,
      status: withStatus && row.status_json ? (JSON.parse(row.status_json) as StatusRecord) : null,
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
  /** Several lifts in one read transaction: one snapshot and one lock of the database for all (the fleet index reads lifts new to it so). */
  function readMany(liftIds: readonly string[], openAlerts: ReadonlyMap<string, number>, withStatus = true): LiftSummary[] {
    const landed = flushLanded();
    const out: LiftSummary[] = [];
    for (const liftId of liftIds) {
      const row = inserted.has(liftId) ? undefined : getLiftStmt.get(liftId);
      if (row) out.push(toSummary(row, openAlerts.get(liftId) ?? 0, landed, withStatus));
    }
    return out;
  }
  const listLiftsTx = db.transaction(readLifts) as typeof readLifts;
  const getManyTx = db.transaction(readMany) as typeof readMany;
  const getLiftTx = db.transaction(readLift) as typeof readLift;
  const listLiftsStmt = db.prepare<[number, number], LiftRow>(`SELECT * FROM lifts ORDER BY lift_id LIMIT ? OFFSET ?`);
  const getLiftStmt = db.prepare<[string], LiftRow>(`SELECT * FROM lifts WHERE lift_id = ?`);
  const countLifts = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM lifts`);
  // A status left in the records table (IN_RECORDS), found by the records' unique index; prepared at the first read (the table is the telemetry store's).
  let statusStmt: Database.Statement<[string, number | null, number | null], string> | undefined;
  const statusBody = { get: (liftId: string, ts: number | null, seq: number | null): string | undefined =>
    (statusStmt ??= db.prepare<[string, number | null, number | null], string>(`SELECT body FROM records WHERE lift_id = ? AND stream = 'status' AND ts = ? AND seq = ?`).pluck()).get(liftId, ts, seq) };

  return {
    noteRecord,
    notePresence,
    afterWrite,
    committed,
    beginCheckpoint,
    /** The batch that carried the checkpoint committed. */
    flushed: (): void => {
      flushing = undefined;
    },
    rolledBack,
    replay,
    /** Lifts with changes not yet written to their row. */
    pendingLifts: (): number => pending.size(),
    // A lift whose first batch the writer thread committed, but whose answer this thread has not
    // read yet, is not shown: it appears with its first record, not a moment before it.
    // While a checkpoint is on its way, rows and its number are read in one snapshot (a read transaction).
    list(opts: { limit: number; offset: number }, openAlerts: Map<string, number>): LiftSummary[] {
      return flushing ? listLiftsTx(opts, openAlerts) : readLifts(opts, openAlerts);
    },
    get(liftId: string, openAlerts: number): LiftSummary | undefined {
      return flushing ? getLiftTx(liftId, openAlerts) : readLift(liftId, openAlerts);
    },
    /** The summaries of those of these lifts that have one, read together. */
    getMany: (liftIds: readonly string[], openAlerts: ReadonlyMap<string, number>): LiftSummary[] => getManyTx(liftIds, openAlerts),
    /** As getMany, without the latest status (not read nor parsed): the console's fleet index keeps no status. */
    getFacts: (liftIds: readonly string[], openAlerts: ReadonlyMap<string, number>): Array<Omit<LiftSummary, 'status'>> =>
      getManyTx(liftIds, openAlerts, false),
    count: (): number => Math.max(0, (countLifts.get()?.n ?? 0) - inserted.size),
  };
}

export type SqliteLiftSummaries = ReturnType<typeof createSqliteLiftSummaries>;
