import { createHash } from 'node:crypto';
import { computeStats, MIN_RATE_BASE, type FeatureStats, type Level } from './feature-stats.js';
import type { LiftFeatureState } from './lift-state.js';

/**
 * The feature set, defined once and used by training (records replayed in order into the
 * streaming state) and by serving (the same state, fed by ingest). Change a name, its order, its
 * meaning, a time constant or a sketch and FEATURE_VERSION must change: a model whose manifest
 * names another version or other names refuses to load (LW_ERR_MODEL_FEATURE_MISMATCH).
 *
 * Every feature is relative to the lift itself: a drift is the recent level (one day) against the
 * lift's own lagged baseline (weeks 1–6 back) or long reference (months back); counts are rates per
 * 1,000 trips or door cycles; usage is relative to the lift's own usual traffic. None is an absolute
 * count per day, so a lift with 900 trips a day and one with 30 read alike when healthy. The slow
 * lock-makes at the worst landing are counts (per day, per week): a lock fault is the first make of
 * the tail past 3 s, so its odds grow with the makes at that landing as well as with the tail's share,
 * and a sound lock makes none whatever its traffic. The traction levels of 2.4.0 (slip, stopping
 * error and re-levels over the last day) are absolute levels per trip or stop: a slow sheave or rope
 * fault drags the lift's baseline along, so its excess stays small while the level itself passes
 * what a sound sheave or rope ever shows. The sink under load of 2.6.0 is the car's stop below the
 * landing at the rated load, fitted on each trip's load: the rope's compliance, which reaches the
 * same level at the rope's step whatever the building's height and however loaded its passengers.
 * The motor's thermal resistance of 2.7.0 is the winding's rise over the machine-room air per unit of
 * the heat its trips put in: a clogged fan raises it whatever the traffic and the weather, where the
 * rise itself also follows a busy day; the day's hottest winding is absolute (the drive trips at a
 * fixed temperature, whatever the lift's own past).
 *
 * Features added by a later version go at the end, so that an earlier version's features are the
 * first ones of the vector in the same order.
 */
export const FEATURE_VERSION = '2.7.0';

export interface FeatureDef {
  readonly name: string;
  readonly unit: string;
  /** The precursor it stands for. */
  readonly meaning: string;
  readonly value: (s: FeatureStats) => number;
}

/** recent / reference − 1, or 0 when either is unknown (no evidence of drift). */
const ratio = (v: Level, ref: 'b' | 'l'): number => (Number.isFinite(v.r) && Number.isFinite(v[ref]) && v[ref] > 0 ? v.r / v[ref] - 1 : 0);
/** recent − reference, or 0 when either is unknown. */
const excess = (v: Level, ref: 'b' | 'l', scale = 1): number => (Number.isFinite(v.r) && Number.isFinite(v[ref]) ? scale * (v.r - v[ref]) : 0);
const known = (x: number): number => (Number.isFinite(x) ? x : 0);
/** now / at the latest visit − 1, or 0 when either is unknown. */
const since = (now: number, atVisit: number): number => (Number.isFinite(now) && Number.isFinite(atVisit) && atVisit > 0 ? now / atVisit - 1 : 0);
/** A landing's level / the lift's − 1, or 0 when either is unknown. */
const landing = (worst: number, lift: number): number => (Number.isFinite(worst) && Number.isFinite(lift) && lift > 0 ? worst / lift - 1 : 0);
/** Events of a group per 1,000 trips or door cycles over the last week. */
const per1000 = (s: FeatureStats, count: number, over: 'trips' | 'doors'): number => (1000 * count) / Math.max(over === 'trips' ? s.tripsWeek : s.doorsWeek, MIN_RATE_BASE);

