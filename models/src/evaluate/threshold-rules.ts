import type { FeatureStats } from '../features/feature-stats.js';
import { FAMILY_NAMES, type Family } from '../train/families.js';

/**
 * Fixed-threshold rules of the kind a terminal vendor ships, the baseline the models must beat:
 * absolute limits on the recent day's statistics, no per-lift baseline. A rule fires when any of
 * its conditions exceeds its limit × a scale; the scale (one per family) and the persistence are
 * calibrated on the same validation lifts and traffic as the models' thresholds, so the rules are
 * judged at their best setting, not at a vendor default.
 */
export interface RuleCondition {
  /** What is measured, e.g. "mean door closing time, s". */
  readonly what: string;
  /** Where the limit comes from. */
  readonly source?: string;
  /** The limit at scale 1, with its source. */
  readonly limit: number;
  readonly value: (s: FeatureStats) => number;
}

const n = (x: number): number => (Number.isFinite(x) ? x : 0);

export const RULE_CONDITIONS: Readonly<Record<Family, readonly RuleCondition[]>> = Object.freeze({
  doorSystem: [
    { what: 'mean door closing time, s', source: 'GB/T 10058 door times 3.2–4.9 s', limit: 4.5, value: (s) => n(s.door.close.r) },
    { what: 're-opens per door cycle', limit: 0.1, value: (s) => n(s.door.reopens.r) },
    { what: 'p95 lock-made delay, ms', limit: 600, value: (s) => n(s.door.lockP95.r) },
    { what: 'E09 or E08 raised in the last day', limit: 0.5, value: (s) => s.events.doorProtection.day + s.events.lock.day },
  ],
  guidesRide: [
    { what: 'horizontal A95, m/s²', source: '2/3 of the GB/T 10058 limit 0.15', limit: 0.1, value: (s) => n(s.trip.a95xy.r) },
    { what: 'horizontal kurtosis', limit: 5, value: (s) => n(s.trip.kurtosis.r) },
    { what: 'D03 or E06 raised in the last day', limit: 0.5, value: (s) => s.events.ride.day + s.events.position.day },
  ],
  brake: [
    { what: 'mean brake drop time, ms', limit: 280, value: (s) => n(s.trip.brakeDrop.r) },
    { what: 'mean creep after stop, mm', limit: 1, value: (s) => n(s.trip.creep.r) },
    { what: 'E16 or E02 raised in the last day', limit: 0.5, value: (s) => s.events.brake.day },
  ],
  // Read on validation lifts (models/src/evaluate/family-misses-main.ts): a sound sheave slips
  // 0.3 mm a trip (a day's mean never over 0.4 mm), a worn groove's day mean passes 2 mm 3–10 days
  // before its first slip over the controller's 50 mm (E10), and was 0.3–1.3 mm 30 days before; a
  // sound rope stops 3 mm from the landing (a day's mean never over 5 mm), a stretched one 25–80 mm
  // 10 days before its 200 mm step (E06), and nearly every stop re-levels by then. An alert raised
  // more than 30 days before the failure is a false one, so the limits sit where the last month is.
  // No fault-code condition: the failure is the first E10 or rope E06, and the E06 a levelling
  // sensor's dropouts raise (guides/ride) counts in the same event group.
  tractionRopes: [
    { what: 'mean |slip| per trip over the last day, mm', source: 'a sound sheave 0.3 mm; E10 at 50 mm on one trip', limit: 2, value: (s) => n(s.trip.slip.r) },
    { what: 'mean |stopping error| over the last day, mm', source: 'a sound rope 3 mm; E06 at a 200 mm step', limit: 30, value: (s) => n(s.trip.stopErr.r) },
    { what: 're-levels per stop over the last day', limit: 0.5, value: (s) => n(s.trip.relevels.r) },
  ],
  driveThermal: [
    { what: 'max motor winding temperature in the last 12–24 h, °C', source: 'class F insulation 155 °C; controllers trip near 130 °C', limit: 100, value: (s) => n(s.env.windingMax12h) },
    { what: 'E17 raised in the last day', limit: 0.5, value: (s) => s.events.overheat.day },
  ],
});

/** Where each family's condition values sit in a rule-input row. */
const OFFSET: Readonly<Record<Family, number>> = (() => {
  let k = 0;
  return Object.fromEntries(FAMILY_NAMES.map((f) => { const o = k; k += RULE_CONDITIONS[f].length; return [f, o]; })) as Record<Family, number>;
})();
export const RULE_INPUTS = FAMILY_NAMES.reduce((t, f) => t + RULE_CONDITIONS[f].length, 0);

/** Every condition's value of a lift's statistics, in family order (what an evaluation keeps per sample). */
export function ruleInputs(s: FeatureStats): Float32Array {
  const out = new Float32Array(RULE_INPUTS);
  for (const f of FAMILY_NAMES) RULE_CONDITIONS[f].forEach((c, i) => { out[OFFSET[f] + i] = c.value(s); });
  return out;
}

/**
 * The rule's score for one sample: the largest value / (limit × scale) over its conditions, so that
 * "fires" is score ≥ 1 and one hysteresis judges rules and models alike. Event conditions keep
 * their limit whatever the scale (an event is an event).
 */
export function ruleScore(f: Family, inputs: ArrayLike<number>, offset: number, scale: number): number {
  let best = 0;
  RULE_CONDITIONS[f].forEach((c, i) => {
    const event = c.what.includes('raised');
    best = Math.max(best, (inputs[offset + OFFSET[f] + i] ?? 0) / (c.limit * (event ? 1 : scale)));
  });
  return best;
}

/** The rule as text, at a scale. */
export function ruleText(f: Family, scale: number): string {
  return RULE_CONDITIONS[f].map((c) => (c.what.includes('raised') ? c.what : `${c.what} > ${+(c.limit * scale).toPrecision(3)}${c.source ? ` (${c.source})` : ''}`)).join(' or ');
}

/** One condition of a rule as measured: what, the lift's value, the limit at the rule's scale, and whether it is over. */
export interface RuleReading { readonly what: string; readonly value: number; readonly limit: number; readonly over: boolean }

/** Every condition of a family's rule on one sample (a fired rule's evidence: its limits and the measured values). */
export function ruleReadings(f: Family, inputs: ArrayLike<number>, offset: number, scale: number): RuleReading[] {
  return RULE_CONDITIONS[f].map((c, i) => {
    const limit = c.limit * (c.what.includes('raised') ? 1 : scale);
    const value = inputs[offset + OFFSET[f] + i] ?? 0;
    return { what: c.what, value: Math.round(value * 1000) / 1000, limit: +limit.toPrecision(3), over: value >= limit };
  });
}
