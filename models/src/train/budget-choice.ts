import { eitherEpisodes, episodesOf, type Episode } from '../evaluate/episodes.js';
import type { HysteresisOptions } from '../serving/hysteresis.js';
import { better, calibrate, judgeByMix, judgeSetting, modelCandidates, RULE_SCALES, ruleCandidates, type Calibrated, type CalibrationTarget, type ScoredLift } from './calibrate.js';
import { choosePredictor, type PredictorChoice, type PredictorTable } from './predictor-choice.js';

/**
 * False alerts per 100 lift-months the served predictor may give on the validation lifts: below
 * the target of 1, because lifts the models never saw (other mixes, hotter machine rooms) give
 * more false alerts than the lifts the thresholds were calibrated on.
 */
export const DEFAULT_FALSE_ALERT_BUDGET = 0.7;

/** A rule baseline at one scale of its limits: its scores on the validation lifts. */
export interface RuleAtScale { readonly scale: number; readonly lifts: readonly ScoredLift[] }

/** Every predictor calibrated within a false-alert budget, and the one to serve. */
export interface BudgetedChoice {
  readonly budget: number;
  /** The model alone at its own best setting. */
  readonly model: Calibrated;
  /** The best rule: its scale and persistence. */
  readonly rule: { readonly scale: number; readonly calibration: Calibrated };
  /** Model-or-rule: the best rule unchanged, and the model's setting that adds most to it within the budget. */
  readonly either: Calibrated;
  readonly table: PredictorTable;
  readonly choice: PredictorChoice;
  /** The model thresholds the manifest records (those of model-or-rule when it is served, else the model's own) and the model's figures alone at them. */
  readonly modelServed: Calibrated;
}

/** The rule's scale and persistence that do best on the validation lifts within the budget. */
export function calibrateRuleScales(rules: readonly RuleAtScale[], target: CalibrationTarget): BudgetedChoice['rule'] {
  let best: BudgetedChoice['rule'] | undefined;
  for (const r of rules) {
    const c = calibrate(r.lifts, ruleCandidates(), target);
    if (best === undefined || better(c, best.calibration)) best = { scale: r.scale, calibration: c };
  }
  if (best === undefined) throw new Error(`no rule scale to calibrate: give scores at one or more of ${RULE_SCALES.join(', ')}`);
  return best;
}

/**
 * Model-or-rule with the rule held at its best setting: the model setting whose alerts, added to
 * the rule's, predict the most failures ≥ 72 h ahead while the two together stay within the budget.
 * Because the rule's alerts are all kept, it predicts every failure the rule predicts.
 */
export function calibrateEither(model: readonly ScoredLift[], rule: readonly ScoredLift[], ruleThresholds: HysteresisOptions, candidates: readonly HysteresisOptions[], target: CalibrationTarget): Calibrated {
  const ruleEpisodes: Episode[][] = rule.map((l) => episodesOf(l.times, l.scores, ruleThresholds));
  let best: Calibrated | undefined;
  for (const h of candidates) {
    const c: Calibrated = { thresholds: h, ...judgeByMix(model, (l, i) => eitherEpisodes(episodesOf(l.times, l.scores, h), ruleEpisodes[i]!), target.maxFalsePer100 ?? 1, target.horizonMs) };
    if (best === undefined || better(c, best)) best = c;
  }
  return best!;
}

/**
 * Calibrate the model, the rule and model-or-rule of one family on its validation lifts, each to
 * the most failures predicted ≥ 72 h ahead (pooled over the lifts) within the false-alert budget on
 * every validation mix (`ScoredLift.mix`: the worst mix decides), and choose the one to
 * serve (predictor-choice.ts: within the budget first, then the most ≥ 72 h; the rule on a tie).
 * `model` and each `rules[i].lifts` hold the same lifts in the same order.
 */
export function chooseWithinBudget(model: readonly ScoredLift[], rules: readonly RuleAtScale[], o: { budget?: number; horizonMs?: number } = {}): BudgetedChoice {
  const budget = o.budget ?? DEFAULT_FALSE_ALERT_BUDGET;
  const target: CalibrationTarget = { maxFalsePer100: budget, ...(o.horizonMs !== undefined ? { horizonMs: o.horizonMs } : {}) };
  const candidates = modelCandidates(model);
  const alone = calibrate(model, candidates, target);
  const rule = calibrateRuleScales(rules, target);
  const ruleLifts = rules.find((r) => r.scale === rule.scale)!.lifts;
  const either = calibrateEither(model, ruleLifts, rule.calibration.thresholds, candidates, target);
  const table: PredictorTable = { model: alone, rule: rule.calibration, 'model-or-rule': either };
  const choice = choosePredictor(table);
  const modelServed = choice.predictor === 'model-or-rule' ? judgeSetting(model, either.thresholds, target) : alone;
  return { budget, model: alone, rule, either, table, choice, modelServed };
}
