import { FEATURE_NAMES } from '../features/definition.js';
import { FAMILY_NAMES, MODEL_ID, type Family } from './families.js';

/**
 * The features each family's learners may use: its own component's precursors (docs/failure-modes.md,
 * "Precursors in the records") and the context every family shares. Every model still takes the
 * whole feature vector (FEATURE_NAMES: the serving and the ONNX input are one for all families),
 * but a logistic regression gives no weight to a feature outside its family's set and a tree never
 * splits on one.
 *
 * Why: fitted on every feature, the traction and guides models leant on brake drop time and door
 * trouble, which in the simulated fleet travel with the failures through what they share (old lifts,
 * a maintenance contract's quality), not through the component. Such a weight may not hold for an
 * unseen mix of lifts, and a reason "traction risk: brake drop time" tells a crew nothing about the
 * ropes. A feature of another family is left out even where it helped on the training fleet.
 *
 * - door-system: door times and current, lock-made delay (lift and worst landing), obstructed
 *   closes, re-opens, door trouble, E09/E08 rates, and door growth since the visit.
 * - guides-ride: horizontal vibration (A95, peak-to-peak, kurtosis, growth since the visit) and D03;
 *   and the levelling a sensor dropout upsets (stopping error, re-levels, E06 in the position rate),
 *   since a stop outside the door zone from a levelling sensor is a guides/ride failure (E06).
 * - brake: drop and lift times, drop growth since the visit, creep after stops, E16/E02.
 * - traction-ropes: slip, stopping error, re-levels, E10/E06 (position faults), and from feature
 *   version 2.4.0 the day's absolute slip, stopping error and re-levels, and from 2.6.0 the car's sink
 *   at the rated load over the day and the week (the rope's compliance). Safety-chain opens
 *   (E07) belong to no family (docs/failure-modes.md) and are left out.
 * - drive-thermal: winding and heatsink residuals against the room, their growth, E17, and from
 *   feature version 2.7.0 the motor's thermal resistance (day, week, against 90 days) and the hottest
 *   winding of the last 12–24 h.
 *
 * The served door-system and brake models were trained on the whole vector, before these sets, and
 * the served drive-thermal model on it by choice (`models:train -- --features all`): their candidates
 * on the sets warned of fewer failures on the validation lifts and were not served
 * (docs/model-evaluation.md), so their reasons can still name another family's feature.
 * - every family: days since the visit, usage against the lift's own, how mature its baseline is.
 */
export const CONTEXT_FEATURES: readonly string[] = Object.freeze(['daysSinceVisit', 'usageRatio', 'baselineMaturity']);

const LEVELLING = ['stopErrExcessMm', 'stopErrExcessLongMm', 'relevelsPer100Excess', 'relevelsPer100ExcessLong', 'positionFaultsPer1000'];

const OWN: Readonly<Record<Family, readonly string[]>> = {
  doorSystem: [
    'doorCloseDrift', 'doorCloseDriftLong', 'doorCloseP95Drift', 'doorOpenDrift', 'doorMotorIDrift', 'doorMotorIDriftLong',
    'lockMadeP95Drift', 'lockMadeDriftLong', 'worstLandingLockDrift', 'worstLandingLockSpread', 'slowLocksPerDayWorstLanding',
    'doorObstructedShare', 'doorObstructedExcess', 'doorReopenExcess', 'doorTroubleShare', 'doorFaultsPer1000', 'lockFaultsPer1000',
    'doorMotorIGrowthSinceVisit', 'doorCloseGrowthSinceVisit', 'slowLocksWeekWorstLanding', 'doorObstructedShareWeek',
  ],
  guidesRide: [
    'vibA95XYDrift', 'vibA95XYDriftLong', 'vibPkPkXYDrift', 'vibKurtosisDrift', 'vibKurtosis', 'rideFaultsPer1000', 'vibA95XYGrowthSinceVisit',
    ...LEVELLING,
  ],
  brake: ['brakeDropDrift', 'brakeDropDriftLong', 'brakeLiftDrift', 'creepMeanMm', 'creepShare', 'brakeFaultsPer1000', 'brakeDropGrowthSinceVisit'],
  tractionRopes: ['slipExcessMm', 'slipExcessLongMm', ...LEVELLING, 'slipDayMm', 'stopErrDayMm', 'relevelsPer100Day', 'sinkAtRatedLoadDayMm', 'sinkAtRatedLoadWeekMm'],
  driveThermal: ['tempResidualExcessC', 'tempResidualExcessLongC', 'heatsinkResidualExcessC', 'overheatFaultsPer1000', 'tempResidualGrowthSinceVisitC',
    'thermalResistanceDay', 'thermalResistanceWeek', 'thermalResistanceDriftLong', 'windingMaxDayC'],
};

/** Each family's feature set, in FEATURE_NAMES order: its own features and the shared context. */
export const FAMILY_FEATURES: Readonly<Record<Family, readonly string[]>> = Object.freeze(Object.fromEntries(FAMILY_NAMES.map((f) => {
  const names = new Set([...OWN[f], ...CONTEXT_FEATURES]);
  for (const n of names) if (!FEATURE_NAMES.includes(n)) throw new Error(`family-features: ${MODEL_ID[f]} names ${n}, which is not a feature (features/definition.ts)`);
  return [f, Object.freeze(FEATURE_NAMES.filter((n) => names.has(n)))];
})) as Record<Family, readonly string[]>);

/** Per feature of the vector, whether the family's learners may use it. */
export function featureMask(names: readonly string[]): boolean[] {
  const set = new Set(names);
  return FEATURE_NAMES.map((n) => set.has(n));
}
