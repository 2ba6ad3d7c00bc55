import type Database from 'better-sqlite3';
import {
  clip, DEFAULT_DECODE_LIMITS, DEFAULT_MAX_JSON_DEPTH, decodePayload, errorText, lwError, MAX_LOG_LINE_CHARS, parseJson, parseTopic, STREAMS, validateMessage,
  type DecodeLimits, type ErrorCode, type EvidenceRef, type ServiceMode, type IngestStats, type LiftRecord, type PresenceRecord, type StreamName,
} from '@liftwatch/contract';
import { createAlertActions } from './alert-actions.js';
import { createDetector, type Detection, type DetectorConfig, type SavedLiftState, type ServerTime } from './detect/detector.js';
import { createGroupCommit } from './group-commit.js';
import { createInflightSeqs } from './inflight-seqs.js';
import { guardPoison } from './poison-guard.js';
import { createLogLimit } from './log-limit.js';
import { createPresenceTracker } from './presence-tracker.js';
import { DEFAULT_DEAD_LETTER_LIMITS, type DeadLetterLimits } from './store/dead-letter-quota.js';
import { createSqliteLiftState, type AfterWrite, type StoreOp } from './store/sqlite-lift-state.js';
import { createSqliteRuleState } from './store/sqlite-rule-state.js';
import { createSqliteTelemetry, DEFAULT_RETENTION, type RetentionConfig, type WritableRow } from './store/sqlite-telemetry.js';
import { createSqliteWriter, type WriteBatch } from './store/sqlite-writer.js';
import { createThreadedSqliteWriter } from './store/sqlite-writer-client.js';
import type { TelemetryRow, TelemetryStore } from './store/telemetry-store.js';

/** A value, or the promise of one. */
export type Awaitable<T> = T | Promise<T>;

/**
 * Where detections go. The alerting service satisfies it; ingest does not import alerting. An answer
 * may come at once (the all-in-one's SQLite) or later (the shared state store): see alert-actions.ts.
 */
export interface AlertSink {
  raise(req: { liftId: string; code: string; reason: string; evidence: EvidenceRef; passengersPresent?: boolean | undefined }): Awaitable<{ created: boolean; counted: boolean }>;
  conditionCleared(liftId: string, code: string, note: string): Awaitable<void>;
}

export interface IngestConfig {
  readonly limits: DecodeLimits;
  readonly detector: Partial<DetectorConfig>;
  /** How often the timers of the safety rules are checked, ms. @defaultValue 1000 */
  readonly sweepIntervalMs: number;
  /** How long the SQLite telemetry store keeps raw records and rollups. */
  readonly retention?: RetentionConfig;
  /** How often the per-lift rule state of changed lifts is saved, ms. @defaultValue 5000 */
  readonly ruleStateSaveMs?: number;
  /** How often retention runs on the SQLite telemetry store, ms. @defaultValue 3600000 */
  readonly retentionIntervalMs?: number;
  /**
   * Records waiting for the store before new messages are refused without acknowledgement (the
   * terminal keeps them and sends them again): the bound on ingest's memory when the store is slow
   * or down. @defaultValue 200000
   */
  readonly maxPendingRecords?: number;
  /**
   * With the SQLite telemetry store, how often the lifts' latest status, last-seen time and record
   * count are written to their rows, ms; in between they are kept in memory (reads see them), and
   * after a crash the records stored since rebuild them. @defaultValue 30000
   */
  readonly liftStateCheckpointMs?: number;
  /** Write a database file on a thread of its own (the second core). @defaultValue true */
  readonly writerThread?: boolean;
  /** Retention and per-terminal quota of dead letters. @defaultValue DEFAULT_DEAD_LETTER_LIMITS */
  readonly deadLetters?: Partial<DeadLetterLimits>;
}

export const DEFAULT_INGEST_CONFIG: IngestConfig = Object.freeze({ limits: DEFAULT_DECODE_LIMITS, detector: {}, sweepIntervalMs: 1000 });

