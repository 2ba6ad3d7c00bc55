import { Type, type Static } from '@sinclair/typebox';

/**
 * Fault injection (docs/simulator.md). A fault is `{id, kind, onset, law,
 * severityMax}`: from its onset its severity s(t) grows by the law; s = 1 is the failure
 * threshold of the component, where the physics makes the controller emit its code. Health is
 * h = 1 − s. Maintenance visits remove part of the accumulated severity (imperfect repair).
 */
export const FAULT_KINDS = [
  'doorFrictionWear', 'sillDebris', 'curtainMisalign', 'lockContactWear', 'rollerFlatSpot', 'railJointStep',
  'bearingDefect', 'brakeLiningWear', 'brakeSpringLoss', 'ropeStretch', 'grooveWear', 'levelSensorDropout',
  'motorOverheat', 'safetyChainIntermittency', 'powerOutage', 'misuse',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The component each fault kind wears; ground truth reports health per component. */
export const COMPONENT_OF: Readonly<Record<FaultKind, Component>> = Object.freeze({
  doorFrictionWear: 'doorOperator', sillDebris: 'doorOperator', curtainMisalign: 'doorOperator', misuse: 'doorOperator',
  lockContactWear: 'doorLock', rollerFlatSpot: 'guides', railJointStep: 'guides', bearingDefect: 'machine',
  brakeLiningWear: 'brake', brakeSpringLoss: 'brake', ropeStretch: 'ropes', grooveWear: 'traction',
  levelSensorDropout: 'levelling', motorOverheat: 'motor', safetyChainIntermittency: 'safetyChain', powerOutage: 'power',
});

export const COMPONENTS = ['doorOperator', 'doorLock', 'guides', 'machine', 'brake', 'ropes', 'traction', 'levelling', 'motor', 'safetyChain', 'power'] as const;
export type Component = (typeof COMPONENTS)[number];

const Days = (description: string) => Type.Number({ minimum: 0, maximum: 36_500, description });

/** Degradation laws: step, linear, exp, power, weibull(β, η), intermittent on/off (Markov). */
export const DegradationLaw = Type.Union([
  Type.Object({ type: Type.Literal('step') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('linear'), failDays: Days('Days from onset to s = 1') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('exp'), failDays: Days('Days from onset to s = 1'), tauDays: Days('Growth time constant: small = slow start, sharp end') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('power'), failDays: Days('Days from onset to s = 1'), exponent: Type.Number({ minimum: 0.1, maximum: 10, description: 's = (τ/failDays)^exponent: above 1 wear accelerates' }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('weibull'), beta: Type.Number({ minimum: 0.1, maximum: 20 }), etaDays: Days('Scale: s = 1 − exp(−(τ/η)^β) reaches 0.63 at η') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('intermittent'), onMin: Type.Number({ exclusiveMinimum: 0, description: 'Mean minutes on' }), offMin: Type.Number({ exclusiveMinimum: 0, description: 'Mean minutes off' }) }, { additionalProperties: false }),
]);
export type DegradationLaw = Static<typeof DegradationLaw>;

export const FaultSpec = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  kind: Type.Union(FAULT_KINDS.map((k) => Type.Literal(k))),
  /** Onset, days after the start of the run (fractions allowed: 19.5 = 12:00 on day 19 of the run; negative: the fault began before the run). */
  onsetDay: Type.Number({ minimum: -3_650, maximum: 36_500, description: 'Onset, days after the start (negative: before it)' }),
  law: DegradationLaw,
  /** Cap on severity; above 1 the component is past its failure threshold. @defaultValue 1.2 */
  severityMax: Type.Optional(Type.Number({ minimum: 0, maximum: 3 })),
  /** The floor a floor-bound fault sits at (landing lock, safety-chain device at that landing). */
  floor: Type.Optional(Type.Integer({ minimum: 1, maximum: 250 })),
  /** For powerOutage: how long the mains stay off. @defaultValue 30 */
  durationMin: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
}, { additionalProperties: false });
export type FaultSpec = Static<typeof FaultSpec>;

export const MaintenancePolicy = Type.Object({
  /** Routine visit period, days; TSG T5002-2017 requires at most 15. 0 for none. @defaultValue 15 */
  everyDays: Type.Number({ minimum: 0, maximum: 3_650 }),
  /** Share of accumulated severity a routine visit removes, per component (imperfect repair). */
  restore: Type.Record(Type.String(), Type.Number({ minimum: 0, maximum: 1 })),
  /**
   * Days from the start to the first routine visit, so that a fleet's visits fall on different days
   * of the period (a maintenance unit does not visit every lift the same morning). @defaultValue everyDays
   */
  firstAfterDays: Type.Optional(Type.Number({ minimum: 0, maximum: 3_650 })),
  /** Hours from a lockout (a functional failure) to a corrective visit. @defaultValue 4 */
  correctiveAfterH: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000 })),
  /**
   * Quality of the maintenance unit, 0–1. When given, routine visits are imperfect the way crews
   * are: items are skipped (share 1 − quality), wear is seen only once it shows, and a repair
   * restores part of it (see maintenance.ts); `restore` is then not used. @defaultValue none: `restore` shares
   */
  quality: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
}, { additionalProperties: false });
export type MaintenancePolicy = Static<typeof MaintenancePolicy>;

/** Data and comms faults (docs/simulator.md), applied to the emitted stream. */
export const CommsSpec = Type.Object({
  lossPct: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  dupPct: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  reorderPct: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  clockSkewMsPerDay: Type.Optional(Type.Number({ minimum: -86_400_000, maximum: 86_400_000 })),
  /** From this day on, env.motorWindingTempC repeats its last value (a stuck sensor). */
  stuckSensorFromDay: Type.Optional(Days('Day the temperature sensor sticks')),
  /** From this day on, trip vibration is sent in mg while labelled m/s² (a unit mislabel). */
  unitMislabelFromDay: Type.Optional(Days('Day the vibration unit is mislabelled')),
  /** Terminal flapping: offline bursts that start on average every `flapEveryH` hours, `flapMin` long. */
  flapEveryH: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  flapMin: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  /** Day the flapping starts (signal strength falls for a day before). @defaultValue 0 */
  flapFromDay: Type.Optional(Days('Day the terminal starts flapping')),
}, { additionalProperties: false });
export type CommsSpec = Static<typeof CommsSpec>;
