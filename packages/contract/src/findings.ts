import { Type, type Static } from '@sinclair/typebox';
import type { AlertState } from './api.js';
import type { Severity } from './streams/fault.js';

/**
 * What a crew found when it closed an alert (docs/findings.md): the outcome, the component at fault,
 * the part replaced. Findings measure the precision of each model version and rule, and are the
 * outcome labels models are trained and evaluated on.
 */

/**
 * Components a crew can name, each with the fault family it belongs to (the family ids are the
 * prediction models' ids) and the codes of the code table that point at it. The first eleven are the
 * simulator's components (packages/simulator, `COMPONENTS`; a test keeps the two in step); the
 * others are parts the code table names that the simulator does not model, and `other`.
 */
export const FINDING_COMPONENTS = Object.freeze({
  doorOperator: { family: 'door-system', codes: ['D01', 'E09'] },
  doorLock: { family: 'door-system', codes: ['D02', 'E08', 'E03'] },
  guides: { family: 'guides-ride', codes: ['D03'] },
  machine: { family: 'drive-thermal', codes: ['D04'] },
  brake: { family: 'brake', codes: ['D05', 'E16', 'E02'] },
  ropes: { family: 'traction-ropes', codes: ['D07'] },
  traction: { family: 'traction-ropes', codes: ['D06', 'E10'] },
  levelling: { family: 'guides-ride', codes: ['D08', 'E06'] },
  motor: { family: 'drive-thermal', codes: ['D09', 'E17'] },
  safetyChain: { family: null, codes: ['D11', 'E07'] },
  power: { family: null, codes: ['E13'] },
  controller: { family: null, codes: ['D10', 'E12'] },
  alarmSystem: { family: null, codes: ['E18'] },
  terminal: { family: null, codes: ['Q01', 'Q02'] },
  other: { family: null, codes: [] },
} as const satisfies Record<string, { family: string | null; codes: readonly string[] }>);

export type FindingComponent = keyof typeof FINDING_COMPONENTS;
export const FINDING_COMPONENT_NAMES = Object.freeze(Object.keys(FINDING_COMPONENTS) as FindingComponent[]);

export const FindingOutcome = Type.Union([Type.Literal('confirmed'), Type.Literal('no-fault-found'), Type.Literal('false-alarm')], {
  description: 'confirmed: a fault was found on `component`; no-fault-found: the crew checked and found the lift in order; false-alarm: the alert itself was wrong (a sensor, a test, misuse)',
});
export type FindingOutcome = Static<typeof FindingOutcome>;

export const FindingComponentName = Type.Union(FINDING_COMPONENT_NAMES.map((c) => Type.Literal(c)), { description: 'The component at fault (docs/findings.md#components)' });

/** What a crew sends when it resolves an alert or marks it a false alarm. */
export const FindingInput = Type.Object({
  outcome: FindingOutcome,
  component: Type.Optional(Type.Union([FindingComponentName, Type.Null()], { description: 'Required when confirmed' })),
  partReplaced: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()], { description: 'The part replaced, in the crew\'s words, e.g. "door motor belt"' })),
  note: Type.Optional(Type.String({ maxLength: 2000, description: 'What else the crew saw' })),
}, { additionalProperties: false, description: 'What the crew found (docs/findings.md): required to resolve any alert but a P1; a false alarm without one is recorded as such' });
export type FindingInput = Static<typeof FindingInput>;

/** A finding as it is kept: the crew's words, who and when, and what the alert was (so precision needs no other table). */
export const Finding = Type.Object({
  alertId: Type.Integer(),
  liftId: Type.String(),
  code: Type.String({ description: 'The alert\'s code' }),
  alertOpenedAt: Type.Integer({ description: 'When the alert opened, ms' }),
  modelId: Type.Union([Type.String(), Type.Null()], { description: 'The model whose prediction opened the alert; null: a rule did' }),
  modelVersion: Type.Union([Type.String(), Type.Null()]),
  family: Type.Union([Type.String(), Type.Null()], { description: 'The fault family the alert is about: the predicted family, else the family of the component found or of the alert\'s code' }),
  outcome: FindingOutcome,
  component: Type.Union([FindingComponentName, Type.Null()]),
  partReplaced: Type.Union([Type.String(), Type.Null()]),
  note: Type.String(),
  actor: Type.String({ description: 'Who recorded it' }),
  at: Type.Integer({ description: 'When it was recorded, ms' }),
});
export type Finding = Static<typeof Finding>;

