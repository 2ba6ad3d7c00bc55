import type { DecodedMessage, ErrorCode, IngestStats, LiftRecord } from '@liftwatch/contract';
import type { AlertActions } from '../alert-actions.js';
import type { BatchWriter } from '../batch-writer.js';
import type { AlertSink, IngestConfig, IngestDeps, Origin } from '../config.js';
import type { Detection, Detector, ServerTime } from '../detect/detector.js';
import type { LiftState, LiftTable } from '../lift-table.js';
import type { PresenceTracker } from '../presence-tracker.js';
import type { RuleStateSync } from '../rule-state-sync.js';
import type { DeadLetterOp, StoreOp } from '../store/store-op.js';

/** One MQTT message on its way through the steps (dispatch.ts), and what the steps made of it. */
export interface Message {
  readonly topic: string;
  readonly payload: Uint8Array;
  readonly origin: Origin;
  /** When it was received, by the server's wall clock, ms. */
  readonly rx: number;
  /** The server's clocks when its records reach the rules (detect.ts). */
  at: ServerTime;
  /** The lift its topic names. */
  liftId: string;
  /** That lift's state (lift-table.ts), when the message carries records of it. */
  lift: LiftState | undefined;
  /** What decode.ts made of it: the records, and those it rejected. */
  decoded: DecodedMessage;
  /** What it stores, in order: dead letters, presence, records. */
  readonly ops: StoreOp[];
  /** The detections of the record going through the steps now (detect.ts, raise.ts). */
  detections: Detection[];
  /** Commits of earlier copies of records it carries again (dedup.ts); it is acknowledged after them. */
  replays: Promise<void>[] | undefined;
  /** Alert actions its records caused that are not done yet (raise.ts); it is acknowledged after them. */
  alarms: Promise<void>[] | undefined;
}

/** The parts the steps share, built once by createIngest. */
export interface Pipeline {
  readonly cfg: IngestConfig;
  readonly stats: IngestStats;
  readonly now: () => number;
  readonly serverTime: (wall?: number) => ServerTime;
  readonly log: (line: string) => void;
  readonly detector: Detector;
  /** Every lift met, each with its state: the one lookup per message. */
  readonly lifts: LiftTable;
  readonly presence: PresenceTracker;
  readonly alerts: AlertSink;
  readonly alertActions: AlertActions;
  readonly onServiceMode: IngestDeps['onServiceMode'];
  readonly writer: BatchWriter;
  readonly ruleState: RuleStateSync;
  /** Records waiting for the store before new messages are refused. */
  readonly maxPending: number;
  /** Whether every lift whose terminal may have a maintenance visit going on had its mode set at start (service-mode.ts). */
  readonly modesKnown: boolean;
  /** A record whose device time is further ahead than this, ms, is refused (clock-ahead.ts). */
  readonly maxAheadMs: number;
}

/** A step of one record: false when the record goes no further (a replay, a record refused). */
export type RecordStep = (r: LiftRecord, m: Message, p: Pipeline) => boolean;

const NO_RECORDS: DecodedMessage = Object.freeze({ records: [], rejections: [] });
const NO_DETECTIONS: Detection[] = [];
const NOT_YET: ServerTime = Object.freeze({ wall: 0, mono: 0 });

export function newMessage(topic: string, payload: Uint8Array, origin: Origin, rx: number): Message {
  return { topic, payload, origin, rx, at: NOT_YET, liftId: '', lift: undefined, decoded: NO_RECORDS, ops: [], detections: NO_DETECTIONS, replays: undefined, alarms: undefined };
}

/** A dead letter of this message: kept with its code and reason, and counted. */
export function deadLetter(p: Pipeline, m: Pick<Message, 'topic' | 'origin' | 'payload' | 'rx'>, code: ErrorCode, reason: string): DeadLetterOp {
  p.stats.rejected++;
  p.stats.rejectedByCode[code] = (p.stats.rejectedByCode[code] ?? 0) + 1;
  return { kind: 'deadLetter', rx: m.rx, topic: m.topic, clientId: m.origin, code, reason, raw: m.payload, size: m.payload.byteLength };
}
