import { GOLDEN, type DoorRecord, type TripRecord } from '@liftwatch/contract';

const DAY = 86_400_000;

/**
 * An example history for demos and tests (not training data): a lift's trip and door summaries over `days` days ending at `end`
 * with a little deterministic noise; from `wornFrom` on, the door is wearing (domain §3 F1: close
 * time and lock-made time up against the lift's own baseline, door-motor current up, re-opens).
 * `perDay` (default 12) trips and door cycles a day; a busy simulated lift does ~700.
 */
export function doorWearHistory(liftId: string, o: { end: number; days: number; wornFrom: number; firstSeq?: number; perDay?: number }): { trips: TripRecord[]; doors: DoorRecord[] } {
  const trips: TripRecord[] = [];
  const doors: DoorRecord[] = [];
  let seq = o.firstSeq ?? 1;
  const start = o.end - o.days * DAY;
  const perDay = o.perDay ?? 12;
  for (let t = start, i = 0; t < o.end; t += DAY / perDay, i++) {
    const noise = 1 + (((i * 7919) % 13) - 6) / 200; // ±3 %
    const worn = t >= o.wornFrom;
    const ts = Math.round(t);
    doors.push({ ...GOLDEN.door, liftId, seq: seq++, ts, closeS: 3.1 * noise * (worn ? 1.45 : 1), lockMadeMs: 180 * noise * (worn ? 1.6 : 1),
      doorMotorIMeanA: 1.4 * noise * (worn ? 1.45 : 1), reopens: worn && i % 5 === 0 ? 1 : 0 });
    trips.push({ ...GOLDEN.trip, liftId, seq: seq++, ts: ts + 30_000, startTs: ts + 8_600, stopErrMm: 3.5 * noise });
  }
  return { trips, doors };
}

