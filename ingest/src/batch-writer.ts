import { clip, errorText, lwError, type IngestStats } from '@liftwatch/contract';
import type { IngestDeps, LiftsSeen } from './config.js';
import { createGroupCommit } from './group-commit.js';
import { createLogLimit } from './log-limit.js';
import type { Stores } from './stores.js';
import type { AfterWrite } from './store/sqlite-lift-summaries.js';
import { toColumns, type WritableRow } from './store/sqlite-telemetry.js';
import type { WriteBatch } from './store/sqlite-writer.js';
import type { RecordOp, StoreOp } from './store/store-op.js';

/** No batch for this long, ms: a quiet period, in which a checkpoint that is due is written whole. */
const QUIET_MS = 1_000;

export interface BatchWriterOptions {
  readonly stores: Stores;
  readonly stats: IngestStats;
  /** With the SQLite telemetry store, how often the lift summaries are written to their rows, ms. */
  readonly checkpointMs: number;
  /** Lift summary rows a batch writes at most; a checkpoint of more goes out in slices. @defaultValue 5000 */
  readonly checkpointSlice?: number;
  /** Over how long a checkpoint's slices are spread, ms. @defaultValue half of checkpointMs */
  readonly checkpointSpreadMs?: number;
  readonly hooks: Pick<IngestDeps, 'onBatch' | 'onLiftsChanged' | 'onLiftsSeen' | 'onLiftSummaries' | 'onStored'>;
  readonly now: () => number;
  readonly log: (line: string) => void;
}

/**
 * The batch writer: what the pipeline stores goes into group commits (group-commit.ts), one
 * transaction per batch. With the SQLite telemetry store, records, lift summaries and dead letters
 * share that transaction, and the summaries' rows are written at checkpoints only (the records
 * rebuild them after a crash). With another telemetry store (InfluxDB), the records are written
 * there first, then the summaries' rows with every batch.
 */
