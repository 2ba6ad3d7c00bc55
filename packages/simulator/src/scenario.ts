import { readdirSync, readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { lwError } from '@liftwatch/contract';
import { CommsSpec, FaultSpec, MaintenancePolicy } from './fault-plan.js';
import { createLiftSim, type LiftSimOptions } from './lift-sim.js';
import { mixSeed } from './prng.js';

/** A precursor the scenario promises: the field moves in `direction` by at least `minChange` before `beforeCode` fires. */
export const Precursor = Type.Object({
  stream: Type.Union([Type.Literal('trip'), Type.Literal('door'), Type.Literal('env'), Type.Literal('device')]),
  field: Type.String(),
  direction: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  /** Relative change of the mean (0.1 = 10 %) or, with `absolute`, a change in the field's unit. */
  minChange: Type.Number(),
  absolute: Type.Optional(Type.Boolean()),
  /** Compare |value| (stop errors). */
  magnitude: Type.Optional(Type.Boolean()),
  /** Only records at this floor (landing-bound faults). */
  floor: Type.Optional(Type.Integer()),
}, { additionalProperties: false });
export type Precursor = Static<typeof Precursor>;

/**
 * A scenario file (docs/simulator.md), in `packages/simulator/scenarios/<name>.json`.
 */
export const Scenario = Type.Object({
  name: Type.String({ pattern: '^[a-z0-9-]+$' }),
  description: Type.String(),
  /** Local start, ISO 8601 with offset. */
  start: Type.String({ minLength: 10, description: 'e.g. 2026-07-01T00:00:00+08:00' }),
  days: Type.Number({ exclusiveMinimum: 0, maximum: 3_650 }),
  profile: Type.Union([Type.Literal('residential'), Type.Literal('office'), Type.Literal('hospital')]),
  floors: Type.Optional(Type.Integer({ minimum: 2, maximum: 120 })),
  trafficScale: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  ambient: Type.Optional(Type.Object({ meanC: Type.Number(), dailyAmpC: Type.Number() }, { additionalProperties: false })),
  ardFailProb: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  faults: Type.Array(FaultSpec),
  maintenance: Type.Optional(MaintenancePolicy),
  comms: Type.Optional(CommsSpec),
  /** What the scenario shows: the codes the controller should emit, in order, and the precursors before the first. */
  expect: Type.Object({
    codes: Type.Array(Type.String()),
    precursors: Type.Array(Precursor),
    /** Lifts to run to see it (an outage shows entrapments only across a fleet). @defaultValue 1 */
    lifts: Type.Optional(Type.Integer({ minimum: 1 })),
  }, { additionalProperties: false }),
}, { additionalProperties: false });
export type Scenario = Static<typeof Scenario>;

const check = TypeCompiler.Compile(Scenario);
const DIR = new URL('../scenarios/', import.meta.url);

/** The scenario files shipped with the simulator, by name. */
export function scenarioNames(): string[] {
  return readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

/** Parses and validates a scenario; the error names the file, the field and what to do. */
export function parseScenario(text: string, source: string): Scenario {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw lwError('LW_ERR_SCENARIO_INVALID', `Scenario ${source} is not JSON (${(err as Error).message}); fix the file.`, err);
  }
  if (!check.Check(value)) {
    const e = [...check.Errors(value)][0];
    throw lwError('LW_ERR_SCENARIO_INVALID', `Scenario ${source}: ${e?.path || '/'} ${e?.message ?? 'is invalid'} (value ${JSON.stringify(e?.value)}); see packages/simulator/README.md for the format.`);
  }
  return value;
}

export function loadScenario(name: string): Scenario {
  if (!scenarioNames().includes(name)) throw lwError('LW_ERR_SCENARIO_INVALID', `No scenario named "${name}"; known: ${scenarioNames().join(', ')}.`);
  return parseScenario(readFileSync(new URL(`${name}.json`, DIR), 'utf8'), `${name}.json`);
}

/** Simulator options for one lift of a scenario: lift `index` of the fleet, run with `seed`. */
export function scenarioLiftOptions(s: Scenario, x: { seed: number; index: number; liftId: string; fidelity?: 'full' | 'fast'; groundTruth?: boolean; raw?: boolean }): LiftSimOptions {
  const opts: { -readonly [K in keyof LiftSimOptions]: LiftSimOptions[K] } = {
    liftId: x.liftId, seed: mixSeed(x.seed, x.index + 1), startMs: Date.parse(s.start), profile: s.profile, faults: s.faults,
    fidelity: x.fidelity ?? 'fast', groundTruth: x.groundTruth ?? true, raw: x.raw ?? false,
  };
  if (s.floors !== undefined) opts.floors = s.floors;
  if (s.trafficScale !== undefined) opts.trafficScale = s.trafficScale;
  if (s.ambient !== undefined) opts.ambient = s.ambient;
  if (s.ardFailProb !== undefined) opts.ardFailProb = s.ardFailProb;
  if (s.maintenance !== undefined) opts.maintenance = s.maintenance;
  if (s.comms !== undefined) opts.comms = s.comms;
  if (x.fidelity === 'fast' || x.fidelity === undefined) opts.statusIdleS = 300;
  return opts;
}

export function createScenarioLift(s: Scenario, x: Parameters<typeof scenarioLiftOptions>[1]) {
  return createLiftSim(scenarioLiftOptions(s, x));
}
