import { lwError, type LiftRecord } from '@liftwatch/contract';
import type { TruthRecord } from './ground-truth.js';
import { drawLift, type LiftDrawTruth } from './lift-draw.js';
import { createLiftSim, type LiftSim } from './lift-sim.js';
import { loadMix, type ScenarioMix } from './mix.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface FleetOptions {
  /** A shipped mix's name (`mixNames()`), a path to a mix JSON file, or a parsed mix. */
  readonly mix: string | ScenarioMix;
  readonly seed: number;
  /** Lifts to simulate, from `firstLift`. */
  readonly lifts: number;
  /** Simulated days per lift. */
  readonly days: number;
  /**
   * `summary`: trip, door, fault and alarm records with status, env, device and counters at
   * heartbeat periods, no raw waveforms (fast); `full`: status every second while moving and each
   * trip's own vibration window (the records an edge agent computes from raw signals). @defaultValue 'summary'
   */
  readonly fidelity?: 'summary' | 'full';
  /** Index of the first lift, so that workers can share a fleet: lift i is the same in any slice. @defaultValue 0 */
  readonly firstLift?: number;
}

/** A record as the platform receives it, or a ground-truth line (`stream: 'truth'`). */
export type FleetEvent = LiftRecord | { readonly stream: 'truth'; readonly record: TruthRecord };

export interface FleetLift {
  readonly liftId: string;
  /** The lift's index in its fleet (0-based). */
  readonly index: number;
  readonly seed: number;
  readonly mix: string;
  /** What was drawn for this lift (also the first truth line, `type: 'draw'`). */
  readonly draw: LiftDrawTruth;
  /**
   * The lift's records and ground truth in time order: each truth line comes before the first
   * record later than it. Generated lazily, an hour of simulated time at a time.
   */
  events(): IterableIterator<FleetEvent>;
  /** The same events in arrays of an hour of simulated time each (fewer calls for a fast reader). */
  hours(): IterableIterator<FleetEvent[]>;
}

/**
 * Simulates a fleet in-process, lift after lift, without files: each lift's records as the
 * platform receives them, interleaved with its ground truth (functional failures, maintenance,
 * health, causes). Deterministic: the same (mix, seed, index, days, fidelity) gives the same events.
 */
export function* simulateFleet(o: FleetOptions): Generator<FleetLift, void, undefined> {
  const mix = typeof o.mix === 'string' ? loadMix(o.mix) : o.mix;
  checkFleetOptions(o);
  const first = o.firstLift ?? 0;
  for (let i = first; i < first + o.lifts; i++) yield simulateLift(mix, o.seed, i, o.days, o.fidelity ?? 'summary');
}

/** One lift of a mix (lift `index` of seed `seed`). */
export function simulateLift(mix: ScenarioMix, seed: number, index: number, days: number, fidelity: 'summary' | 'full' = 'summary'): FleetLift {
  const d = drawLift(mix, seed, index, days);
  const end = d.startMs + days * DAY_MS;
  const firstHour = (): FleetEvent[] => [{ stream: 'truth', record: { type: 'draw', liftId: d.liftId, ts: d.startMs, mix: mix.name, seed, index, draw: d.truth } }];
  /** An iterator over the lift's hours; each call of `events()` or `hours()` runs the lift anew. */
  const hours = (): IterableIterator<FleetEvent[]> => new HourIterator(createLiftSim({ ...d.options, fidelity }), d.startMs, end, firstHour);
  return {
    liftId: d.liftId, index, seed, mix: mix.name, draw: d.truth, hours,
    events: () => new EventIterator(hours()),
  };
}

/**
 * A lift's events an hour of simulated time at a time (the draw line first). The iterators are
 * classes, not closures made per lift: their `next` is one function for every lift, which V8
 * inlines into the reader's loop (one call per event is the hot path of training).
 */
class HourIterator implements IterableIterator<FleetEvent[]> {
  private first = true;

  constructor(private readonly sim: LiftSim, private t: number, private readonly end: number, private readonly firstHour: () => FleetEvent[]) {}

  next(): IteratorResult<FleetEvent[]> {
    if (this.first) {
      this.first = false;
      return { done: false, value: this.firstHour() };
    }
    if (this.t >= this.end) return { done: true, value: undefined };
    this.t = Math.min(this.end, this.t + HOUR_MS);
    return { done: false, value: interleave(this.sim.advanceTo(this.t), this.sim.drainTruth()) };
  }

  [Symbol.iterator](): IterableIterator<FleetEvent[]> {
    return this;
  }
}

/** The events of the hours one by one. */
class EventIterator implements IterableIterator<FleetEvent> {
  private batch: FleetEvent[] = [];
  private i = 0;

  constructor(private readonly source: Iterator<FleetEvent[]>) {}

  next(): IteratorResult<FleetEvent> {
    while (this.i >= this.batch.length) {
      const r = this.source.next();
      if (r.done === true) return { done: true, value: undefined };
      this.batch = r.value;
      this.i = 0;
    }
    return { done: false, value: this.batch[this.i++]! };
  }

  [Symbol.iterator](): IterableIterator<FleetEvent> {
    return this;
  }
}

/** Records in their order, each truth line before the first record later than it. */
function interleave(records: readonly LiftRecord[], truth: readonly TruthRecord[]): FleetEvent[] {
  if (truth.length === 0) return records as FleetEvent[];
  const out: FleetEvent[] = [];
  let k = 0;
  for (const r of records) {
    while (k < truth.length && truth[k]!.ts < r.record.ts) out.push({ stream: 'truth', record: truth[k++]! });
    out.push(r);
  }
  while (k < truth.length) out.push({ stream: 'truth', record: truth[k++]! });
  return out;
}

function checkFleetOptions(o: FleetOptions): void {
  if (!Number.isInteger(o.lifts) || o.lifts < 1) throw lwError('LW_ERR_SCENARIO_INVALID', `lifts ${o.lifts} must be a whole number ≥ 1.`);
  if (!(o.days > 0) || o.days > 36_500) throw lwError('LW_ERR_SCENARIO_INVALID', `days ${o.days} must be > 0 and at most 36,500.`);
  if (!Number.isInteger(o.seed) || o.seed < 0) throw lwError('LW_ERR_SCENARIO_INVALID', `seed ${o.seed} must be a whole number ≥ 0.`);
  if (o.firstLift !== undefined && (!Number.isInteger(o.firstLift) || o.firstLift < 0)) throw lwError('LW_ERR_SCENARIO_INVALID', `firstLift ${o.firstLift} must be a whole number ≥ 0.`);
  if (o.fidelity !== undefined && o.fidelity !== 'summary' && o.fidelity !== 'full') throw lwError('LW_ERR_SCENARIO_INVALID', `fidelity "${String(o.fidelity)}" must be summary or full.`);
}
