import type { LiftRecord } from '@liftwatch/contract';
import { createScenarioLift, type Precursor, type Scenario } from '../src/scenario.js';
import type { TruthRecord } from '../src/ground-truth.js';

const DAY_MS = 86_400_000;

/** Runs lift `index` of a scenario in accelerated time; returns its records and ground truth. */
export function runScenarioLift(s: Scenario, seed: number, index = 0, days = s.days, stopAfterCodes = false): { records: LiftRecord[]; truth: TruthRecord[] } {
  const sim = createScenarioLift(s, { seed, index, liftId: `${s.name.slice(0, 40)}-${index}`, fidelity: 'fast' });
  const records: LiftRecord[] = [];
  const truth: TruthRecord[] = [];
  const start = Date.parse(s.start);
  for (let d = 1; d <= Math.ceil(days); d++) {
    records.push(...sim.advanceTo(start + Math.min(d, days) * DAY_MS));
    truth.push(...sim.drainTruth());
    if (stopAfterCodes && s.expect.codes.length > 0 && s.expect.codes.every((c) => firstRaise(records, c))) break;
  }
  return { records, truth };
}

/** The first raise of each code, by record. */
export function firstRaise(records: readonly LiftRecord[], code: string): LiftRecord | undefined {
  return records.find((r) => r.stream === 'fault' && r.record.code === code && r.record.state === 'raised');
}

/**
 * Means of a precursor's field early (the first fifth of the time from the start to the code) and
 * late (the last tenth before the code), and whether it moved as promised.
 */
export function precursorChange(records: readonly LiftRecord[], p: Precursor, beforeTs: number): { early: number; late: number; change: number; ok: boolean; n: number } {
  const start = records[0]!.record.ts;
  const span = beforeTs - start;
  const values = (from: number, to: number) => records
    .filter((r) => r.stream === p.stream && r.record.ts >= from && r.record.ts < to && (p.floor === undefined || (r.record as { floor?: number }).floor === p.floor))
    .map((r) => Number((r.record as unknown as Record<string, unknown>)[p.field]))
    .filter((v) => Number.isFinite(v))
    .map((v) => (p.magnitude ? Math.abs(v) : v));
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);
  const e = values(start, start + span / 5);
  const l = values(beforeTs - span / 10, beforeTs);
  const early = mean(e);
  const late = mean(l);
  const diff = p.direction === 'up' ? late - early : early - late;
  const change = p.absolute ? diff : diff / Math.max(1e-9, Math.abs(early));
  return { early, late, change, ok: e.length > 0 && l.length > 0 && change >= p.minChange, n: Math.min(e.length, l.length) };
}
