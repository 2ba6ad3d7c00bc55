import { REFERENCE_LIMITS } from '@liftwatch/contract';
import type { FeatureStats, Level } from '../features/feature-stats.js';
import type { Family } from '../train/families.js';

/**
 * A measured quantity behind a family's risk, with the lift's normal band: its own baseline (the
 * weeks before, docs/model-features.md) widened by a tolerance, and the standard's limit where one
 * applies. `outside` when the recent level (the last day) leaves the band or passes the limit.
 */
export interface Precursor {
  readonly feature: string;
  readonly value: number | null;
  readonly unit: string;
  readonly meaning: string;
  readonly baseline: number | null;
  readonly band: { readonly low: number; readonly high: number } | null;
  readonly limit: number | null;
  readonly outside: boolean;
  /** The model features computed from it. */
  readonly features: readonly string[];
}

interface Def {
  readonly feature: string; readonly unit: string; readonly meaning: string;
  readonly level: (s: FeatureStats) => Level;
  /** Half-width of the band: a share of the baseline (`rel`) or in the unit (`abs`). */
  readonly rel?: number; readonly abs?: number;
  readonly limit?: (o: PrecursorLimits) => number;
  readonly features: readonly string[];
}

/** Limits the platform sets elsewhere that a band is drawn against (one definition each). */
export interface PrecursorLimits {
  /** Creep after the stop above which ingest raises E02, mm (the detector's setting). */
  readonly creepAlertMm: number;
}

const times = (l: Level, k: number): Level => ({ r: l.r * k, b: l.b * k, l: l.l * k });