export interface IngestDeps {
  readonly db: Database.Database;
  /** Where records go. @defaultValue the SQLite telemetry store on `db`, written in the same transaction as the lift state */
  readonly telemetry?: TelemetryStore;
  readonly alerts: AlertSink;
  /** Called after a commit with the lifts whose summary changed. */
  readonly onLiftsChanged?: (liftIds: string[]) => void;
  /**
   * Called after a commit with what it changed of each lift: records stored, newest last-seen and
   * status, registry records and presence (e.g. to share the lifts' summaries with other nodes).
   */
  readonly onLiftState?: (changes: LiftStateChanges) => void;
  /** Called when a lift's status shows a new service mode (e.g. inspection starts a maintenance visit). */
  readonly onServiceMode?: (liftId: string, mode: ServiceMode) => Awaitable<void>;
  /** Called after each batch written: its size and how long the store took (for metrics). */
  readonly onBatch?: (info: { ops: number; records: number; ms: number; ok: boolean }) => void;
  /** Called after a successful commit with the records it stored (e.g. to schedule fault-prediction scoring; issue 6 §4). */
  readonly onStored?: (rows: readonly WritableRow[]) => void;
  /** The server's wall clock, ms since the epoch. @defaultValue Date.now */
  readonly now?: () => number;
  /** A monotonic clock, ms: every duration of the safety rules. @defaultValue performance.now */
  readonly monotonic?: () => number;
  readonly log?: (line: string) => void;
  /**
   * Rule state shared between ingest nodes (createRedisRuleState): a lift's open conditions and
   * entrapment timer follow its terminal to another node. @defaultValue none: one node
   */
  readonly sharedRuleState?: SharedRuleState;
}

/** What one commit changed of its lifts (see IngestDeps.onLiftState). */
export type LiftStateChanges = Pick<AfterWrite, 'delta' | 'registry' | 'presence'>;

/** Where several ingest nodes share per-lift rule state (store/redis-rule-state.ts). */
export interface SharedRuleState {
  save(entries: Array<[string, SavedLiftState]>, at: number): Promise<void>;
  fetch(liftId: string): Promise<{ state: SavedLiftState; savedAt: number } | undefined>;
}

/** Longest the first record of a lift new to this node waits for its shared rule state, ms: a slow Redis never delays an alarm more. */
const SHARED_STATE_WAIT_MS = 200;

/** Where a message came from: a terminal's MQTT client id, or null for the platform itself (last wills, internal publishes). */
export type Origin = string | null;

/**
 * The ingest pipeline: decode → validate → dedup → detect (alerts first) → store (group commit).
 * `handle` resolves when everything the message carried, records and dead letters alike, is
 * committed: the broker acknowledges the message only then. It rejects only when the store failed,
 * so the terminal keeps the message and sends it again.
 */
