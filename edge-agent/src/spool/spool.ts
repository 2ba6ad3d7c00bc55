import { STREAMS, type RecordStream } from '@liftwatch/contract';

/** A record waiting in the spool: its seq is final, its body is the JSON the broker will get. */
export interface SpooledRecord {
  readonly liftId: string;
  readonly seq: number;
  readonly stream: RecordStream;
  /** The record as JSON text, seq included. */
  readonly body: string;
}

/** What a source hands the agent: a record of one stream, without its seq (the spool assigns it). */
export interface RecordDraft {
  readonly stream: RecordStream;
  /** The record's fields; `seq` is assigned by the spool, `schemaVersion` and `liftId` by the agent. */
  readonly record: Readonly<Record<string, unknown>>;
}

export interface SpoolStats {
  /** Records waiting for PUBACK. */
  readonly backlog: number;
  readonly backlogBytes: number;
  /** Records accepted since the spool was opened. */
  readonly accepted: number;
  /** Records removed after PUBACK since the spool was opened. */
  readonly acked: number;
  /** Periodic records dropped by the size policy, by stream, since the spool was opened. */
  readonly dropped: Readonly<Partial<Record<RecordStream, number>>>;
  /** Event records accepted while the spool was over its limit (events are never dropped). */
  readonly eventsOverLimit: number;
}

/**
 * The drop policy (telemetry may be dropped, events never). When the spool is full, the
 * oldest record of the lowest rank goes first: status, then device, env, counters. Event and state
 * streams (trip, door, fault, alarm, wave, registry) have no rank: they are never dropped.
 */
export const DROP_RANK: Readonly<Partial<Record<RecordStream, number>>> = Object.freeze({ status: 0, device: 1, env: 2, counters: 3 });

export function dropRank(stream: RecordStream): number | null {
  const rank = DROP_RANK[stream];
  return rank === undefined || STREAMS[stream].kind !== 'periodic' ? null : rank;
}

/**
 * The store-and-forward port (one interface per pluggable part). Every record is
 * accepted here before it is sent and leaves only after the broker's PUBACK.
 */
export interface Spool {
  /**
   * Assigns each draft the terminal's next seq and stores it durably, all in one transaction.
   * Returns the records as stored; a periodic record refused by the size policy is absent.
   */
  accept(liftId: string, drafts: readonly RecordDraft[]): SpooledRecord[];
  /** Up to `limit` records of a lift with seq greater than `afterSeq`, oldest first. */
  peek(liftId: string, afterSeq: number, limit: number): SpooledRecord[];
  /** Removes records after their PUBACK. Removing a seq that is gone already is a no-op. */
  ack(liftId: string, seqs: readonly number[]): void;
  /** The next seq of a lift (kept across restarts, rising even when the spool is empty). */
  nextSeq(liftId: string): number;
  /** Sets the first seq of a lift the spool has never numbered (e.g. a terminal moving from older software); no-op otherwise. */
  seedSeq(liftId: string, seq: number): void;
  /** A small per-lift value that must survive restarts (e.g. the applied remote config). */
  getMeta(liftId: string, key: string): string | undefined;
  setMeta(liftId: string, key: string, value: string): void;
  stats(liftId?: string): SpoolStats;
  close(): void;
}
