import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Type, type Static, type TNumber, type TOptional } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { lwError } from '@liftwatch/contract';
import { FAULT_KINDS } from './fault-plan.js';
import { FAMILY_IDS, type FamilyId } from './families.js';

const Range = (description: string, bounds: { minimum: number; maximum: number }) =>
  Type.Object({ min: Type.Number(bounds), max: Type.Number(bounds) }, { additionalProperties: false, description: `${description}: drawn uniformly per lift between min and max` });
const Weights = <K extends string>(keys: readonly K[], description: string) =>
  Type.Object(Object.fromEntries(keys.map((k) => [k, Type.Optional(Type.Number({ minimum: 0 }))])) as Record<K, TOptional<TNumber>>, { additionalProperties: false, description: `${description}: relative weights of a random pick` });

/** One fault family's draws: how often its faults start, which kinds, how fast they grow. */
export const FamilyDraw = Type.Object({
  /** Fault onsets per lift-year at age 0 (a Poisson process; older lifts see more, see `agingPerYear`). */
  onsetsPerYear: Type.Number({ minimum: 0, maximum: 50, description: 'Fault onsets per lift-year (Poisson), before the age factor' }),
  kinds: Weights(FAULT_KINDS, 'Fault kinds of this family'),
  /** Days from onset to the component's failure threshold (s = 1), drawn log-uniformly per fault. */
  failDays: Range('Days from onset to the failure threshold (log-uniform)', { minimum: 0.01, maximum: 3_650 }),
  laws: Weights(['linear', 'exp', 'power'] as const, 'Degradation laws'),
  /**
   * How wear follows use: failDays is for a lift of 400 trips a day and is scaled by
   * (400 / tripsPerDay)^usageExponent (1: wear per cycle, 0: wear with time). @defaultValue 0
   */
  usageExponent: Type.Optional(Type.Number({ minimum: 0, maximum: 2, description: 'How wear follows use: 1 per cycle, 0 with time' })),
}, { additionalProperties: false });
export type FamilyDraw = Static<typeof FamilyDraw>;

/**
 * A scenario mix: a named set of per-lift random draws (traffic, building, climate, maintenance
 * unit, fault onsets, laws and rates). Lift `index` of seed `seed` of a mix is always the same lift,
 * whatever the fleet size. Shipped mixes are in `packages/simulator/mixes/<name>.json`; a JSON file
 * of this shape can be given instead of a name.
 */
export const ScenarioMix = Type.Object({
  name: Type.String({ pattern: '^[a-z0-9-]+$' }),
  description: Type.String(),
  /** Local start of every lift's run, ISO 8601 with offset. @defaultValue 2026-01-01T00:00:00+08:00 */
  start: Type.Optional(Type.String({ minLength: 10 })),
  profiles: Weights(['residential', 'office', 'hospital'] as const, 'Traffic profiles'),
  floors: Range('Landings', { minimum: 2, maximum: 120 }),
  /** Trips a day: log-uniform between min and max (domain range for residential lifts 200–800). */
  tripsPerDay: Range('Trips a day (log-uniform)', { minimum: 1, maximum: 5_000 }),
  ambientMeanC: Range('Machine-room air, yearly mean, °C', { minimum: -20, maximum: 50 }),
  ambientSwingC: Range('Machine-room air, daily half-swing, °C', { minimum: 0, maximum: 20 }),
  /** Machine-room air, seasonal half-swing (summer peak in late July), °C. @defaultValue none */
  ambientSeasonC: Type.Optional(Range('Machine-room air, seasonal half-swing, °C', { minimum: 0, maximum: 30 })),
  ageYears: Range('Age of the lift at the start, years', { minimum: 0, maximum: 60 }),
  /** Scale of the car's ride noise and the accelerometer's noise floor, per lift. @defaultValue 1 for every lift */
  vibrationNoise: Type.Optional(Range('Vibration noise scale', { minimum: 0, maximum: 10 })),
  /** Onset rates grow by this share per year of age. @defaultValue 0.03 */
  agingPerYear: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  /** Share of lifts whose controller stops the lift after a failed brake-force test (the others only warn). */
  brakeTestStopsShare: Type.Number({ minimum: 0, maximum: 1 }),
  maintenance: Type.Object({
    /** Routine visit period, days (TSG T5002-2017: at most 15). */
    everyDays: Type.Number({ minimum: 0, maximum: 3_650 }),
    /** Maintenance units the lifts are shared among; each unit's quality is drawn once per seed. */
    units: Type.Integer({ minimum: 1, maximum: 10_000 }),
    /** Quality of a unit, 0–1: share of items done, how early wear is seen, how well it is repaired. */
    quality: Range('Maintenance unit quality', { minimum: 0, maximum: 1 }),
    /** Hours from a functional failure to the corrective visit (log-uniform). */
    correctiveAfterH: Range('Hours to a corrective visit (log-uniform)', { minimum: 0, maximum: 1_000 }),
  }, { additionalProperties: false }),
  families: Type.Object(Object.fromEntries(FAMILY_IDS.map((f) => [f, Type.Optional(FamilyDraw)])) as Record<FamilyId, TOptional<typeof FamilyDraw>>, { additionalProperties: false }),
}, { additionalProperties: false });
export type ScenarioMix = Static<typeof ScenarioMix>;

