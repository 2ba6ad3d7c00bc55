import type { LiftRecord } from '@liftwatch/contract';
import type { TruthRecord } from './ground-truth.js';
import { drawLift, type LiftDrawTruth } from './lift-draw.js';
import { createLiftSim, type LiftSim } from './lift-sim.js';
import type { ScenarioMix } from './mix.js';
import { demoSite } from './demo-site.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface DemoLiftOptions {
  /** The lift id the platform knows it by (e.g. SIM-0001). */
  readonly liftId: string;
  /** The end of its history, ms: the lift then goes on live from there. */
  readonly endMs: number;
  /** Days of history before `endMs`. */
  readonly days: number;
}

/** One simulated hour of a demo lift's history: its records and its ground truth. */
export interface DemoHour { readonly untilMs: number; readonly records: LiftRecord[]; readonly truth: TruthRecord[] }

export interface DemoLift {
  readonly liftId: string;
  readonly index: number;
  /** What was drawn for it (profile, traffic, crew, fault plan): the truth, not a feature. */
  readonly draw: LiftDrawTruth;
  readonly startMs: number;
  readonly endMs: number;
  /**
   * Days from the end of the history until the fault closest to failure would fail if nobody
   * repaired it (negative: it would have failed already), or null when no fault acts at the end.
   * An estimate from the fault plan alone, for putting the degrading lifts first.
   */
  readonly failsInDays: number | null;
  /** The simulated lift: run its history with `history()`, then keep calling `advanceTo`. */
  readonly sim: LiftSim;
  /** Its registry record (rated speed, landings…), once the history has begun: a terminal sends it again when it starts. */
  registry(): LiftRecord | undefined;
  /** The history, an hour at a time, in summary fidelity; afterwards the lift is at `endMs`. */
  history(): Generator<DemoHour, void, undefined>;
}

/**
 * Lift `index` of a mix as a demo lift: the same draws as that lift of `simulateFleet` (its traffic,
 * climate, maintenance unit and fault plan, so a realistic share of a fleet degrades), under the
 * platform's lift id, its run starting `days` before `endMs`. Its history is generated fast
 * (summary fidelity, ground truth kept); the same simulated lift then goes on, so a lift that was
 * degrading goes on degrading and fails.
 */
export function demoLift(mix: ScenarioMix, seed: number, index: number, o: DemoLiftOptions): DemoLift {
  const startMs = o.endMs - o.days * DAY_MS;
  const d = drawLift(mix, seed, index, o.days, o.liftId);
  // Each lift's routine visits on a day of its own in the period: all 200 lifts of a demo otherwise
  // had their visit on the history's last morning and went live in inspection mode together.
  const every = d.options.maintenance?.everyDays ?? 0;
  const maintenance = d.options.maintenance && every > 0 ? { ...d.options.maintenance, firstAfterDays: 1 + (index % Math.ceil(every)) } : d.options.maintenance;
  const sim = createLiftSim({ ...d.options, ...(maintenance ? { maintenance } : {}), startMs, fidelity: 'summary', groundTruth: true });
  let registry: LiftRecord | undefined;
  const site = demoSite(o.liftId);
  // The terminal's profile names the lift as people know it: a name and an address.
  const named = (r: LiftRecord): LiftRecord => (r.stream === 'registry' ? { ...r, record: { ...r.record, ...site } } as LiftRecord : r);
  function* history(): Generator<DemoHour, void, undefined> {
    for (let t = startMs; t < o.endMs;) {
      t = Math.min(o.endMs, t + HOUR_MS);
      const records = sim.advanceTo(t).map(named);
      registry ??= records.find((r) => r.stream === 'registry');
      yield { untilMs: t, records, truth: sim.drainTruth() };
    }
    if (registry === undefined) registry = sim.advanceTo(o.endMs).map(named).find((r) => r.stream === 'registry'); // no history: made at once
  }
  return { liftId: o.liftId, index, draw: d.truth, startMs, endMs: o.endMs, failsInDays: failsInDays(d.truth, o.days), sim, history, registry: () => registry };
}

function failsInDays(draw: LiftDrawTruth, days: number): number | null {
  let soonest: number | null = null;
  for (const f of draw.faults) {
    if (f.onsetDay >= days || !('failDays' in f.law)) continue;
    const left = f.onsetDay + f.law.failDays - days;
    if (left < -30) continue; // long past: repaired by now
    if (soonest === null || Math.abs(left) < Math.abs(soonest)) soonest = left;
  }
  return soonest === null ? null : Math.round(soonest * 10) / 10;
}
