import type { LiftRecords } from '../features/lift-records.js';

/**
 * The fault families a classifier is trained for (issue 6 §2), and the simulator components
 * (issue 3 ground truth, `failure.component`) each one covers. safetyChain and power have no
 * family: their failures are events (E07, E13) that the health score and rules handle.
 */
export const FAMILIES = Object.freeze({
  doorSystem: ['doorOperator', 'doorLock'],
  guidesRide: ['guides', 'levelling'],
  brake: ['brake'],
  tractionRopes: ['traction', 'ropes'],
  driveThermal: ['machine', 'motor'],
} as const);

export type Family = keyof typeof FAMILIES;
export const FAMILY_NAMES = Object.freeze(Object.keys(FAMILIES) as Family[]);

/** The family of a simulator component, or undefined when none covers it. */
export function familyOf(component: string): Family | undefined {
  return FAMILY_NAMES.find((f) => (FAMILIES[f] as readonly string[]).includes(component));
}

/** A failure label: the family failed at `ts` (ground truth, not a detected fault). */
export interface FailureLabel {
  readonly ts: number;
  readonly family: Family;
}

/**
 * Labelled training data, the input of training and evaluation: one lift's records and the
 * failures that really happened, over [from, to). Produced by the simulator's dataset reader
 * (sim-dataset-reader.ts) or by the stand-in generator (synthetic-degradation.ts).
 */
export interface LabelledLift {
  readonly records: LiftRecords;
  readonly failures: readonly FailureLabel[];
  readonly from: number;
  readonly to: number;
  /** Where it came from: scenario and seed, for the manifest. */
  readonly source: { readonly scenario: string; readonly seed: number };
}

/** Options of labelling. */
export interface LabelOptions {
  /** "Fails within the horizon", ms. @defaultValue 7 days */
  horizonMs?: number;
}

export const DEFAULT_HORIZON_MS = 7 * 86_400_000;

/** 1 when `family` fails in (at, at + horizon], else 0: the label of issue 6 §2. */
export function labelAt(lift: LabelledLift, family: Family, at: number, horizonMs = DEFAULT_HORIZON_MS): 0 | 1 {
  return lift.failures.some((f) => f.family === family && f.ts > at && f.ts <= at + horizonMs) ? 1 : 0;
}