const check = TypeCompiler.Compile(ScenarioMix);
const DIR = new URL('../mixes/', import.meta.url);

/** The mixes shipped with the simulator, by name. */
export function mixNames(): string[] {
  return readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

/** Parses and validates a mix; the error names the source, the field and what to do. */
export function parseMix(text: string, source: string): ScenarioMix {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw lwError('LW_ERR_SCENARIO_INVALID', `Scenario mix ${source} is not JSON (${(err as Error).message}); fix the file.`, err);
  }
  if (!check.Check(value)) {
    const e = [...check.Errors(value)][0];
    throw lwError('LW_ERR_SCENARIO_INVALID', `Scenario mix ${source}: ${e?.path || '/'} ${e?.message ?? 'is invalid'} (value ${JSON.stringify(e?.value)}); see docs/simulator.md for the format.`);
  }
  for (const r of rangesOf(value)) {
    if (r.range.min > r.range.max) throw lwError('LW_ERR_SCENARIO_INVALID', `Scenario mix ${source}: ${r.path} has min ${r.range.min} above max ${r.range.max}; swap them.`);
  }
  return value;
}

/** A shipped mix by name, or a mix file by path (a name with `/` or ending in `.json`). */
export function loadMix(nameOrPath: string): ScenarioMix {
  if (nameOrPath.includes('/') || nameOrPath.endsWith('.json')) {
    if (!existsSync(nameOrPath)) throw lwError('LW_ERR_SCENARIO_INVALID', `No scenario mix file ${nameOrPath}; give a path to a JSON file or one of: ${mixNames().join(', ')}.`);
    return parseMix(readFileSync(nameOrPath, 'utf8'), nameOrPath);
  }
  if (!mixNames().includes(nameOrPath)) throw lwError('LW_ERR_SCENARIO_INVALID', `No scenario mix named "${nameOrPath}"; known: ${mixNames().join(', ')} (or give a path to a JSON file).`);
  return parseMix(readFileSync(new URL(`${nameOrPath}.json`, DIR), 'utf8'), `${nameOrPath}.json`);
}

function rangesOf(m: ScenarioMix): Array<{ path: string; range: { min: number; max: number } }> {
  const out = [
    { path: '/floors', range: m.floors }, { path: '/tripsPerDay', range: m.tripsPerDay }, { path: '/ambientMeanC', range: m.ambientMeanC },
    { path: '/ambientSwingC', range: m.ambientSwingC }, ...(m.ambientSeasonC ? [{ path: '/ambientSeasonC', range: m.ambientSeasonC }] : []), { path: '/ageYears', range: m.ageYears }, ...(m.vibrationNoise ? [{ path: '/vibrationNoise', range: m.vibrationNoise }] : []), { path: '/maintenance/quality', range: m.maintenance.quality },
    { path: '/maintenance/correctiveAfterH', range: m.maintenance.correctiveAfterH },
  ];
  for (const [f, d] of Object.entries(m.families)) if (d) out.push({ path: `/families/${f}/failDays`, range: d.failDays });
  return out;
}