export const FEATURES: readonly FeatureDef[] = Object.freeze([
  { name: 'doorCloseDrift', unit: 'ratio', meaning: 'mean door closing time vs the lift baseline', value: (s) => ratio(s.door.close, 'b') },
  { name: 'doorCloseDriftLong', unit: 'ratio', meaning: 'mean door closing time vs the long reference', value: (s) => ratio(s.door.close, 'l') },
  { name: 'doorCloseP95Drift', unit: 'ratio', meaning: 'p95 door closing time vs the baseline p95', value: (s) => ratio(s.door.closeP95, 'b') },
  { name: 'doorOpenDrift', unit: 'ratio', meaning: 'mean door opening time vs the baseline', value: (s) => ratio(s.door.open, 'b') },
  { name: 'doorMotorIDrift', unit: 'ratio', meaning: 'door-motor mean current vs the baseline (friction)', value: (s) => ratio(s.door.motorI, 'b') },
  { name: 'doorMotorIDriftLong', unit: 'ratio', meaning: 'door-motor mean current vs the long reference', value: (s) => ratio(s.door.motorI, 'l') },
  { name: 'lockMadeP95Drift', unit: 'ratio', meaning: 'p95 lock-made delay vs the baseline p95 (contact wear)', value: (s) => ratio(s.door.lockP95, 'b') },
  { name: 'lockMadeDriftLong', unit: 'ratio', meaning: 'mean lock-made delay vs the long reference', value: (s) => ratio(s.door.lock, 'l') },
  { name: 'worstLandingLockDrift', unit: 'ratio', meaning: 'mean lock-made delay at the landing where it is highest vs the lift baseline (one landing lock wearing)', value: (s) => landing(s.door.worstLandingLock, s.door.lock.b) },
  { name: 'worstLandingLockSpread', unit: 'ratio', meaning: 'mean lock-made delay at the landing where it is highest vs the whole lift, recent', value: (s) => landing(s.door.worstLandingLock, s.door.lock.r) },
  { name: 'slowLocksPerDayWorstLanding', unit: 'per day', meaning: 'lock-makes slower than 1 s per day at the landing with the most (the tail before a lock fault), last day', value: (s) => s.door.slowLocksPerDay },
  { name: 'doorObstructedShare', unit: 'share', meaning: 'door cycles whose close was obstructed (sill debris, a jammed close), last day', value: (s) => known(s.door.obstructed.r) },
  { name: 'doorObstructedExcess', unit: 'share', meaning: 'obstructed closes per door cycle above the baseline', value: (s) => excess(s.door.obstructed, 'b') },
  { name: 'doorReopenExcess', unit: 'per cycle', meaning: 're-opens per door cycle above the baseline', value: (s) => excess(s.door.reopens, 'b') },
  { name: 'doorTroubleShare', unit: 'share', meaning: 'door cycles not ending "ok" over the last week', value: (s) => known(s.door.troubleShare7d) },
  { name: 'doorFaultsPer1000', unit: 'per 1,000 cycles', meaning: 'E09 door faults raised, last week', value: (s) => per1000(s, s.events.doorProtection.week, 'doors') },
  { name: 'lockFaultsPer1000', unit: 'per 1,000 cycles', meaning: 'E08 lock circuit opens raised, last week', value: (s) => per1000(s, s.events.lock.week, 'doors') },
  { name: 'vibA95XYDrift', unit: 'ratio', meaning: 'horizontal A95 (ISO 18738-1) vs the baseline', value: (s) => ratio(s.trip.a95xy, 'b') },
  { name: 'vibA95XYDriftLong', unit: 'ratio', meaning: 'horizontal A95 vs the long reference', value: (s) => ratio(s.trip.a95xy, 'l') },
  { name: 'vibPkPkXYDrift', unit: 'ratio', meaning: 'horizontal max peak-to-peak vs the baseline', value: (s) => ratio(s.trip.pkpkXy, 'b') },
  { name: 'vibKurtosisDrift', unit: 'ratio', meaning: 'horizontal kurtosis vs the baseline (impacts)', value: (s) => ratio(s.trip.kurtosis, 'b') },
  { name: 'vibKurtosis', unit: '1', meaning: 'horizontal kurtosis, recent (3 for Gaussian vibration)', value: (s) => known(s.trip.kurtosis.r) },
  { name: 'rideFaultsPer1000', unit: 'per 1,000 trips', meaning: 'D03 ride-quality codes raised, last week', value: (s) => per1000(s, s.events.ride.week, 'trips') },
  { name: 'stopErrExcessMm', unit: 'mm', meaning: 'mean |stopping error| above the baseline', value: (s) => excess(s.trip.stopErr, 'b') },
  { name: 'stopErrExcessLongMm', unit: 'mm', meaning: 'mean |stopping error| above the long reference', value: (s) => excess(s.trip.stopErr, 'l') },
  { name: 'relevelsPer100Excess', unit: 'per 100 stops', meaning: 're-levels per 100 stops above the baseline', value: (s) => excess(s.trip.relevels, 'b', 100) },
  { name: 'relevelsPer100ExcessLong', unit: 'per 100 stops', meaning: 're-levels per 100 stops above the long reference', value: (s) => excess(s.trip.relevels, 'l', 100) },
  { name: 'slipExcessMm', unit: 'mm', meaning: 'mean |encoder vs car slip| above the baseline', value: (s) => excess(s.trip.slip, 'b') },
  { name: 'slipExcessLongMm', unit: 'mm', meaning: 'mean |slip| above the long reference', value: (s) => excess(s.trip.slip, 'l') },
  { name: 'positionFaultsPer1000', unit: 'per 1,000 trips', meaning: 'E10 position lost and E06 stops outside the zone, last week', value: (s) => per1000(s, s.events.position.week, 'trips') },
  { name: 'safetyChainPer1000', unit: 'per 1,000 trips', meaning: 'E07 safety chain opens, last week', value: (s) => per1000(s, s.events.safetyChain.week, 'trips') },
  { name: 'brakeDropDrift', unit: 'ratio', meaning: 'brake drop time vs the baseline', value: (s) => ratio(s.trip.brakeDrop, 'b') },
  { name: 'brakeDropDriftLong', unit: 'ratio', meaning: 'brake drop time vs the long reference', value: (s) => ratio(s.trip.brakeDrop, 'l') },
  { name: 'brakeLiftDrift', unit: 'ratio', meaning: 'brake lift time vs the baseline', value: (s) => ratio(s.trip.brakeLift, 'b') },
  { name: 'creepMeanMm', unit: 'mm', meaning: 'mean car creep after the brake dropped, recent (unintended-movement precursor)', value: (s) => known(s.trip.creep.r) },
  { name: 'creepShare', unit: 'share', meaning: 'share of recent trips with creep after stop', value: (s) => known(s.trip.creepShare.r) },
  { name: 'brakeFaultsPer1000', unit: 'per 1,000 trips', meaning: 'E16 brake-test and E02 unintended-movement codes, last week', value: (s) => per1000(s, s.events.brake.week, 'trips') },
  { name: 'tempResidualExcessC', unit: '°C', meaning: '(winding − machine room) above the baseline', value: (s) => excess(s.env.windingResidual, 'b') },
  { name: 'tempResidualExcessLongC', unit: '°C', meaning: '(winding − machine room) above the long reference', value: (s) => excess(s.env.windingResidual, 'l') },
  { name: 'heatsinkResidualExcessC', unit: '°C', meaning: '(drive heatsink − machine room) above the baseline', value: (s) => excess(s.env.heatsinkResidual, 'b') },
  { name: 'overheatFaultsPer1000', unit: 'per 1,000 trips', meaning: 'E17 over-temperature codes, last week', value: (s) => per1000(s, s.events.overheat.week, 'trips') },
  { name: 'daysSinceVisit', unit: 'days', meaning: 'days since the latest maintenance visit began (inspection mode), at most 60', value: (s) => (Number.isFinite(s.visit.days) ? Math.min(60, s.visit.days) : 60) },
  { name: 'doorMotorIGrowthSinceVisit', unit: 'ratio', meaning: 'door-motor current now vs at the start of the latest visit (wear the visit left or that grew since)', value: (s) => since(s.door.motorI.r, s.visit.doorMotorI) },
  { name: 'doorCloseGrowthSinceVisit', unit: 'ratio', meaning: 'door closing time now vs at the start of the latest visit', value: (s) => since(s.door.close.r, s.visit.doorClose) },
  { name: 'vibA95XYGrowthSinceVisit', unit: 'ratio', meaning: 'horizontal A95 now vs at the start of the latest visit', value: (s) => since(s.trip.a95xy.r, s.visit.a95xy) },
  { name: 'brakeDropGrowthSinceVisit', unit: 'ratio', meaning: 'brake drop time now vs at the start of the latest visit', value: (s) => since(s.trip.brakeDrop.r, s.visit.brakeDrop) },
  { name: 'tempResidualGrowthSinceVisitC', unit: '°C', meaning: '(winding − machine room) now minus at the start of the latest visit', value: (s) => (Number.isFinite(s.env.windingResidual.r) && Number.isFinite(s.visit.windingResidual) ? s.env.windingResidual.r - s.visit.windingResidual : 0) },
  { name: 'usageRatio', unit: 'ratio', meaning: 'trips per day vs the lift baseline (context: busy days)', value: (s) => ratio(s.trip.perDay, 'b') },
  { name: 'baselineMaturity', unit: 'share', meaning: 'how much of the baseline window the lift has been observed, 0–1', value: (s) => s.maturity },
  // 2.3.0
  { name: 'slowLocksWeekWorstLanding', unit: 'per week', meaning: 'lock-makes slower than 1 s over the last week (τ = 7 days) at the landing with the most: the worn lock\'s tail before a lock fault, seven times the day\'s makes and so well under half its relative noise', value: (s) => s.door.slowLocksWeek },
  { name: 'doorObstructedShareWeek', unit: 'share', meaning: 'door cycles whose close was obstructed, last week (τ = 7 days): sill debris with less sampling noise than the day', value: (s) => known(s.door.obstructedWeek) },
  // 2.4.0
  { name: 'slipDayMm', unit: 'mm', meaning: 'mean |encoder vs car slip| per trip over the last day, absolute (a sound sheave about 0.3 mm): a slow groove wear moves the baseline with it, so the excess hides what the level shows', value: (s) => known(s.trip.slip.r) },
  { name: 'stopErrDayMm', unit: 'mm', meaning: 'mean |stopping error| over the last day, absolute (a sound rope about 3 mm): rope stretch the baseline has followed', value: (s) => known(s.trip.stopErr.r) },
  { name: 'relevelsPer100Day', unit: 'per 100 stops', meaning: 're-levels per 100 stops over the last day, absolute', value: (s) => 100 * known(s.trip.relevels.r) },
  // 2.6.0
  { name: 'sinkAtRatedLoadDayMm', unit: 'mm', meaning: 'stop below the landing at the rated load over the last day, least squares on each trip\'s load (a sound rope a few mm; near 100 mm the loaded car steps 200 mm at the lowest landing)', value: (s) => known(s.trip.sink.day) },
  { name: 'sinkAtRatedLoadWeekMm', unit: 'mm', meaning: 'stop below the landing at the rated load over the last week (τ = 7 days)', value: (s) => known(s.trip.sink.week) },
  // 2.7.0
  { name: 'thermalResistanceDay', unit: '°C per 1,000 A²', meaning: 'the winding\'s rise over the machine-room air per unit of the heat its trips put in (I²·t), last day: the motor\'s thermal resistance, which a clogged fan or dusty windings raise whatever the traffic', value: (s) => known(s.env.thermalResistance.day) },
  { name: 'thermalResistanceWeek', unit: '°C per 1,000 A²', meaning: 'the motor\'s thermal resistance over the last week (τ = 7 days)', value: (s) => known(s.env.thermalResistance.week) },
  { name: 'thermalResistanceDriftLong', unit: 'ratio', meaning: 'the motor\'s thermal resistance over the last day vs over 90 days', value: (s) => since(s.env.thermalResistance.day, s.env.thermalResistance.long) },
  { name: 'windingMaxDayC', unit: '°C', meaning: 'hottest motor winding over the last 12–24 h, absolute (the drive trips at a fixed temperature, about 130 °C for class F insulation)', value: (s) => known(s.env.windingMax12h) },
]);

