import { comesAfter } from '../detect/detection.js';

// What the lift summaries hold in memory between checkpoints (sqlite-lift-summaries.ts), and how it
// merges: counts add up, the newest last-seen wins, and the newest status by the terminal's seq.

/** A row of the `lifts` table. */
export interface LiftRow {
  lift_id: string; first_seen_rx: number; last_seen_rx: number; records_total: number;
  status_json: string | null; status_ts: number | null; status_seq: number | null; registry_json: string | null; presence: 'online' | 'offline' | 'unknown';
}

/**
 * The status body of a pending lift when the records table of the same database holds it (the SQLite
 * telemetry store): found there by (lift, stream, ts, seq) when read or checkpointed, instead of 150,000
 * latest statuses kept in memory, each replaced every few seconds (old garbage for the collector).
 */
export const IN_RECORDS = '';

/** What records changed on a lift since its row was last written. */
export interface PendingLift { lastSeenRx: number; records: number; statusBody: string | undefined; statusTs: number; statusSeq?: number }

/** The changes of one batch, merged into the pending summaries once its transaction committed. */
export type LiftSummaryDelta = Map<string, PendingLift>;

/**
 * Adds records of a lift to `into`: `records` of them, the newest received at `rx`, and, when `body`
 * is given, a status (its device time `ts` and `seq`) that becomes the latest if it comes after the
 * one there. Plain arguments, no object per record: it runs for every record of every batch.
 */
export function addTo(into: LiftSummaryDelta, liftId: string, rx: number, body: string | undefined, ts: number, seq: number, records = 1): void {
  const p = into.get(liftId);
  if (!p) {
    into.set(liftId, { lastSeenRx: rx, records, statusBody: body, statusTs: body === undefined ? -Infinity : ts, statusSeq: body === undefined ? -1 : seq });
    return;
  }
  p.lastSeenRx = Math.max(p.lastSeenRx, rx);
  p.records += records;
  // The newest status by the terminal's seq (or a later device time: a seq started again), not by device time alone.
  if (body !== undefined && (p.statusBody === undefined || comesAfter({ seq, ts }, { seq: p.statusSeq ?? -1, ts: p.statusTs }))) {
    p.statusBody = body;
    p.statusTs = ts;
    p.statusSeq = seq;
  }
}

/** A row overlaid with what is pending for its lift (status by seq, then device time). */
export function overlay(row: LiftRow, p: PendingLift): LiftRow {
  const newer = p.statusBody !== undefined && (row.status_ts === null || comesAfter({ seq: p.statusSeq ?? -1, ts: p.statusTs }, { seq: row.status_seq ?? -1, ts: row.status_ts }));
  return {
    ...row, last_seen_rx: Math.max(row.last_seen_rx, p.lastSeenRx), records_total: row.records_total + p.records,
    status_json: newer ? p.statusBody! : row.status_json, status_ts: newer ? p.statusTs : row.status_ts, status_seq: newer ? (p.statusSeq ?? null) : row.status_seq,
  };
}