export function createBatchWriter(o: BatchWriterOptions) {
  const { stores, stats, hooks, now, log } = o;
  const { summaries, deadLetters, sqliteTelemetry, telemetry } = stores;
  // With another telemetry store the records are not in this database to rebuild the summaries
  // from after a crash, so they are written with every batch.
  const checkpointMs = sqliteTelemetry ? o.checkpointMs : 0;
  let lastCheckpoint = now();
  const slice = Math.max(1, o.checkpointSlice ?? 5_000);
  const spreadMs = Math.max(0, o.checkpointSpreadMs ?? checkpointMs / 2);
  /**
   * The checkpoint under way: when it began, the lifts it writes and how many it has written. A
   * checkpoint of a city's 150,000 lifts in one transaction held the writer, and every acknowledgement
   * waiting on a commit, for seconds. Written in slices as fast as the batches came, it still took
   * most of the writer for seconds; so its slices are spread evenly over `spreadMs`, each batch taking
   * the lifts that are due by then (at most `slice`).
   */
  let round: { start: number; total: number; written: number } | undefined;
  /** When the last batch began: the checkpoint of a quiet period is for when batches do not come. */
  let lastBatchAt = -Infinity;
  /** Whether the last batch could be written: readiness says so (a full disk, a store that is down). */
  let storeFailing: { since: number; error: string } | undefined;

  /** One batch, timed for the metrics; a failure marks the store failing until a batch succeeds. */
  async function commit(ops: StoreOp[]): Promise<void> {
    const started = performance.now();
    try {
      const records = await commitBatch(ops);
      if (storeFailing) log(`ingest: the store takes writes again after ${Math.round((now() - storeFailing.since) / 1000)} s`);
      storeFailing = undefined;
      hooks.onBatch?.({ ops: ops.length, records, ms: performance.now() - started, ok: true });
    } catch (err) {
      storeFailing ??= { since: now(), error: err instanceof Error ? err.message : String(err) };
      hooks.onBatch?.({ ops: ops.length, records: 0, ms: performance.now() - started, ok: false });
      throw err;
    }
  }

  /** Writes one batch; returns the number of records it carried. */
  async function commitBatch(ops: StoreOp[]): Promise<number> {
    lastBatchAt = now();
    // The record ops are the rows: the objects stay on this thread (listeners read them), the writer gets columns.
    const rows: RecordOp[] = [];
    const batch: WriteBatch = { newLifts: [], presence: [], deadLetters: [] };
    let asked = false;
    for (const op of ops) {
      switch (op.kind) {
        case 'record': rows.push(op); summaries.noteRecord(op, batch); break;
        case 'presence': summaries.notePresence(op, batch); break;
        case 'deadLetter': deadLetters.admit(op, batch); break;
        case 'retainDeadLetters': deadLetters.retain(op.before, batch); break;
        case 'checkpoint': asked = true; break;
      }
    }
    if (sqliteTelemetry && rows.length > 0) batch.records = toColumns(rows);
    // An asked checkpoint (a clean stop, a quiet period) writes every pending lift at once; one that is due, in slices.
    const plan = !sqliteTelemetry || asked ? { max: Infinity, starts: true, left: Infinity } : slicePlan();
    let result: AfterWrite;
    let written = 0;
    try {
      const aside = deadLetters.writeAside();
      if (aside) await aside;
      if (sqliteTelemetry) ({ result, written } = await intoSqlite(ops, batch, plan));
      else result = await intoOtherStore(ops, batch, rows);
    } catch (err) {
      summaries.rolledBack();
      deadLetters.rolledBack();
      round = undefined; // the next checkpoint starts again from its first slice
      throw err;
    }
    deadLetters.committed();
    if (plan) {
      if (round) round.written += written;
      if (plan.left === Infinity || written >= plan.left) {
        // The next one is due checkpointMs after this one began: a crash replays at most that much more.
        lastCheckpoint = plan.left === Infinity || !round ? now() : round.start;
        round = undefined;
      }
    }
    stats.duplicates += result.duplicates;
    stats.recordsAccepted += rows.length - result.duplicates;
    tell(result, rows);
    return rows.length;
  }

  /** This batch's slice of the checkpoint under way, or of one that is due now; none when no lift is due yet. */
  function slicePlan(): { max: number; starts: boolean; left: number } | undefined {
    const t = now();
    const starts = round === undefined;
    if (!round) {
      if (t - lastCheckpoint < checkpointMs) return undefined;
      round = { start: t, total: summaries.pendingLifts(), written: 0 };
    }
    const left = round.total - round.written;
    const due = spreadMs > 0 ? Math.ceil(round.total * Math.min(1, (t - round.start) / spreadMs)) - round.written : left;
    // The first slice marks where the checkpoint's records begin, lifts due or not.
    if (due <= 0 && !starts) return undefined;
    return { max: Math.max(0, Math.min(slice, due)), starts, left };
  }

  /**
   * Records, summaries and dead letters in one SQLite transaction; at a checkpoint the summaries' rows
   * of up to `plan.max` lifts (of the `plan.left` the checkpoint has still to write). Returns how many it wrote.
   */
  async function intoSqlite(ops: StoreOp[], batch: WriteBatch, plan: { max: number; starts: boolean; left: number } | undefined): Promise<{ result: AfterWrite; written: number }> {
    let written = 0;
    if (plan) {
      const { rows, seq } = summaries.beginCheckpoint(Math.min(plan.max, plan.left));
      batch.checkpoint = rows;
      batch.checkpointSeq = seq;
      batch.checkpointStarts = plan.starts;
      batch.checkpointEnds = plan.left === Infinity || rows.length >= plan.left;
      written = rows.length;
    }
    const result = summaries.afterWrite(ops, await stores.writeBatch(batch));
    if (plan) summaries.flushed();
    summaries.committed(result.delta, result.slots);
    return { result, written };
  }

  /** Records to the other telemetry store first, then the summaries' rows (with this batch's changes) and dead letters. */
  async function intoOtherStore(ops: StoreOp[], batch: WriteBatch, rows: RecordOp[]): Promise<AfterWrite> {
    const fresh = rows.length > 0 ? await telemetry.write(rows) : [];
    const result = summaries.afterWrite(ops, fresh ?? rows.map(() => true));
    summaries.committed(result.delta, result.slots);
    const { rows: lifts, seq } = summaries.beginCheckpoint();
    batch.checkpoint = lifts;
    batch.checkpointSeq = seq;
    await stores.writeBatch(batch);
    summaries.flushed();
    return result;
  }

  /** The listeners hear of a commit; the records are stored, so a listener's fault never fails it. */
  function tell(result: AfterWrite, rows: readonly WritableRow[]): void {
    if (result.changed.size > 0 && hooks.onLiftsSeen) {
      try { hooks.onLiftsSeen(seenOf(result)); } catch (err) { log(`ingest: onLiftsSeen: ${errorText(err)}`); }
    }
    const changed = hooks.onLiftsSeen ? [...new Set(result.registry.map((r) => r.liftId))] : [...result.changed];
    if (changed.length > 0 && hooks.onLiftsChanged) {
      try { hooks.onLiftsChanged(changed); } catch (err) { log(`ingest: onLiftsChanged: ${errorText(err)}`); }
    }
    if (result.changed.size > 0 && hooks.onLiftSummaries) {
      try { hooks.onLiftSummaries(result); } catch (err) { log(`ingest: onLiftSummaries: ${errorText(err)}`); }
    }
    if (rows.length > 0 && hooks.onStored) {
      try { hooks.onStored(rows); } catch (err) { log(`ingest: onStored: ${errorText(err)}`); }
    }
  }

  /** The lifts of a commit with their newest receive time and changed presence. */
  function seenOf(result: AfterWrite): LiftsSeen {
    const seen: LiftsSeen = { liftIds: [...result.changed], lastSeenAt: [], presence: [] };
    const presence = new Map(result.presence.map((p) => [p.liftId, p.state]));
    for (const liftId of seen.liftIds) {
      seen.lastSeenAt.push(result.delta.get(liftId)?.lastSeenRx ?? 0);
      seen.presence.push(presence.get(liftId));
    }
    return seen;
  }

  const group = createGroupCommit<StoreOp>(commit);
  /** While the store cannot write, every message fails: one log line per 10 s, every one counted (refusedStoreFailed). */
  const refusalLog = createLogLimit(log, 10_000, now);

  /**
   * The messages whose writes go into the same commit share its promise (group-commit.ts), and so
   * one refusal handler: it counts each of them and names the first one's topic.
   */
  let shared: { commit: Promise<void>; refused: Promise<void>; messages: number } | undefined;
  function refusalOf(commit: Promise<void>, topic: string): Promise<void> {
    if (shared?.commit === commit) {
      shared.messages++;
      return shared.refused;
    }
    const s = { commit, refused: commit, messages: 1 };
    s.refused = commit.catch((err: unknown) => {
      stats.refusedStoreFailed = (stats.refusedStoreFailed ?? 0) + s.messages;
      const others = s.messages > 1 ? ` and ${s.messages - 1} other message(s) of its commit` : '';
      refusalLog(`ingest: store failed, message on ${clip(topic, 200)} not acknowledged (the sender keeps it): ${errorText(err)}`, s.messages);
      throw lwError('LW_ERR_STORAGE', `could not store the message on ${clip(topic, 200)}${others}; the sender should retry`, err);
    });
    shared = s;
    return s.refused;
  }

  return {
    /** Stores what a message carried; resolves once committed, else rejects with LW_ERR_STORAGE (not acknowledged: the sender keeps it). */
    write(topic: string, ops: StoreOp[]): Promise<void> {
      return refusalOf(group.add(ops), topic);
    },
    /** Queues operations of ingest's own (retention, checkpoints). */
    add: group.add,
    /** Writes the summaries of changed lifts when no batch has done it for a while (quiet periods; `force`: at close). */
    checkpointIdle(force: boolean): Promise<void> {
      // While batches come, they write the checkpoint (in slices); this one is for the quiet that follows them.
      const t = now();
      const due = t - lastBatchAt >= QUIET_MS && (round ? t - round.start >= spreadMs : t - lastCheckpoint >= checkpointMs);
      if (!sqliteTelemetry || summaries.pendingLifts() === 0 || (!force && !due)) return Promise.resolve();
      return group.add([{ kind: 'checkpoint' }]);
    },
    pending: group.pending,
    stats: group.stats,
    /** Whether the store takes writes: false from a failed batch until the next one succeeds (readiness). */
    health: (): { writable: boolean; failingSince?: number; error?: string } =>
      (storeFailing ? { writable: false, failingSince: storeFailing.since, error: storeFailing.error } : { writable: true }),
    close: (): Promise<void> => group.close(),
  };
}

export type BatchWriter = ReturnType<typeof createBatchWriter>;
