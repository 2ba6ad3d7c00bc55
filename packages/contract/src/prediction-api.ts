import { Type, type Static } from '@sinclair/typebox';

/**
 * A lift's predicted risk per fault family, as the lift page shows it: each family's model score now,
 * its trend, the state of its alert and the measured quantities behind it against the lift's own
 * normal band (computed by the model serving, models/README.md).
 */
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T, description?: string) => Type.Union([t, Type.Null()], description ? { description } : {});

export const PrecursorView = Type.Object({
  feature: Type.String({ description: 'The measured quantity, e.g. doorCloseS' }),
  value: Nullable(Type.Number(), 'Its recent level (the last day); null: not measured yet'),
  unit: Type.String(),
  meaning: Type.String({ description: 'What it is, in English' }),
  baseline: Nullable(Type.Number(), 'The lift\'s own usual level'),
  band: Nullable(Type.Object({ low: Type.Number(), high: Type.Number() }), 'The lift\'s normal band: its baseline with its tolerance'),
  limit: Nullable(Type.Number(), 'An absolute limit from a standard, where one applies'),
  outside: Type.Boolean({ description: 'The recent level is outside the band (or past the limit)' }),
  features: Type.Array(Type.String(), { description: 'Model features computed from it' }),
});
export type PrecursorView = Static<typeof PrecursorView>;

export const FamilyRiskView = Type.Object({
  family: Type.String({ description: 'doorSystem, guidesRide, brake, tractionRopes or driveThermal' }),
  code: Type.String({ description: 'The degradation code its predicted alert is raised with (D01, D03, D05, D06, D09)' }),
  modelId: Type.String(),
  version: Type.String(),
  risk: Type.Number({ minimum: 0, maximum: 1, description: 'The model\'s score now' }),
  relative: Type.Number({ minimum: 0, description: 'risk / raise: 1 or more is at or above the raise threshold' }),
  raise: Type.Number(),
  clear: Type.Number(),
  state: Type.Union([Type.Literal('normal'), Type.Literal('rising'), Type.Literal('raised')], { description: 'rising: above the raise threshold, not yet for the persistence time' }),
  risingSince: Nullable(Type.Integer()),
  persistMs: Type.Integer({ description: 'How long the score must stay above the raise threshold before the alert is raised' }),
  heldBy: Type.Array(Type.Union([Type.Literal('model'), Type.Literal('rule')]), { description: 'Which predictors hold the raised alert open now: the model, the rule (where the family serves it) or both; empty when not raised' }),
  clearingSince: Nullable(Type.Integer(), 'Raised and held by the model: since when its score has stayed under the clear threshold; null: it has not'),
  clearPersistMs: Type.Integer({ description: 'How long the score must stay under the clear threshold before the model\'s alert clears' }),
  trend: Type.Array(Type.Object({ at: Type.Integer(), risk: Type.Number() }), { description: 'One point a day (the day\'s highest score), oldest first' }),
  topFeatures: Type.Array(Type.Object({ name: Type.String(), value: Type.Number(), z: Type.Number() })),
  precursors: Type.Array(PrecursorView),
});
export type FamilyRiskView = Static<typeof FamilyRiskView>;

export const LiftRiskView = Type.Object({
  liftId: Type.String(),
  at: Nullable(Type.Integer(), 'When the lift was last scored; null: not yet'),
  families: Type.Array(FamilyRiskView),
}, { description: 'A lift\'s predicted risk per fault family' });
export type LiftRiskView = Static<typeof LiftRiskView>;
