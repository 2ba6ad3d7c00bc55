import { createHash } from 'node:crypto';
import type * as Simulator from '../src/index.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** SHA-256 of lines of JSON, one per value. */
function digestOf(values: Iterable<unknown>): string {
  const hash = createHash('sha256');
  for (const v of values) hash.update(`${JSON.stringify(v)}\n`);
  return hash.digest('hex');
}

/** Every event of a fleet at summary fidelity (records and ground truth), in the order the training reads them. */
function* fleetEvents(sim: typeof Simulator, mix: string, lifts: number, days: number): Generator<unknown> {
  for (const lift of sim.simulateFleet({ mix, seed: 7, lifts, days })) yield* lift.events();
}

/** Lifts at full fidelity with raw windows, one per P1 event (injected half an hour in): records, ground truth and windows, hour by hour. */
function* p1Lifts(sim: typeof Simulator, hours: number): Generator<unknown> {
  const mix = sim.loadMix('city-mixed');
  for (const [i, kind] of sim.P1_KINDS.entries()) {
    const d = sim.drawLift(mix, 7, i, 1);
    const lift = sim.createLiftSim({ ...d.options, fidelity: 'full', raw: true });
    yield* lift.advanceTo(d.startMs + HOUR_MS / 2);
    lift.injectP1(kind);
    for (let h = 1; h <= hours; h++) {
      yield* lift.advanceTo(d.startMs + h * HOUR_MS);
      yield* lift.drainTruth();
      yield* lift.drainRaw();
    }
  }
}

/** Records and ground truth of every shipped scenario's first lift in accelerated time ('fast' fidelity), up to `days`. */
function* scenarioLifts(sim: typeof Simulator, days: number): Generator<unknown> {
  for (const name of sim.scenarioNames()) {
    const s = sim.loadScenario(name);
    const lift = sim.createScenarioLift(s, { seed: 7, index: 0, liftId: name.slice(0, 40) });
    const start = Date.parse(s.start);
    for (let d = 1; d <= Math.min(days, Math.ceil(s.days)); d++) {
      yield* lift.advanceTo(start + d * DAY_MS);
      yield* lift.drainTruth();
    }
  }
}

/** What each digest covers: summary fleets of two mixes (faults, functional failures, visits), full fidelity with raw windows and each P1 event, the first days of every scenario at 'fast' (a power outage among them). */
export const OUTPUTS = {
  summaryCityMixed: (sim: typeof Simulator) => fleetEvents(sim, 'city-mixed', 4, 20),
  summaryOldStock: (sim: typeof Simulator) => fleetEvents(sim, 'old-stock', 6, 20),
  fullWithRawAndP1: (sim: typeof Simulator) => p1Lifts(sim, 2),
  fastScenarios: (sim: typeof Simulator) => scenarioLifts(sim, 3),
};

/**
 * The digest of one of the simulator's outputs for fixed seeds. A change meant to leave the output
 * alone (a speed-up, a split of a file) must leave every digest alone.
 */
export function outputDigest(sim: typeof Simulator, output: keyof typeof OUTPUTS): string {
  return digestOf(OUTPUTS[output](sim));
}
