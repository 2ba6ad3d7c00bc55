import type { EvidenceRef } from '@liftwatch/contract';

/** What a rule concluded from a record: open (or count) an alert, or say its condition went away. */
export type Detection =
  | { action: 'raise'; code: string; reason: string; evidence: EvidenceRef; passengersPresent?: boolean | undefined }
  | { action: 'clear'; liftId: string; code: string; note: string };

/**
 * Thresholds of the safety rules. Field values differ between terminals (domain §1.2.4), and several
 * are [M] (unverified) in the domain document, so each is a setting.
 */
export interface DetectorConfig {
  /** Doors shut, passengers on board and no movement for this long is an entrapment (field: 45 s – 3 min). @defaultValue 60 */
  readonly entrapmentS: number;
  /** Overspeed when |speed| exceeds this × rated speed (terminals: 1.15; some 1.2). @defaultValue 1.15 */
  readonly overspeedFactor: number;
  /** The car counts as moving above this speed, m/s. @defaultValue 0.05 */
  readonly movingSpeedMps: number;
  /** Creep after the stop above this is unintended car movement, mm [M]. @defaultValue 50 */
  readonly creepAlertMm: number;
}

export const DEFAULT_DETECTOR_CONFIG: DetectorConfig = Object.freeze({ entrapmentS: 60, overspeedFactor: 1.15, movingSpeedMps: 0.05, creepAlertMm: 50 });

export function evidenceOf(liftId: string, stream: string, rec: { seq: number; ts: number }, values: Record<string, unknown>): EvidenceRef {
  return { liftId, stream, seq: rec.seq, ts: rec.ts, values };
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