/** The family of a component, or null. */
export const familyOfComponent = (c: string | null | undefined): string | null => (c && c in FINDING_COMPONENTS ? FINDING_COMPONENTS[c as FindingComponent].family : null);

/** The component a code of the code table points at, if one. */
export function componentOfCode(code: string): FindingComponent | undefined {
  return FINDING_COMPONENT_NAMES.find((c) => (FINDING_COMPONENTS[c].codes as readonly string[]).includes(code));
}

/**
 * The family a finding is about: a prediction's is the model's (model ids are family ids); a rule
 * alert's is that of the component the crew found, else that of the component its code points at.
 */
export function findingFamily(f: { code: string; modelId: string | null; component: string | null | undefined }): string | null {
  if (f.modelId !== null) return f.modelId;
  return familyOfComponent(f.component) ?? familyOfComponent(componentOfCode(f.code));
}

/**
 * Whether closing an alert needs a finding. P1 alerts (rescues, life safety) never wait for one: the
 * crew's first duty is the people, and a finding can be added later (PUT /api/alerts/:id/finding).
 * Every other alert is resolved with one: predictions and rules are measured by them.
 */
export const findingRequired = (severity: Severity): boolean => severity !== 'P1';

/** The outcomes each closing state takes. */
const OUTCOMES_OF: Partial<Record<AlertState, readonly FindingOutcome[]>> = { resolved: ['confirmed', 'no-fault-found'], falseAlarm: ['false-alarm'] };

/**
 * Why a finding cannot go with this move of an alert, or undefined when it can; `missing` when the
 * move needs a finding and has none (LW_ERR_FINDING_REQUIRED). A false alarm without one is recorded
 * as `{ outcome: 'false-alarm' }`: the move says it all.
 */
export function findingProblem(alert: { id: number; code: string; severity: Severity }, to: AlertState, finding: FindingInput | undefined): { missing: boolean; message: string } | undefined {
  const outcomes = OUTCOMES_OF[to];
  if (!outcomes) return finding ? { missing: false, message: `alert ${alert.id}: a finding goes with resolving it or marking it a false alarm, not with moving it to ${to}` } : undefined;
  if (!finding) {
    if (to === 'falseAlarm' || !findingRequired(alert.severity)) return undefined;
    return { missing: true, message: `alert ${alert.id} (${alert.code}, ${alert.severity}) is resolved with the crew's finding: send finding {outcome: "confirmed" with its component, or "no-fault-found"; partReplaced, note}; only P1 alerts close without one` };
  }
  if (!outcomes.includes(finding.outcome)) {
    const way = finding.outcome === 'false-alarm' ? 'mark it a false alarm (action false-alarm)' : 'resolve it (action resolve)';
    return { missing: false, message: `alert ${alert.id}: outcome "${finding.outcome}" does not go with ${to}: ${way}, or give ${outcomes.map((o) => `"${o}"`).join(' or ')}` };
  }
  if (finding.outcome === 'confirmed' && !finding.component) {
    return { missing: false, message: `alert ${alert.id}: a confirmed fault names its component: one of ${FINDING_COMPONENT_NAMES.join(', ')}` };
  }
  return undefined;
}

/** The finding a move records: the one given, or for a false alarm without one, the implied one. */
export function findingOfMove(to: AlertState, finding: FindingInput | undefined): FindingInput | undefined {
  return finding ?? (to === 'falseAlarm' ? { outcome: 'false-alarm' } : undefined);
}

/**
 * A finding as a training label (docs/findings.md#labels-for-training): 1 when the crew confirmed a
 * fault of the finding's family, 0 otherwise (no fault found, a false alarm, or a fault of another family).
 */
export const labelOf = (f: Pick<Finding, 'outcome' | 'component' | 'family'>): 0 | 1 => (f.outcome === 'confirmed' && familyOfComponent(f.component) === f.family ? 1 : 0);
