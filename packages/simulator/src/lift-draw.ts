import type { DegradationLaw, FaultKind, FaultSpec, MaintenancePolicy } from './fault-plan.js';
import { FAMILY_IDS, type FamilyId } from './families.js';
import type { LiftSimOptions } from './lift-sim.js';
import type { FamilyDraw, ScenarioMix } from './mix.js';
import { createRandom, mixSeed, type Random } from './prng.js';
import { callsPerDay, type TrafficProfile } from './traffic.js';
import { round } from './round.js';

/** Faults may have started this long before the run (a lift in service already has worn parts). */
const WARM_UP_DAYS = 60;
/** Trips per call of the traffic model (a call starts a chain of boardings), measured on healthy lifts. */
const TRIPS_PER_CALL = 1.78;
export const DEFAULT_MIX_START = '2026-01-01T00:00:00+08:00';

/** What was drawn for one lift, as the ground truth's `draw` line reports it. */
export interface LiftDrawTruth {
  profile: TrafficProfile; floors: number; tripsPerDay: number; trafficScale: number; ambientMeanC: number; ambientSwingC: number; ambientSeasonC: number;
  ageYears: number; vibrationNoise: number; brakeTestStops: boolean; maintenanceUnit: number; unitQuality: number; correctiveAfterH: number;
  faults: FaultSpec[];
}

export interface LiftDraw { liftId: string; startMs: number; truth: LiftDrawTruth; options: LiftSimOptions }

/** A stable 32-bit hash of a mix name, so two mixes with the same seed draw different fleets. */
function nameHash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

const logUniform = (rnd: Random, r: { min: number; max: number }) => Math.exp(rnd.uniform(Math.log(Math.max(1e-9, r.min)), Math.log(Math.max(1e-9, r.max))));
const uniform = (rnd: Random, r: { min: number; max: number }) => rnd.uniform(r.min, r.max);

function pickWeighted<K extends string>(rnd: Random, weights: Partial<Record<K, number>>): K | undefined {
  const entries = Object.entries(weights) as Array<[K, number]>;
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let u = rnd.next() * total;
  for (const [k, w] of entries) if ((u -= w) < 0) return k;
  return entries.length > 0 ? entries[entries.length - 1]![0] : undefined;
}

/** The trips a day at which a family's `failDays` hold; busier lifts wear faster by `usageExponent`. */
const REFERENCE_TRIPS_PER_DAY = 400;

function drawLaw(rnd: Random, family: FamilyDraw, tripsPerDay: number): DegradationLaw {
  const usage = (REFERENCE_TRIPS_PER_DAY / tripsPerDay) ** (family.usageExponent ?? 0);
  const failDays = logUniform(rnd, family.failDays) * usage;
  switch (pickWeighted(rnd, family.laws) ?? 'linear') {
    case 'exp': return { type: 'exp', failDays, tauDays: failDays * rnd.uniform(0.15, 0.5) };
    case 'power': return { type: 'power', failDays, exponent: rnd.uniform(1.5, 3) };
    default: return { type: 'linear', failDays };
  }
}

/** Poisson onsets of one family over the warm-up and the run, each with its kind, law and rate. */
function drawFaults(rnd: Random, familyId: FamilyId, family: FamilyDraw, ratePerDay: number, days: number, lift: { floors: number; tripsPerDay: number }): FaultSpec[] {
  const faults: FaultSpec[] = [];
  let day = -WARM_UP_DAYS;
  for (let k = 0; ratePerDay > 0; k++) {
    day += rnd.exponential(1 / ratePerDay);
    if (day >= days) break;
    const kind: FaultKind = pickWeighted(rnd, family.kinds) ?? 'doorFrictionWear';
    const law = drawLaw(rnd, family, lift.tripsPerDay);
    // A fault that began before the run is at most 60 % of the way to failure at its start, so its precursors show in the records.
    const onsetDay = day < 0 && 'failDays' in law ? Math.max(day, -0.6 * law.failDays) : day;
    const spec: FaultSpec = { id: `${familyId}-${k + 1}`, kind, onsetDay: Math.round(onsetDay * 1000) / 1000, law, severityMax: 1.3 };
    if (kind === 'lockContactWear' || kind === 'safetyChainIntermittency') spec.floor = rnd.int(1, lift.floors);
    faults.push(spec);
  }
  return faults;
}