/** The precursors of each family, the model's drift features beside the quantity they are computed from. */
const DEFS: Readonly<Record<Family, readonly Def[]>> = {
  doorSystem: [
    { feature: 'doorCloseS', unit: 's', meaning: 'mean door closing time', level: (s) => s.door.close, rel: 0.05, limit: () => REFERENCE_LIMITS.doorCloseS, features: ['doorCloseDrift', 'doorCloseDriftLong'] },
    { feature: 'doorCloseP95S', unit: 's', meaning: 'door closing time, 95th percentile', level: (s) => s.door.closeP95, rel: 0.05, limit: () => REFERENCE_LIMITS.doorCloseS, features: ['doorCloseP95Drift'] },
    { feature: 'doorMotorIA', unit: 'A', meaning: 'door-motor mean current (friction)', level: (s) => s.door.motorI, rel: 0.1, features: ['doorMotorIDrift', 'doorMotorIDriftLong'] },
    { feature: 'lockMadeP95Ms', unit: 'ms', meaning: 'lock-made delay, 95th percentile', level: (s) => s.door.lockP95, rel: 0.1, features: ['lockMadeP95Drift'] },
    { feature: 'reopensPerCycle', unit: 'per cycle', meaning: 're-opens per door cycle', level: (s) => s.door.reopens, abs: 0.03, features: ['doorReopenExcess'] },
    // one landing's lock against the lift's own mean: the band is the lift's, the level that landing's
    { feature: 'worstLandingLockMadeMs', unit: 'ms', meaning: 'mean lock-made delay at the landing where it is highest', level: (s) => ({ r: s.door.worstLandingLock, b: s.door.lock.b, l: s.door.lock.l }), rel: 0.3, features: ['worstLandingLockDrift', 'worstLandingLockSpread', 'slowLocksPerDayWorstLanding', 'slowLocksWeekWorstLanding'] },
    { feature: 'obstructedClosesPerCycle', unit: 'per cycle', meaning: 'door closes obstructed (sill debris, a jammed close) per door cycle', level: (s) => s.door.obstructed, abs: 0.01, features: ['doorObstructedShare', 'doorObstructedExcess', 'doorObstructedShareWeek'] },
  ],
  guidesRide: [
    { feature: 'a95XYMps2', unit: 'm/s²', meaning: 'horizontal A95 (ISO 18738-1)', level: (s) => s.trip.a95xy, rel: 0.15, limit: () => REFERENCE_LIMITS.rideA95XYMps2, features: ['vibA95XYDrift', 'vibA95XYDriftLong'] },
    { feature: 'pkpkXYMps2', unit: 'm/s²', meaning: 'horizontal maximum peak-to-peak', level: (s) => s.trip.pkpkXy, rel: 0.15, features: ['vibPkPkXYDrift'] },
    { feature: 'kurtosisXY', unit: '1', meaning: 'horizontal kurtosis (impacts; 3 for Gaussian vibration)', level: (s) => s.trip.kurtosis, rel: 0.15, features: ['vibKurtosisDrift', 'vibKurtosis'] },
  ],
  // A sound brake's day mean stays within 2 ms of its 190 / 160 ms (docs/model-evaluation.md, "Brake:
  // why the rule misses"); ± 5 % is five times that, and a lining worn enough to fail its test 3 days
  // later is already 8-15 % slow to drop, inside a ± 10 % band.
  brake: [
    { feature: 'brakeDropMs', unit: 'ms', meaning: 'brake drop time', level: (s) => s.trip.brakeDrop, rel: 0.05, features: ['brakeDropDrift', 'brakeDropDriftLong'] },
    { feature: 'brakeLiftMs', unit: 'ms', meaning: 'brake lift time', level: (s) => s.trip.brakeLift, rel: 0.05, features: ['brakeLiftDrift'] },
    { feature: 'creepMm', unit: 'mm', meaning: 'car creep after the brake dropped', level: (s) => s.trip.creep, abs: 0.5, limit: (o) => o.creepAlertMm, features: ['creepMeanMm', 'creepShare'] },
  ],
  tractionRopes: [
    { feature: 'slipMm', unit: 'mm', meaning: 'mean |encoder vs car slip| per trip', level: (s) => s.trip.slip, abs: 2, features: ['slipExcessMm', 'slipExcessLongMm', 'slipDayMm'] },
    { feature: 'stopErrMm', unit: 'mm', meaning: 'mean |stopping error|', level: (s) => s.trip.stopErr, abs: 1, limit: () => REFERENCE_LIMITS.stopErrMm, features: ['stopErrExcessMm', 'stopErrExcessLongMm', 'stopErrDayMm'] },
    { feature: 'relevelsPer100', unit: 'per 100 stops', meaning: 're-levels per 100 stops', level: (s) => times(s.trip.relevels, 100), abs: 1, features: ['relevelsPer100Excess', 'relevelsPer100ExcessLong', 'relevelsPer100Day'] },
    // the rope's compliance has no baseline band: a sound rope's is a few mm, and near 100 mm the loaded car steps 200 mm at the lowest landing
    { feature: 'sinkAtRatedLoadMm', unit: 'mm', meaning: 'car below the landing at the rated load, fitted on each trip\'s load (the rope\'s compliance), last day', level: (s) => ({ r: s.trip.sink.day, b: NaN, l: NaN }), features: ['sinkAtRatedLoadDayMm', 'sinkAtRatedLoadWeekMm'] },
  ],
  driveThermal: [
    { feature: 'windingResidualC', unit: '°C', meaning: 'motor winding − machine room temperature', level: (s) => s.env.windingResidual, abs: 3, features: ['tempResidualExcessC', 'tempResidualExcessLongC'] },
    { feature: 'heatsinkResidualC', unit: '°C', meaning: 'drive heatsink − machine room temperature', level: (s) => s.env.heatsinkResidual, abs: 3, features: ['heatsinkResidualExcessC'] },
    { feature: 'windingMax12hC', unit: '°C', meaning: 'highest winding temperature, last 12–24 h', level: (s) => ({ r: s.env.windingMax12h, b: NaN, l: NaN }), limit: () => REFERENCE_LIMITS.windingTripC, features: ['windingMaxDayC'] },
    // the motor's thermal resistance against its own over 90 days: a clogging fan raises it whatever the traffic
    { feature: 'thermalResistance', unit: '°C per 1,000 A²', meaning: 'winding rise over the machine room per unit of the heat its trips put in (the motor\'s thermal resistance), last day', level: (s) => ({ r: s.env.thermalResistance.day, b: s.env.thermalResistance.long, l: NaN }), rel: 0.2, features: ['thermalResistanceDay', 'thermalResistanceWeek', 'thermalResistanceDriftLong'] },
  ],
};

const fin = (x: number): number | null => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : null);

/** Every measured quantity a family's precursors can name (the console has a word for each, in every language). */
export const PRECURSOR_NAMES: readonly string[] = Object.freeze([...new Set(Object.values(DEFS).flat().map((d) => d.feature))]);

/** The precursors of a family at the time of `s`. */
export function precursorsOf(family: Family, s: FeatureStats, limits: PrecursorLimits): Precursor[] {
  return DEFS[family].map((d) => {
    const lv = d.level(s);
    const baseline = fin(lv.b);
    const w = baseline === null ? NaN : d.rel !== undefined ? Math.abs(baseline) * d.rel : d.abs ?? NaN;
    const band = baseline === null || !Number.isFinite(w) ? null : { low: fin(baseline - w)!, high: fin(baseline + w)! };
    const value = fin(lv.r);
    const limit = d.limit?.(limits) ?? null;
    const outside = value !== null && ((band !== null && (value < band.low || value > band.high)) || (limit !== null && value > limit));
    return { feature: d.feature, value, unit: d.unit, meaning: d.meaning, baseline, band, limit, outside, features: d.features };
  });
}
