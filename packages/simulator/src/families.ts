import type { Component } from './fault-plan.js';

/**
 * Fault families: the groups of components a crew and a prediction model think in (the ids of the
 * models in models/artifacts). safetyChain and power belong to none: their events are handled by
 * rules, not predicted.
 */
export const FAMILY_IDS = ['door-system', 'brake', 'guides-ride', 'traction-ropes', 'drive-thermal'] as const;
export type FamilyId = (typeof FAMILY_IDS)[number];

export const FAMILY_OF_COMPONENT: Readonly<Partial<Record<Component, FamilyId>>> = Object.freeze({
  doorOperator: 'door-system', doorLock: 'door-system', brake: 'brake', guides: 'guides-ride', levelling: 'guides-ride',
  traction: 'traction-ropes', ropes: 'traction-ropes', motor: 'drive-thermal', machine: 'drive-thermal',
});

/**
 * A functional failure: the event a crew is called out for, which takes the lift out of service
 * until a corrective visit. It is written to the ground truth when the controller raises `code`
 * (from the simulated physics) while an injected fault acts on `component`; the same code from
 * healthy variation alone is a false alarm and is not a failure. See docs/failure-modes.md.
 */
export interface FailureMode {
  readonly family: FamilyId;
  /** Short kebab-case name of the failure. */
  readonly mode: string;
  /** The liftwatch fault code the platform sees for it. */
  readonly code: string;
  readonly component: Component;
}

export const FAILURE_MODES: readonly FailureMode[] = Object.freeze([
  { family: 'door-system', mode: 'door-protection-trip', code: 'E09', component: 'doorOperator' },
  { family: 'door-system', mode: 'lock-fault', code: 'E08', component: 'doorLock' },
  { family: 'brake', mode: 'brake-test-failed', code: 'E16', component: 'brake' },
  { family: 'brake', mode: 'unintended-movement', code: 'E02', component: 'brake' },
  { family: 'guides-ride', mode: 'ride-quality-callout', code: 'D03', component: 'guides' },
  { family: 'guides-ride', mode: 'stopped-outside-zone', code: 'E06', component: 'levelling' },
  { family: 'traction-ropes', mode: 'rope-slip-callout', code: 'E10', component: 'traction' },
  { family: 'traction-ropes', mode: 'levelling-step-callout', code: 'E06', component: 'ropes' },
  { family: 'drive-thermal', mode: 'overheat-trip', code: 'E17', component: 'motor' },
] as const satisfies readonly FailureMode[]);

/** The failure mode of a raised code whose physics came from `component`, if that is a functional failure. */
export function failureModeOf(code: string, component: Component): FailureMode | undefined {
  return FAILURE_MODES.find((m) => m.code === code && m.component === component);
}
