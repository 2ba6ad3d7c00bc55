import type { DoorRecord, LiftRecord, TripRecord } from '@liftwatch/contract';
import { createLiftSim, type FaultSpec } from '@liftwatch/simulator';
import { doorRawOf, tripRawOf, type DoorRaw, type TripRaw } from '../src/index.js';

/** 09:00 China time on a weekday: a busy hour. */
export const T0 = Date.UTC(2026, 10, 2, 1, 0, 0);

/**
 * Raw windows of a simulated lift (full fidelity, `raw: true`), each with the summary record the
 * simulator emitted for it: the signals a terminal's sensors give, from the simulator's physics.
 */
export function simulatedWindows(o: { faults?: FaultSpec[]; minutes?: number; seed?: number; floors?: number } = {}) {
  const sim = createLiftSim({ liftId: 'EDGE-1', seed: o.seed ?? 4, startMs: T0, floors: o.floors ?? 18, trafficScale: 2, raw: true, faults: o.faults ?? [] });
  const records: LiftRecord[] = sim.advanceTo(T0 + (o.minutes ?? 30) * 60_000);
  const bySeq = new Map(records.map((r) => [r.record.seq, r.record]));
  const trips: Array<{ raw: TripRaw; record: TripRecord }> = [];
  const doors: Array<{ raw: DoorRaw; record: DoorRecord }> = [];
  for (const w of sim.drainRaw()) {
    if (w.kind === 'trip') trips.push({ raw: tripRawOf(w), record: bySeq.get(w.recordSeq) as TripRecord });
    else doors.push({ raw: doorRawOf(w), record: bySeq.get(w.recordSeq) as DoorRecord });
  }
  return { trips, doors };
}

/** A fault at full `severity` from the start of the run (1: its failure threshold). */
export const fault = (kind: FaultSpec['kind'], severity = 1): FaultSpec => ({ id: kind, kind, onsetDay: 0, law: { type: 'linear', failDays: 0.001 }, severityMax: severity });

