import type { EvidenceRef, ReasonParams } from '@liftwatch/contract';

/** What a rule concluded from a record: open (or count) an alert, or say its condition went away. */
export type Detection =
  | { action: 'raise'; code: string; reason: string; reasonKey?: string; reasonParams?: ReasonParams; evidence: EvidenceRef; passengersPresent?: boolean | undefined }
  | { action: 'clear'; liftId: string; code: string; note: string };

/**
 * Thresholds of the safety rules. Field values differ between terminals
 * (docs/safety-rules.md#what-retrofit-terminals-do), and several are unverified
 * (docs/standards.md#numbers-that-are-settings), so each is a setting.
 */
export interface DetectorConfig {
  /** Doors shut, passengers on board and no movement for this long is an entrapment (field: 45 s – 3 min). @defaultValue 60 */
  readonly entrapmentS: number;
  /** Overspeed when |speed| exceeds this × rated speed (terminals: 1.15; some 1.2). @defaultValue 1.15 */
  readonly overspeedFactor: number;
  /** The car counts as moving above this speed, m/s. @defaultValue 0.05 */
  readonly movingSpeedMps: number;
  /** Creep after the stop above this is unintended car movement, mm (unverified). @defaultValue 50 */
  readonly creepAlertMm: number;
  /**
   * A record whose device time is further ahead of the server's clock than this, s, is refused (kept as
   * a dead letter) and never becomes the lift's latest status; its safety content is still checked. @defaultValue 300
   */
  readonly clockMaxAheadS: number;
  /** A terminal clock off by more than this, s, raises Q02 for the lift's crew. @defaultValue 120 */
  readonly clockAlertS: number;
  /**
   * A clock behind by more than `clockAlertS` raises Q02 only after every record for this long, s, said so
   * while the device clock kept pace with the server's (a backlog sent after an outage is old, not wrong). @defaultValue 600
   */
  readonly clockBehindForS: number;
}

export const DEFAULT_DETECTOR_CONFIG: DetectorConfig = Object.freeze({
  entrapmentS: 60, overspeedFactor: 1.15, movingSpeedMps: 0.05, creepAlertMm: 50, clockMaxAheadS: 300, clockAlertS: 120, clockBehindForS: 600,
});

/**
 * The server's two clocks at one moment. `mono` (ms, monotonic: never set back, meaningless across
 * processes) measures every duration of the rules; `wall` (ms since the epoch) is compared with device
 * times and bridges a restart. Device time only orders and shows records.
 */
export interface ServerTime {
  readonly wall: number;
  readonly mono: number;
}

/**
 * Whether record `a` of a terminal comes after `b`. The seq rises with every record a terminal makes,
 * so a higher seq is newer even after the device clock was set back; a later device time is newer too,
 * so a terminal that starts its seq again from a lower value is followed.
 */
export function comesAfter(a: { seq: number; ts: number }, b: { seq: number; ts: number }): boolean {
  return seqTsAfter(a.seq, a.ts, b.seq, b.ts);
}

/** comesAfter of two records given by their seq and device time (where `b` is kept as fields, not an object). */
export function seqTsAfter(aSeq: number, aTs: number, bSeq: number, bTs: number): boolean {
  return aSeq > bSeq || aTs > bTs;
}

export function evidenceOf(liftId: string, stream: string, rec: { seq: number; ts: number }, values: Record<string, unknown>): EvidenceRef {
  return { liftId, stream, seq: rec.seq, ts: rec.ts, values };
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
