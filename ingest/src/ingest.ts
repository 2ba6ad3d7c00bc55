import { clip, errorText, MAX_LOG_LINE_CHARS, type IngestStats } from '@liftwatch/contract';
import { createAlertActions } from './alert-actions.js';
import { createBatchWriter } from './batch-writer.js';
import { DEFAULT_INGEST_CONFIG, type IngestConfig, type IngestDeps } from './config.js';
import type { DeadLetterReader } from './dead-letters.js';
import { createDetector, type ServerTime } from './detect/detector.js';
import { startHousekeeping } from './housekeeping.js';
import { createLiftTable } from './lift-table.js';
import { createDispatcher } from './pipeline/dispatch.js';
import type { Pipeline } from './pipeline/message.js';
import { act } from './pipeline/raise.js';
import { knownModes } from './pipeline/service-mode.js';
import { createPresenceTracker } from './presence-tracker.js';
import { createRuleStateSync } from './rule-state-sync.js';
import { openStores } from './stores.js';

export { DEFAULT_INGEST_CONFIG, type AlertSink, type IngestConfig, type IngestDeps, type LiftsSeen, type LiftSummaryChanges, type Origin, type SharedRuleState } from './config.js';

/**
 * The ingest pipeline (pipeline/dispatch.ts): decode → dedup → detect → raise (alerts first) →
 * store (group commit). Built here from its parts: the stores (stores.ts), the batch writer
 * (batch-writer.ts), the rules' memory kept and shared (rule-state-sync.ts) and the timers
 * (housekeeping.ts).
 */
export function createIngest(deps: IngestDeps, config: Partial<IngestConfig> = {}) {
  const cfg: IngestConfig = Object.freeze({ ...DEFAULT_INGEST_CONFIG, ...config });
  const now = deps.now ?? Date.now;
  const monotonic = deps.monotonic ?? (() => performance.now());
  const serverTime = (wall = now()): ServerTime => ({ wall, mono: monotonic() });
  const sink = deps.log;
  /** Every line bounded: a line may quote a topic or an error, whose length a client decides. */
  const log = (line: string): void => sink?.(clip(line, MAX_LOG_LINE_CHARS));
  const stats: IngestStats = { messages: 0, recordsAccepted: 0, duplicates: 0, rejected: 0, rejectedByCode: {}, alertsRaised: 0, refusedBusy: 0, droppedQos0: 0, refusedStoreFailed: 0 };

  const lifts = createLiftTable();
  const stores = openStores(deps, cfg, log, lifts.numbers);
  const writer = createBatchWriter({ stores, stats, checkpointMs: cfg.liftSummaryCheckpointMs ?? 30_000, ...(cfg.liftSummaryCheckpointSlice ? { checkpointSlice: cfg.liftSummaryCheckpointSlice } : {}), hooks: deps, now, log });
  // An MQTT worker's messages go to the node's writer in the primary process; its own writer only has housekeeping's.
  const elsewhere = deps.storeElsewhere;
  const messageWriter = elsewhere ? { ...writer, write: elsewhere.write, pending: elsewhere.pending } : writer;
  const detector = createDetector(cfg.detector, lifts);
  // Alert actions in order per lift, retried until done, never blocking the record path.
  const alertActions = createAlertActions({ ...(sink ? { log } : {}) });
  const ruleState = createRuleStateSync({ db: deps.db, detector, alertActions, shared: deps.sharedRuleState, serverTime, now, log });
  const presence = createPresenceTracker(lifts);
  const pipeline: Pipeline = {
    cfg, stats, now, serverTime, log, detector, presence, alertActions, writer: messageWriter, ruleState,
    lifts, alerts: deps.alerts, onServiceMode: deps.onServiceMode,
    maxPending: cfg.maxPendingRecords ?? 200_000,
    // One node alone (nothing shared with others): no other node can have started a visit.
    modesKnown: deps.sharedRuleState === undefined && deps.deadLetters === undefined, maxAheadMs: detector.config.clockMaxAheadS * 1000,
  };
  // One node: the lifts whose terminal may have started a maintenance visit are those left in inspection.
  if (pipeline.modesKnown) knownModes(deps.db, lifts);
  const { handle } = createDispatcher(pipeline);
  const housekeeping = startHousekeeping({ cfg, detector, act: (d) => act(pipeline, d), writer, stores, ruleState, serverTime, now, log });

  /** The broker says a client's connection is gone: its lifts are offline until they speak again. */
  function clientGone(clientId: string): Promise<void> {
    const ops = presence.clientGone(clientId, now());
    // Its lifts may reconnect to another node: their next record here first reads the shared state.
    for (const op of ops) if (op.kind === 'presence') ruleState.left(op.liftId);
    return ops.length === 0 ? Promise.resolve() : messageWriter.write(`client ${clientId} gone`, ops);
  }

  const { summaries, deadLetters, telemetry } = stores;
  return {
    handle,
    clientGone,
    stats: (): IngestStats => {
      const { dropped, droppedBytes } = deadLetters.dropped();
      return { ...stats, rejectedByCode: { ...stats.rejectedByCode }, deadLettersDropped: dropped, deadLetterBytesDropped: droppedBytes };
    },
    /**
     * The lifts' numbers (lift-table.ts), for parts of the process that keep something per lift in
     * arrays by them (the model serving's feature states). A lift unknown to ingest gets a number too.
     */
    liftNumbers: lifts.numbers,
    /** Each lift's summary: latest status, last seen, record count, registry profile and presence. */
    lifts: { list: summaries.list, get: summaries.get, getMany: summaries.getMany, getFacts: summaries.getFacts, count: summaries.count },
    /** The dead letters, as the dashboards read them (this node's SQLite, or the shared store's of every node). */
    deadLetters: deadLetters.reader satisfies DeadLetterReader,
    telemetry,
    /** The SQLite telemetry store when it is the one in use (retention runs on it). */
    sqliteTelemetry: stores.sqliteTelemetry,
    detector,
    writer: { pending: writer.pending, stats: writer.stats },
    /** Stores operations an MQTT worker's pipeline made (IngestDeps.storeElsewhere there): resolves once committed. */
    store: writer.write,
    /** Whether the store takes writes: false from a failed batch until the next one succeeds (readiness). */
    storeHealth: writer.health,
    /** Alert actions waiting for the alert store (raises retried while it is away). */
    alertActions: { pending: alertActions.pending, retries: alertActions.retries },
    /** Commits what is pending and stops the timers. */
    async close(): Promise<void> {
      housekeeping.stop();
      await alertActions.drain(10_000);
      await writer.checkpointIdle(true).catch((err: unknown) => log(`ingest: last lift summary checkpoint failed (rebuilt from the records at start): ${errorText(err)}`));
      await writer.close();
      await stores.close();
      ruleState.save();
      await telemetry.close();
    },
  };
}

export type Ingest = ReturnType<typeof createIngest>;