/**
 * Lift `index` of seed `seed` of a mix: its building, traffic, climate, maintenance unit and fault
 * plan, drawn from streams of its own, so the same (mix, seed, index) is the same lift in any fleet.
 */
export function drawLift(mix: ScenarioMix, seed: number, index: number, days: number, liftId?: string): LiftDraw {
  const mixSeedValue = mixSeed(seed, nameHash(mix.name));
  const rnd = createRandom(mixSeed(mixSeedValue, index + 1));
  const profile: TrafficProfile = pickWeighted(rnd, mix.profiles) ?? 'residential';
  const floors = Math.round(uniform(rnd, mix.floors));
  const tripsPerDay = logUniform(rnd, mix.tripsPerDay);
  const trafficScale = tripsPerDay / (TRIPS_PER_CALL * callsPerDay(profile));
  const ambientMeanC = uniform(rnd, mix.ambientMeanC);
  const ambientSwingC = uniform(rnd, mix.ambientSwingC);
  const ambientSeasonC = mix.ambientSeasonC ? uniform(rnd, mix.ambientSeasonC) : 0;
  const ageYears = uniform(rnd, mix.ageYears);
  const vibrationNoise = mix.vibrationNoise ? uniform(rnd, mix.vibrationNoise) : 1;
  const brakeTestStops = rnd.next() < mix.brakeTestStopsShare;
  const maintenanceUnit = rnd.int(0, mix.maintenance.units - 1);
  const unitQuality = uniform(createRandom(mixSeed(mixSeedValue, 0x5eed0000 + maintenanceUnit)), mix.maintenance.quality);
  const correctiveAfterH = logUniform(rnd, mix.maintenance.correctiveAfterH);
  const aging = 1 + (mix.agingPerYear ?? 0.03) * ageYears;
  const faults: FaultSpec[] = [];
  for (const f of FAMILY_IDS) {
    const family = mix.families[f];
    if (!family) continue;
    faults.push(...drawFaults(createRandom(mixSeed(rnd.int(0, 2 ** 31), FAMILY_IDS.indexOf(f))), f, family, family.onsetsPerYear * aging / 365, days, { floors, tripsPerDay }));
  }
  const truth: LiftDrawTruth = {
    profile, floors, tripsPerDay: Math.round(tripsPerDay), trafficScale: round(trafficScale, 4), ambientMeanC: round(ambientMeanC, 1),
    ambientSwingC: round(ambientSwingC, 1), ambientSeasonC: round(ambientSeasonC, 1), ageYears: round(ageYears, 1), vibrationNoise: round(vibrationNoise, 3), brakeTestStops, maintenanceUnit, unitQuality: round(unitQuality, 3),
    correctiveAfterH: round(correctiveAfterH, 2), faults,
  };
  const startMs = Date.parse(mix.start ?? DEFAULT_MIX_START);
  const id = liftId ?? `${mix.name.slice(0, 40)}-s${seed}-${String(index + 1).padStart(4, '0')}`;
  const maintenance: MaintenancePolicy = { everyDays: mix.maintenance.everyDays, restore: {}, correctiveAfterH, quality: unitQuality };
  const options: LiftSimOptions = {
    liftId: id, seed: mixSeed(mixSeedValue, 0x51f7 + index), startMs, floors, profile, trafficScale, faults, maintenance,
    ambient: { meanC: ambientMeanC, dailyAmpC: ambientSwingC, seasonAmpC: ambientSeasonC }, vibrationNoiseScale: vibrationNoise, brakeTestStops, groundTruth: true,
  };
  return { liftId: id, startMs, truth, options };
}
