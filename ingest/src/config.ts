import type Database from 'better-sqlite3';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits, type EvidenceRef, type ReasonParams, type ServiceMode } from '@liftwatch/contract';
import type { SharedDeadLetterStore } from './dead-letters.js';
import type { DetectorConfig, SavedRuleState } from './detect/detector.js';
import type { DeadLetterLimits } from './store/dead-letter-quota.js';
import type { AfterWrite } from './store/sqlite-lift-summaries.js';
import type { RetentionConfig, WritableRow } from './store/sqlite-telemetry.js';
import type { StoreOp } from './store/store-op.js';
import type { TelemetryStore } from './store/telemetry-store.js';

/** A value, or the promise of one. */
export type { Awaitable } from '@liftwatch/contract';
import type { Awaitable } from '@liftwatch/contract';

/**
 * Where detections go. The alerting service satisfies it; ingest does not import alerting. An answer
 * may come at once (the all-in-one's SQLite) or later (the shared state store): see alert-actions.ts.
 */
export interface AlertSink {
  raise(req: { liftId: string; code: string; reason: string; reasonKey?: string | undefined; reasonParams?: ReasonParams | undefined; evidence: EvidenceRef; passengersPresent?: boolean | undefined }): Awaitable<{ created: boolean; counted: boolean }>;
  conditionCleared(liftId: string, code: string, note: string): Awaitable<void>;
}

/** Where several ingest nodes share the rules' memory of each lift (store/redis-rule-state.ts). */
export interface SharedRuleState {
  save(entries: Array<[string, SavedRuleState]>, at: number): Promise<void>;
  fetch(liftId: string): Promise<{ state: SavedRuleState; savedAt: number } | undefined>;
}

/** Where a message came from: a terminal's MQTT client id, or null for the platform itself (last wills, internal publishes). */
export type Origin = string | null;

/** Lifts a commit stored records or presence of: parallel arrays (see IngestDeps.onLiftsSeen). */
export interface LiftsSeen { liftIds: string[]; lastSeenAt: number[]; presence: Array<'online' | 'offline' | undefined> }

/** What one commit changed of its lifts' summaries (see IngestDeps.onLiftSummaries). */
export type LiftSummaryChanges = Pick<AfterWrite, 'delta' | 'registry' | 'presence'>;

export interface IngestConfig {
  readonly limits: DecodeLimits;
  readonly detector: Partial<DetectorConfig>;
  /** How often the timers of the safety rules are checked, ms. @defaultValue 1000 */
  readonly sweepIntervalMs: number;
  /** How long the SQLite telemetry store keeps raw records and rollups. */
  readonly retention?: RetentionConfig;
  /** How often the rules' memory of changed lifts is saved (and an idle checkpoint considered), ms. @defaultValue 5000 */
  readonly ruleStateSaveMs?: number;
  /** How often retention runs on the SQLite telemetry store and the dead letters, ms. @defaultValue 3600000 */
  readonly retentionIntervalMs?: number;
  /**
   * Records waiting for the store before new messages are refused without acknowledgement (the
   * terminal keeps them and sends them again): the bound on ingest's memory when the store is slow
   * or down. @defaultValue 200000
   */
  readonly maxPendingRecords?: number;
  /**
   * With the SQLite telemetry store, how often the lifts' summaries (latest status, last-seen time and
   * record count) are written to their rows, ms; in between they are kept in memory (reads see them),
   * and after a crash the records stored since rebuild them. @defaultValue 30000
   */
  readonly liftSummaryCheckpointMs?: number;
  /**
   * Lift summary rows a batch writes at most. A checkpoint goes out in slices spread over half its
   * interval, so that no commit waits on all of a city's rows at once; a crash between two slices
   * counts no record twice (each row keeps the newest record it covers). @defaultValue 5000
   */
  readonly liftSummaryCheckpointSlice?: number;
  /** Write a database file on a thread of its own (the second core). @defaultValue true */
  readonly writerThread?: boolean;
  /**
   * With the writer thread: pages the write-ahead log gathers before a thread of its own copies them
   * into the database file. A larger log copies a page written by several batches once. @defaultValue 16384
   */
  readonly walCheckpointPages?: number;
  /** Retention and per-terminal quota of dead letters. @defaultValue DEFAULT_DEAD_LETTER_LIMITS */
  readonly deadLetters?: Partial<DeadLetterLimits>;
}

export const DEFAULT_INGEST_CONFIG: IngestConfig = Object.freeze({ limits: DEFAULT_DECODE_LIMITS, detector: {}, sweepIntervalMs: 1000 });

export interface IngestDeps {
  readonly db: Database.Database;
  /** Where records go. @defaultValue the SQLite telemetry store on `db`, written in the same transaction as the lift summaries */
  readonly telemetry?: TelemetryStore;
  readonly alerts: AlertSink;
  /**
   * Called after a commit with the lifts whose summary changed; with `onLiftsSeen` given, only those
   * whose registry record changed (what else a commit changes comes with onLiftsSeen).
   */
  readonly onLiftsChanged?: (liftIds: string[]) => void;
  /**
   * Called after a commit with the lifts it stored records or presence of: for each, the newest
   * receive time of its records (0 when none) and its presence where it changed (e.g. to keep an
   * index of the fleet current without reading the lifts again).
   */
  readonly onLiftsSeen?: (seen: LiftsSeen) => void;
  /**
   * Called after a commit with what it changed of each lift's summary: records stored, newest
   * last-seen and status, registry records and presence (e.g. to share the summaries with other nodes).
   */
  readonly onLiftSummaries?: (changes: LiftSummaryChanges) => void;
  /** Called when a lift's status shows a new service mode (e.g. inspection starts a maintenance visit). */
  readonly onServiceMode?: (liftId: string, mode: ServiceMode) => Awaitable<void>;
  /** Called after each batch written: its size and how long the store took (for metrics). */
  readonly onBatch?: (info: { ops: number; records: number; ms: number; ok: boolean }) => void;
  /** Called after a successful commit with the records it stored (e.g. to schedule fault-prediction scoring). */
  readonly onStored?: (rows: readonly WritableRow[]) => void;
  /** The server's wall clock, ms since the epoch. @defaultValue Date.now */
  readonly now?: () => number;
  /** A monotonic clock, ms: every duration of the safety rules. @defaultValue performance.now */
  readonly monotonic?: () => number;
  readonly log?: (line: string) => void;
  /**
   * The rules' memory shared between ingest nodes (createRedisRuleState): a lift's open conditions
   * and entrapment timer follow its terminal to another node. @defaultValue none: one node
   */
  readonly sharedRuleState?: SharedRuleState;
  /**
   * Where this process's messages are stored when the node's one writer is in another process (an MQTT
   * worker of the node): `write` resolves once the message's operations are committed there, and
   * `pending` counts the records sent and not yet answered. @defaultValue none: the batch writer here
   */
  readonly storeElsewhere?: { write(topic: string, ops: StoreOp[]): Promise<void>; pending(): number };
  /**
   * Where dead letters are kept when several nodes share them (`openStateStore(…).deadLetters`), so
   * that every dashboards node shows them all. @defaultValue this node's own SQLite `db`
   */
  readonly deadLetters?: SharedDeadLetterStore;
}