export function createIngest(deps: IngestDeps, config: Partial<IngestConfig> = {}) {
  const cfg: IngestConfig = Object.freeze({ ...DEFAULT_INGEST_CONFIG, ...config });
  const now = deps.now ?? Date.now;
  const sink = deps.log;
  /** Every line bounded: a line may quote a topic or an error, whose length a client decides. */
  const log = (line: string): void => sink?.(clip(line, MAX_LOG_LINE_CHARS));
  const monotonic = deps.monotonic ?? (() => performance.now());
  const serverTime = (wall = now()): ServerTime => ({ wall, mono: monotonic() });
  const state = createSqliteLiftState(deps.db, Object.freeze({ ...DEFAULT_DEAD_LETTER_LIMITS, ...cfg.deadLetters }));
  const sqliteTelemetry = deps.telemetry ? undefined : createSqliteTelemetry(deps.db, cfg.retention);
  const telemetry: TelemetryStore = deps.telemetry ?? sqliteTelemetry!;
  const inThread = createSqliteWriter(deps.db, sqliteTelemetry ? (cfg.retention ?? DEFAULT_RETENTION) : false);
  // A database file is written on a thread of its own, so that this thread's MQTT, decoding and
  // rules and the disk writes use both cores; an in-memory database (tests) only from here.
  const threaded = cfg.writerThread !== false && !deps.db.memory
    ? createThreadedSqliteWriter(deps.db.name, sqliteTelemetry ? (cfg.retention ?? DEFAULT_RETENTION) : false, sink ? log : undefined)
    : undefined;
  const writeBatch = (b: WriteBatch): boolean[] | Promise<boolean[]> => (threaded ? threaded.write(b) : inThread.write(b));
  // With another telemetry store the records are not in this database to rebuild the lift state
  // from after a crash, so it is written with every batch.
  const checkpointMs = sqliteTelemetry ? (cfg.liftStateCheckpointMs ?? 30_000) : 0;
  let lastCheckpoint = now();
  if (sqliteTelemetry) {
    const replayed = state.replay((id) => sqliteTelemetry.recordsAfter(id), sqliteTelemetry.lastId());
    if (replayed > 0) log(`ingest: lift state rebuilt from ${replayed} records stored after its last checkpoint`);
    const { rows, seq } = state.beginCheckpoint();
    inThread.write({ rows: [], newLifts: [], presence: [], deadLetters: [], checkpoint: rows, checkpointSeq: seq });
    state.flushed();
  }
  const detector = createDetector(cfg.detector);
  const stats: IngestStats = { messages: 0, recordsAccepted: 0, duplicates: 0, rejected: 0, rejectedByCode: {}, alertsRaised: 0, refusedBusy: 0, droppedQos0: 0, refusedStoreFailed: 0 };
  const inflight = createInflightSeqs();
  const presence = createPresenceTracker();
  const modes = new Map<string, ServiceMode>();

  /** Whether the last batch could be written: readiness says so (a full disk, a store that is down). */
  let storeFailing: { since: number; error: string } | undefined;

  /** One batch: records to the telemetry store, then the lift state; with SQLite both in one transaction. */
  async function commit(ops: StoreOp[]): Promise<void> {
    const started = performance.now();
    try {
      await commitBatch(ops);
      if (storeFailing) log(`ingest: the store takes writes again after ${Math.round((now() - storeFailing.since) / 1000)} s`);
      storeFailing = undefined;
      deps.onBatch?.({ ops: ops.length, records: ops.filter((o) => o.kind === 'record').length, ms: performance.now() - started, ok: true });
    } catch (err) {
      storeFailing ??= { since: now(), error: err instanceof Error ? err.message : String(err) };
      deps.onBatch?.({ ops: ops.length, records: 0, ms: performance.now() - started, ok: false });
      throw err;
    }
  }

  async function commitBatch(ops: StoreOp[]): Promise<void> {
    const rows: WritableRow[] = [];
    // The record object stays on this thread; the writer thread gets its JSON.
    for (const o of ops) if (o.kind === 'record') rows.push(threaded && sqliteTelemetry ? { liftId: o.liftId, stream: o.stream, seq: o.seq, ts: o.ts, rx: o.rx, body: o.body } : { liftId: o.liftId, stream: o.stream, seq: o.seq, ts: o.ts, rx: o.rx, record: o.record, body: o.body });
    const batch: WriteBatch = { ...state.prepare(ops), rows: sqliteTelemetry ? rows : [] };
    const checkpoint = !sqliteTelemetry || now() - lastCheckpoint >= checkpointMs || ops.some((o) => o.kind === 'checkpoint');
    let result: AfterWrite;
    try {
      if (sqliteTelemetry) {
        if (checkpoint) {
          const { rows: lifts, seq } = state.beginCheckpoint();
          batch.checkpoint = lifts;
          batch.checkpointSeq = seq;
        }
        result = state.afterWrite(ops, await writeBatch(batch));
        if (checkpoint) state.flushed();
        state.committed(result.delta);
      } else {
        const fresh = rows.length > 0 ? await telemetry.write(rows as TelemetryRow[]) : [];
        result = state.afterWrite(ops, fresh ?? rows.map(() => true));
        state.committed(result.delta);
        const { rows: lifts, seq } = state.beginCheckpoint();
        batch.checkpoint = lifts;
        batch.checkpointSeq = seq;
        await writeBatch(batch);
        state.flushed();
      }
    } catch (err) {
      state.rolledBack();
      throw err;
    }
    if (checkpoint) lastCheckpoint = now();
    stats.duplicates += result.duplicates;
    stats.recordsAccepted += rows.length - result.duplicates;
    if (result.changed.size > 0 && deps.onLiftsChanged) {
      try { deps.onLiftsChanged([...result.changed]); } catch (err) { log(`ingest: onLiftsChanged: ${errorText(err)}`); }
    }
    if (result.changed.size > 0 && deps.onLiftState) {
      try { deps.onLiftState(result); } catch (err) { log(`ingest: onLiftState: ${errorText(err)}`); }
    }
    if (rows.length > 0 && deps.onStored) {
      try { deps.onStored(rows); } catch (err) { log(`ingest: onStored: ${errorText(err)}`); } // the records are stored: never fail the commit for a listener
    }
  }
  /** Writes the lift state of changed lifts when no batch has done it for a while (quiet periods, close). */
  const checkpointIdle = (force: boolean): Promise<void> => {
    if (!sqliteTelemetry || state.pendingLifts() === 0 || (!force && now() - lastCheckpoint < checkpointMs)) return Promise.resolve();
    return writer.add([{ kind: 'checkpoint' }]);
  };
  const writer = createGroupCommit<StoreOp>(commit);

  // Per-lift rule state survives a restart: loaded now, saved for the lifts that changed every few seconds and on close.
  const ruleState = createSqliteRuleState(deps.db);
  detector.restore(ruleState.load(), serverTime());
  const touched = new Set<string>();
  const saveRuleState = () => {
    checkpointIdle(false).catch((err: unknown) => log(`ingest: lift state checkpoint failed (the next one retries): ${errorText(err)}`));
    if (touched.size === 0) return;
    // A lift whose alert action is not in the store yet keeps its saved state as it was, so that after a
    // crash the record sent again finds the edge again and raises again; it is saved once the action is done.
    const ready = [...touched].filter((liftId) => !alertActions.pendingFor(liftId));
    if (ready.length === 0) return;
    const at = serverTime();
    ruleState.save(detector.snapshot(ready, at), at.wall);
    for (const liftId of ready) touched.delete(liftId);
  };
  detector.onStateChange((liftId) => touched.add(liftId));

  // Shared rule state (several nodes): saved at every change, fetched when a lift is new to this
  // node or its terminal left this node since (it may have been served by another one meanwhile).
  const shared = deps.sharedRuleState;
  const current = new Set<string>(); // lifts whose rule state this node holds as the latest
  const changedAt = new Map<string, number>(); // when this node last changed a lift's rule state
  const loading = new Map<string, Promise<void>>();
  const toShare = new Set<string>();
  if (shared) {
    detector.onStateChange((liftId) => {
      changedAt.set(liftId, now());
      shareLater(liftId);
    });
  }
  function shareChanges(): void {
    const ids: string[] = [];
    for (const liftId of toShare) {
      // As for the saved state (saveRuleState): shared once the lift's alert actions are in the store, so
      // that the node its terminal moves to after this one died raises again what this one could not.
      const pending = alertActions.pendingFor(liftId);
      if (pending) void pending.then(() => shareLater(liftId));
      else ids.push(liftId);
    }
    toShare.clear();
    if (ids.length === 0) return;
    const at = serverTime();
    shared!.save(detector.snapshot(ids, at), at.wall).catch((err: unknown) => log(`ingest: could not share the rule state of ${ids.length} lifts: ${errorText(err)}`));
  }
  function shareLater(liftId: string): void {
    if (toShare.size === 0) setImmediate(shareChanges);
    toShare.add(liftId);
  }
  /** Resolves when the rule state of these lifts is the latest any node saved (or after SHARED_STATE_WAIT_MS). */
  function sharedReady(liftIds: Iterable<string>): Promise<void> | undefined {
    const waits: Promise<void>[] = [];
    for (const liftId of liftIds) {
      if (current.has(liftId)) continue;
      let p = loading.get(liftId);
      if (!p) {
        const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), SHARED_STATE_WAIT_MS).unref());
        p = Promise.race([shared!.fetch(liftId), timeout]).then((found) => {
          if (found && found.savedAt >= (changedAt.get(liftId) ?? 0)) adoptShared(liftId, found.state, found.savedAt);
        }).catch((err: unknown) => log(`ingest: shared rule state of ${liftId} not read or not usable (${errorText(err)}): this node's own state is used`))
          .finally(() => {
            loading.delete(liftId);
            current.add(liftId);
          });
        loading.set(liftId, p);
      }
      waits.push(p);
    }
    return waits.length === 0 ? undefined : Promise.all(waits).then(() => undefined);
  }
  /** Takes another node's newer state of a lift; one this version cannot read leaves this node's own in place. */
  function adoptShared(liftId: string, state: SavedLiftState, savedAt: number): void {
    const at = serverTime();
    const own = detector.snapshot([liftId], at);
    detector.forget(liftId);
    try {
      detector.restore([[liftId, state]], at);
    } catch (err) {
      detector.forget(liftId);
      detector.restore(own, at);
      throw err;
    }
    changedAt.set(liftId, savedAt);
  }
  const saveTimer = setInterval(saveRuleState, cfg.ruleStateSaveMs ?? 5_000);
  saveTimer.unref();

  const sweepTimer = setInterval(() => act(detector.sweep(serverTime())), cfg.sweepIntervalMs);
  sweepTimer.unref();
  const retain = () => {
    const before = now() - state.deadLetterLimits.days * 86_400_000;
    writer.add([{ kind: 'retainDeadLetters', before }]).catch((err: unknown) => log(`ingest: dead-letter retention failed (the next run retries): ${String(err)}`));
    if (!sqliteTelemetry) return;
    const logged = ({ rawDeleted, rollupsDeleted }: { rawDeleted: number; rollupsDeleted: number }) => {
      if (rawDeleted + rollupsDeleted > 0) log(`ingest: retention removed ${rawDeleted} raw records and ${rollupsDeleted} rollup rows`);
    };
    if (threaded) threaded.retention(now()).then(logged, (err: unknown) => log(`ingest: retention failed (the next run retries): ${errorText(err)}`));
    else logged(sqliteTelemetry.applyRetention(now()));
  };
  retain();
  const retentionTimer = setInterval(retain, cfg.retentionIntervalMs ?? 3_600_000);
  retentionTimer.unref();
  const maxPending = cfg.maxPendingRecords ?? 200_000;

  // Alert actions in order per lift, retried until done, never blocking the record path.
  const alertActions = createAlertActions({ ...(sink ? { log } : {}) });
  const counted = (r: unknown) => { if ((r as { created?: boolean } | undefined)?.created) stats.alertsRaised++; };
  /** Runs the detections' alert actions; returns those not done yet (an alert store that answers later). */
  function act(detections: Detection[], waiting?: Promise<void>[]): void {
    for (const d of detections) {
      const p = d.action === 'raise'
        ? alertActions.run(d.evidence.liftId, `raise of ${d.code} on ${d.evidence.liftId}`, () => deps.alerts.raise({ ...d, liftId: d.evidence.liftId }), counted)
        : alertActions.run(d.liftId, `${d.code} cleared on ${d.liftId}`, () => deps.alerts.conditionCleared(d.liftId, d.code, d.note));
      if (p && waiting) waiting.push(p);
    }
  }

  function deadLetter(topic: string, origin: Origin, payload: Uint8Array, code: ErrorCode, reason: string, rx: number): StoreOp {
    stats.rejected++;
    stats.rejectedByCode[code] = (stats.rejectedByCode[code] ?? 0) + 1;
    return { kind: 'deadLetter', rx, topic, clientId: origin, code, reason, raw: payload, size: payload.byteLength };
  }

  /** A record whose device time is further ahead than this is refused (see DetectorConfig.clockMaxAheadS). */
  const maxAheadMs = detector.config.clockMaxAheadS * 1000;

  function recordOps(records: LiftRecord[], rx: number, refuse: (code: ErrorCode, reason: string) => StoreOp): { ops: StoreOp[]; replays: Promise<void>[]; fresh: Array<[string, number]>; alarms: Promise<void>[] } {
    const ops: StoreOp[] = [];
    const replays: Promise<void>[] = [];
    const alarms: Promise<void>[] = [];
    const fresh: Array<[string, number]> = [];
    const at = serverTime(rx);
    for (const r of records) {
      const rec = r.record;
      const earlier = inflight.earlier(rec.liftId, rec.seq);
      if (earlier) {
        stats.duplicates++;
        replays.push(earlier);
        continue;
      }
      act(detector.onRecord(r, at), alarms); // alert before store (or, with a store that answers later, before the acknowledgement)
      if (rec.ts > rx + maxAheadMs) {
        // Checked for safety above, but not stored: it would stand as the lift's newest record until its date.
        ops.push(refuse('LW_ERR_CLOCK_AHEAD', futureReason(r.stream, rec, rx)));
        continue;
      }
      fresh.push([rec.liftId, rec.seq]);
      if (r.stream === 'status' && modes.get(rec.liftId) !== r.record.serviceMode) {
        modes.set(rec.liftId, r.record.serviceMode);
        const onMode = deps.onServiceMode;
        const mode = r.record.serviceMode;
        // Not an alarm: the record's acknowledgement does not wait for it (a lift's first status on a node
        // asks the shared store whether a visit is going on; a city of first sights must not wait for that).
        if (onMode) alertActions.run(rec.liftId, `service mode ${mode} of ${rec.liftId}`, () => onMode(rec.liftId, mode));
      }
      ops.push({ kind: 'record', liftId: rec.liftId, stream: r.stream, seq: rec.seq, ts: rec.ts, rx, record: rec as unknown as Record<string, unknown>, body: JSON.stringify(rec) });
    }
    return { ops, replays, fresh, alarms };
  }

  function futureReason(stream: string, rec: { seq: number; ts: number }, rx: number): string {
    return `${stream} seq ${rec.seq} has device time ${new Date(rec.ts).toISOString()}, ${Math.round((rec.ts - rx) / 1000)} s ahead of the server's clock ` +
      `(limit ${detector.config.clockMaxAheadS} s): not stored, so that it never stands as the lift's latest record; set the terminal's clock (NTP)`;
  }

  function presenceOps(topic: string, liftId: string, payload: Uint8Array, origin: Origin, rx: number): StoreOp[] {
    const json = parseJson(payload, cfg.limits.maxDepth ?? DEFAULT_MAX_JSON_DEPTH);
    if (!json.ok) return [deadLetter(topic, origin, payload, json.code, json.reason, rx)];
    const valid = validateMessage('presence', json.value);
    if (!valid.ok) return [deadLetter(topic, origin, payload, 'LW_ERR_PAYLOAD_INVALID', valid.reason, rx)];
    return presence.declared(liftId, (json.value as PresenceRecord).state, origin, rx);
  }

  /**
   * Handles one MQTT message. For QoS 1 and 2 it resolves once all the message carried is committed,
   * and the broker acknowledges only then. A QoS 0 message has no acknowledgement to hold back
   * [MQTT-4.3.1]: it resolves at once, so that periodic status snapshots never wait behind a commit;
   * the terminal chose "at most once" for them (the contract sends events at QoS 1).
   */
  function handle(topic: string, payload: Uint8Array, origin: Origin, qos: 0 | 1 | 2 = 1): Promise<void> {
    const done = guarded(topic, payload, origin);
    if (qos !== 0) return done;
    done.catch((err: unknown) => {
      stats.droppedQos0++;
      if (stats.droppedQos0 === 1 || stats.droppedQos0 % 10_000 === 0) log(`ingest: ${stats.droppedQos0} QoS 0 messages dropped so far (${errorText(err)})`);
    });
    return Promise.resolve();
  }

  /** Any fault but the store's makes the message a dead letter, committed and acknowledged (poison-guard.ts). */
  const guarded = guardPoison(handleMessage, (topic, payload, origin, reason) => {
    let rx: number;
    try { rx = now(); } catch { rx = Date.now(); }
    return write(topic, [deadLetter(topic, origin, payload, 'LW_ERR_PAYLOAD_UNPROCESSABLE', reason, rx)]);
  }, log);

  function handleMessage(topic: string, payload: Uint8Array, origin: Origin): Promise<void> {
    stats.messages++;
    const rx = now();
    const parsed = parseTopic(topic);
    if (!parsed.ok) return write(topic, [deadLetter(topic, origin, payload, 'LW_ERR_TOPIC_INVALID', parsed.reason, rx)]);
    if (parsed.stream === 'presence') return write(topic, presenceOps(topic, parsed.liftId, payload, origin, rx));
    if (STREAMS[parsed.stream as StreamName].direction === 'down' && origin === null) return Promise.resolve(); // the platform's own config and cmd
    if (writer.pending() >= maxPending) {
      stats.refusedBusy++;
      return Promise.reject(lwError('LW_ERR_STORAGE', `the store is behind (${writer.pending()} records waiting): message on ${topic} refused without acknowledgement; the terminal sends it again`));
    }
    const decoded = decodePayload(parsed.liftId, parsed.stream, payload, cfg.limits);
    const wait = shared && decoded.records.length > 0 ? sharedReady(new Set(decoded.records.map((r) => r.record.liftId))) : undefined;
    if (wait) return wait.then(() => storeDecoded(topic, parsed.liftId, payload, origin, rx, decoded));
    return storeDecoded(topic, parsed.liftId, payload, origin, rx, decoded);
  }

  function storeDecoded(topic: string, topicLift: string, payload: Uint8Array, origin: Origin, rx: number, decoded: ReturnType<typeof decodePayload>): Promise<void> {
    const ops = decoded.rejections.map((r) => deadLetter(topic, origin, payload, r.code, r.reason, rx));
    if (origin !== null && decoded.records.length > 0) ops.push(...presence.seenFrom(origin, topicLift, rx));
    const { ops: recordWrites, replays, fresh, alarms } = recordOps(decoded.records, rx, (code, reason) => deadLetter(topic, origin, payload, code, reason, rx));
    ops.push(...recordWrites);
    const stored = write(topic, ops);
    // Acknowledged when stored and its alert actions are done: a node that dies before leaves the
    // record with the terminal, which sends it again (and the next node raises again).
    const committed = alarms.length === 0 ? stored : Promise.all([stored, ...alarms]).then(() => undefined);
    for (const [liftId, seq] of fresh) inflight.remember(liftId, seq, committed);
    return replays.length === 0 ? committed : Promise.all([committed, ...replays]).then(() => undefined);
  }

  /** The broker says a client's connection is gone: its lifts are offline until they speak again. */
  function clientGone(clientId: string): Promise<void> {
    const ops = presence.clientGone(clientId, now());
    // Its lifts may reconnect to another node: their next record here first reads the shared state.
    for (const op of ops) if (op.kind === 'presence') current.delete(op.liftId);
    return ops.length === 0 ? Promise.resolve() : write(`client ${clientId} gone`, ops);
  }

  /** While the store cannot write, every message fails: one log line per 10 s, every one counted (refusedStoreFailed). */
  const refusalLog = createLogLimit(log, 10_000, now);
  function write(topic: string, ops: StoreOp[]): Promise<void> {
    return writer.add(ops).catch((err: unknown) => {
      stats.refusedStoreFailed = (stats.refusedStoreFailed ?? 0) + 1;
      refusalLog(`ingest: store failed, message on ${clip(topic, 200)} not acknowledged (the sender keeps it): ${errorText(err)}`);
      throw lwError('LW_ERR_STORAGE', `could not store the message on ${clip(topic, 200)}; the sender should retry`, err);
    });
  }

  return {
    handle,
    clientGone,
    stats: (): IngestStats => {
      const { dropped, droppedBytes } = state.deadLettersDropped();
      return { ...stats, rejectedByCode: { ...stats.rejectedByCode }, deadLettersDropped: dropped, deadLetterBytesDropped: droppedBytes };
    },
    /** Lift state (latest status, registry, presence) and dead letters. */
    store: state,
    telemetry,
    /** The SQLite telemetry store when it is the one in use (retention runs on it). */
    sqliteTelemetry,
    detector,
    writer: { pending: writer.pending, stats: writer.stats },
    /** Whether the store takes writes: false from a failed batch until the next one succeeds (readiness). */
    storeHealth: (): { writable: boolean; failingSince?: number; error?: string } =>
      (storeFailing ? { writable: false, failingSince: storeFailing.since, error: storeFailing.error } : { writable: true }),
    /** Alert actions waiting for the alert store (raises retried while it is away). */
    alertActions: { pending: alertActions.pending, retries: alertActions.retries },
    /** Commits what is pending and stops the timers. */
    async close(): Promise<void> {
      clearInterval(sweepTimer);
      clearInterval(retentionTimer);
      clearInterval(saveTimer);
      await alertActions.drain(10_000);
      await checkpointIdle(true).catch((err: unknown) => log(`ingest: last lift state checkpoint failed (rebuilt from the records at start): ${errorText(err)}`));
      await writer.close();
      await threaded?.close();
      saveRuleState();
      await telemetry.close();
    },
  };
}

export type Ingest = ReturnType<typeof createIngest>;