export const FEATURE_NAMES: readonly string[] = Object.freeze(FEATURES.map((f) => f.name));

/** The feature vector of a lift's statistics, in FEATURE_NAMES order. */
export function featureVector(s: FeatureStats): Float32Array {
  const v = new Float32Array(FEATURES.length);
  for (let i = 0; i < FEATURES.length; i++) v[i] = FEATURES[i]!.value(s);
  return v;
}

/** sha256 of the version and the ordered names: what a manifest must carry to be loaded. */
export function featureFingerprint(version: string = FEATURE_VERSION, names: readonly string[] = FEATURE_NAMES): string {
  return createHash('sha256').update(`${version}\n${names.join('\n')}`).digest('hex');
}

/**
 * Earlier feature versions whose features are the first ones of this version's vector, in the same
 * order and computed the same way, with their count: a model trained on one of them is served on
 * the first columns of today's vector (registry/registry.ts), so that a family can be retrained on
 * new features without retraining the others. A version whose features changed is not listed.
 */
export const EARLIER_FEATURE_VERSIONS: Readonly<Record<string, number>> = Object.freeze({ '2.1.0': 49, '2.3.0': 51, '2.4.0': 54, '2.6.0': 56 });

/** The features of a lift's streaming state at `at` (≥ its newest record). */
export function featuresAt(state: LiftFeatureState, at: number): Float32Array {
  return featureVector(computeStats(state, at));
}

/** A feature vector in FEATURE_NAMES order, plus the lift and the time it describes. */
export interface FeatureRow {
  readonly liftId: string;
  readonly at: number;
  readonly values: Float32Array;
}
