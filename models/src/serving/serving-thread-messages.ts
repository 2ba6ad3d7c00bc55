// What crosses between the event loop and the model serving's thread (threaded-serving.ts,
// serving-thread.ts). Plain data only: each message is copied by postMessage.
import type { HealthView } from '@liftwatch/contract';
import type { AlertLike } from '../health/platform-events.js';
import type { PredictedRaise } from './predicted-alerts.js';
import type { ModelServingOptions } from './serving.js';

/** What the thread starts with. */
export interface ServingThreadData {
  /** The node's SQLite file: feature states, alert states, held raises and risk trend, and the stored records a lift catches up from. */
  readonly path: string;
  readonly walAutocheckpoint: number;
  readonly options: ModelServingOptions;
  /** Lifts with stored records from before the start (they catch up from them when first seen); absent: every lift. */
  readonly storedBefore?: readonly string[];
  /** The platform's alerts and visits of the health score's window, read from the state store. */
  readonly alerts: readonly AlertLike[];
  readonly visits: ReadonlyArray<{ readonly liftId: string; readonly startedAt: number }>;
  /** Alerts and visits older than this many days are dropped (the health score's longest window and some). */
  readonly eventsDays: number;
}

/**
 * Stored records of one commit, as columns: a few arrays instead of an object per record. The bodies
 * are the records' JSON as ingest stored it, parsed on the thread; a status (nine records in ten)
 * goes without its body: the features read only its service mode, its time and seq.
 */
export interface StoredColumns {
  readonly liftIds: string[];
  readonly streams: string[];
  readonly ts: Float64Array;
  readonly rx: Float64Array;
  readonly seqs: Float64Array;
  /** Each lift's number in ingest's lift table, -1 when not known: the thread finds its own number of the lift from it without hashing the id. */
  readonly lifts: Int32Array;
  /** The record's JSON; empty for a status sent as its mode. */
  readonly bodies: string[];
  /** A status's service mode (empty when it has none); empty for other records. */
  readonly modes: string[];
}

/** The serving's methods that answer: called on the thread, the answer posted back. */
export type ServingCall =
  | { readonly method: 'scoreAt'; readonly liftIds: readonly string[]; readonly at: number }
  | { readonly method: 'flush' | 'tick' | 'checkpoint' | 'reload' | 'status' | 'close' }
  | { readonly method: 'lift'; readonly liftId: string }
  | { readonly method: 'healthOf'; readonly liftId: string; readonly at: number }
  | { readonly method: 'setShadow'; readonly id: string; readonly version: string };

export type ToServingThread =
  | { readonly t: 'stored'; readonly c: StoredColumns }
  | { readonly t: 'replay'; readonly liftId: string; readonly rows: ReadonlyArray<{ liftId: string; stream: string; ts: number; rx?: number; record?: Record<string, unknown> }> }
  | { readonly t: 'alert'; readonly alert: AlertLike }
  | { readonly t: 'visits'; readonly visits: ReadonlyArray<{ readonly liftId: string; readonly startedAt: number }> }
  | { readonly t: 'replayVisit'; readonly liftId: string; readonly startedAt: number }
  | { readonly t: 'call'; readonly id: number; readonly call: ServingCall };

/** A predicted alert's change for alerting, in the order the serving sent them. */
export type AlertOp =
  | { readonly op: 'raise'; readonly req: PredictedRaise }
  | { readonly op: 'cleared'; readonly liftId: string; readonly code: string; readonly note: string }
  | { readonly op: 'history'; readonly req: PredictedRaise & { openedAt: number; clearedAt: number; clearNote: string } };

export type FromServingThread =
  | { readonly t: 'ready' }
  | { readonly t: 'failed'; readonly error: string }
  | { readonly t: 'answer'; readonly id: number; readonly value?: unknown; readonly error?: string }
  | { readonly t: 'alert'; readonly a: AlertOp }
  /** Health scores computed since the last message (as the API shows them), and the lifts scored with their risk (null: none). */
  | { readonly t: 'scored'; readonly health: ReadonlyArray<{ readonly view: HealthView; readonly paramsSha256: string }>; readonly liftIds: readonly string[]; readonly risks: ReadonlyArray<number | null> }
  | { readonly t: 'metrics'; readonly value: unknown }
  | { readonly t: 'log'; readonly line: string };
