import { ruleReadings, ruleScore, ruleText, type RuleReading } from '../evaluate/threshold-rules.js';
import { servedPredictor } from '../registry/manifest.js';
import type { LoadedModel } from '../registry/registry.js';
import type { AlertStatePort } from './alert-states.js';
import { createHysteresis, type Hysteresis, type HysteresisOptions, type Transition } from './hysteresis.js';
import { FAMILY_NAMES, type Family } from '../train/families.js';
import type { Predictor } from '../train/predictor-choice.js';

/** The rule behind a served alert: its text at the calibrated scale, its score (≥ 1: fires) and each condition's limit and measured value. */
export interface FiredRule { readonly text: string; readonly scale: number; readonly score: number; readonly readings: readonly RuleReading[] }

/**
 * One model's served alert: the predictor its manifest chose on the validation lifts (model, rule or
 * model-or-rule), the model's hysteresis and, when the rule takes part, the rule's own hysteresis
 * with the rule's calibrated thresholds. The rule's memory is kept under `<modelId>#rule`.
 */
export interface ServedAlertState {
  readonly predictor: Predictor;
  readonly family: Family | undefined;
  readonly model: Hysteresis;
  readonly rule: Hysteresis | undefined;
}

/** What one scoring of a lift changed in its served alert, and which predictor made the change. */
export interface ServedStep { readonly transition: Transition; readonly firedBy: 'model' | 'rule'; readonly rule: FiredRule | undefined }

/** The key the rule's hysteresis is kept under in the alert-state port. */
export const ruleStateKey = (modelId: string) => `${modelId}#rule`;

/** The served alert of a loaded model, with the model's thresholds (persistence overridden when asked) and its memory restored. */
export function createServedAlert(id: string, m: LoadedModel, modelThresholds: HysteresisOptions, port?: AlertStatePort): ServedAlertState {
  const predictor = servedPredictor(m.manifest);
  const family = FAMILY_NAMES.find((f) => f === m.manifest.family);
  const kept = (key: string, o: HysteresisOptions) => createHysteresis(o, port?.load(key), (lift, st) => port?.save(key, lift, st));
  const withRule = predictor !== 'model' && family !== undefined;
  return { predictor, family, model: kept(id, modelThresholds), rule: withRule ? kept(ruleStateKey(id), m.manifest.validation.rule.thresholds) : undefined };
}

/** Whether the served alert of a lift is raised (the model's, the rule's, or either's). */
export function servedActive(a: ServedAlertState, liftId: string): boolean {
  const m = a.model.isActive(liftId); const r = a.rule?.isActive(liftId) ?? false;
  return a.predictor === 'model' ? m : a.predictor === 'rule' ? r : m || r;
}

/**
 * Feed one scoring: the model's score always updates the model's hysteresis (the lift page shows
 * it); the rule's score (from the lift's rule inputs) updates the rule's. The served alert is raised
 * when the chosen predictor's alert is (for model-or-rule: when the first of the two is) and cleared
 * when it clears (for model-or-rule: when both have).
 */
export function servedStep(a: ServedAlertState, m: LoadedModel, liftId: string, modelScore: number, ruleInputs: ArrayLike<number> | undefined, at: number): ServedStep {
  const before = servedActive(a, liftId);
  const tm = a.model.update(liftId, modelScore, at);
  const scale = m.manifest.validation.rule.scale;
  const rs = a.rule !== undefined && a.family !== undefined && ruleInputs !== undefined ? ruleScore(a.family, ruleInputs, 0, scale) : undefined;
  const tr = rs === undefined ? undefined : a.rule!.update(liftId, rs, at);
  const after = servedActive(a, liftId);
  const transition: Transition = before === after ? undefined : after ? 'raised' : 'cleared';
  const firedBy = a.predictor === 'rule' || (a.predictor === 'model-or-rule' && tr !== undefined && tm === undefined) ? 'rule' : 'model';
  const rule = firedBy === 'rule' && rs !== undefined && a.family !== undefined
    ? { text: ruleText(a.family, scale), scale, score: Math.round(rs * 1000) / 1000, readings: ruleReadings(a.family, ruleInputs!, 0, scale) }
    : undefined;
  return { transition, firedBy, rule };
}
