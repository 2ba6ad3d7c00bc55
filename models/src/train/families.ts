import type { FamilyId } from '@liftwatch/simulator';

/**
 * The fault families a model is trained for, with the simulator's family id of each (the model's
 * registry id) and the degradation code its predicted alert is raised with.
 */
export const FAMILIES = Object.freeze({
  doorSystem: { id: 'door-system', code: 'D01' },
  guidesRide: { id: 'guides-ride', code: 'D03' },
  brake: { id: 'brake', code: 'D05' },
  tractionRopes: { id: 'traction-ropes', code: 'D06' },
  driveThermal: { id: 'drive-thermal', code: 'D09' },
} as const satisfies Record<string, { id: FamilyId; code: string }>);

export type Family = keyof typeof FAMILIES;
export const FAMILY_NAMES = Object.freeze(Object.keys(FAMILIES) as Family[]);

/** The registry id of each family's model (the simulator's family id). */
export const MODEL_ID: Readonly<Record<Family, string>> = Object.freeze(Object.fromEntries(FAMILY_NAMES.map((f) => [f, FAMILIES[f].id])) as Record<Family, string>);

/** The family of a simulator family id, or undefined. */
export function familyOfId(id: string): Family | undefined {
  return FAMILY_NAMES.find((f) => FAMILIES[f].id === id);
}

/** A routine maintenance visit that repaired an injected fault of a family, from the ground truth. */
export interface RepairLabel {
  readonly ts: number;
  readonly family: Family;
}

/** A functional failure from the ground truth: the callout a crew gets (a label, not a detected fault). */
export interface FailureLabel {
  readonly ts: number;
  readonly family: Family;
  /** e.g. door-protection-trip, lock-fault, unintended-movement. */
  readonly mode: string;
  /** Onset of the earliest injected fault behind it, ms (NaN when the truth does not say). */
  readonly onsetTs: number;
  /** The kinds of the injected faults behind it (e.g. lockContactWear), sorted and joined with " + "; "" when the truth does not say. */
  readonly cause: string;
}
