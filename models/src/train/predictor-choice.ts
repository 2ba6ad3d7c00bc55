import { eitherEpisodes, episodesOf, type Episode } from '../evaluate/episodes.js';
import type { HysteresisOptions } from '../serving/hysteresis.js';
import { better, judgeByMix, type CalibrationTarget, type Judged, type ScoredLift } from './calibrate.js';

/**
 * What raises a family's predicted alert in serving:
 * - `model`: the model's score through the model's calibrated hysteresis;
 * - `rule`: the calibrated threshold rule through the rule's hysteresis;
 * - `model-or-rule`: an alert while either holds its own alert (each through its own hysteresis),
 *   cleared when both have cleared.
 */
export const PREDICTORS = Object.freeze(['model', 'rule', 'model-or-rule'] as const);
export type Predictor = (typeof PREDICTORS)[number];

/** Each predictor's figures on the validation lifts. */
export type PredictorTable = Readonly<Record<Predictor, Judged>>;

/** The chosen predictor and why, in words with the figures that chose it. */
export interface PredictorChoice { readonly predictor: Predictor; readonly reason: string }

/** The false alerts per 100 lift-months a served predictor must keep to (the budget of calibration sits below it, as a margin). */
export const FALSE_ALERT_TARGET = 1;

const pct = (v: number) => (Number.isNaN(v) ? 'n/a' : `${+v.toFixed(1)} %`);
const per = (v: number) => (Number.isNaN(v) ? 'n/a' : `${+v.toFixed(2)}`);

/**
 * The predictor to serve, from the validation lifts only: the rule unless another predictor does
 * better there in the order calibration ranks settings by (within the false-alert target first,
 * then more failures predicted ≥ 72 h, then fewer false alerts, then more ≥ 24 h). On a tie the
 * simpler predictor stays (rule, then model, then model-or-rule), so a model is served only where
 * the validation figures show it does better than the rule it must never be worse than: while the
 * rule keeps within the budget, the model alone (which may miss failures the rule predicts) must
 * predict ≥ 72 h ahead at least SERVE_MARGIN more failures than the rule (a failure or two of a rare
 * family is chance, not evidence); model-or-rule keeps every failure the rule predicts. A rule over
 * the calibration budget but within the target itself (its worst mix at most FALSE_ALERT_TARGET) is
 * still served when it predicts more than the predictor chosen within the budget: the budget's
 * margin must not make the served predictor worse than a rule that meets the target.
 */
export function choosePredictor(table: PredictorTable): PredictorChoice {
  const hit = (p: Predictor) => (Number.isNaN(table[p].figures.predicted72hPct) ? 0 : table[p].figures.predicted72hPct);
  const beatsRule = (p: Predictor) => p !== 'model' || !table.rule.withinTarget || (gainOverRule(table, p) >= SERVE_MARGIN.failures && hit(p) - hit('rule') >= SERVE_MARGIN.points);
  let chosen: Predictor = 'rule';
  for (const p of ['model', 'model-or-rule'] as const) if (beatsRule(p) && better(table[p], table[chosen])) chosen = p;
  const ruleFalse = table.rule.worstFalsePer100 ?? table.rule.figures.falsePer100LiftMonths;
  if (chosen !== 'rule' && !table.rule.withinTarget && ruleFalse <= FALSE_ALERT_TARGET && hit('rule') > hit(chosen)) chosen = 'rule';
  const worst = (p: Predictor) => (Object.keys(table[p].byMix ?? {}).length > 1 ? ` (worst mix ${per(table[p].worstFalsePer100 ?? NaN)})` : '');
  const line = (p: Predictor) => `${p} ${pct(table[p].figures.predicted72hPct)} ≥ 72 h at ${per(table[p].figures.falsePer100LiftMonths)}${worst(p)} false / 100 lift-months${table[p].withinTarget ? '' : ' (over the false-alert target)'}`;
  const held = chosen === 'rule' && table.rule.withinTarget && table.model.withinTarget && hit('model') > hit('rule');
  const margin = held ? `; the rule is kept: the model does not predict ${SERVE_MARGIN.failures} failures and ${SERVE_MARGIN.points} points more ≥ 72 h ahead` : '';
  return { predictor: chosen, reason: `on the validation lifts (${table.rule.figures.failures} failures): ${PREDICTORS.map(line).join('; ')}${margin}` };
}

/**
 * How much more than the rule the model alone must predict ≥ 72 h ahead on the validation lifts
 * to be served instead of it (while the rule keeps within the budget): failures, and percentage
 * points of the family's failures. On ten brake failures one more caught is within what a
 * different draw of lifts changes; the served predictor must never be worse than the rule.
 */
export const SERVE_MARGIN = Object.freeze({ failures: 2, points: 5 });

/** Failures predicted ≥ 72 h ahead by `p` beyond as many as the rule predicts (pooled counts). */
function gainOverRule(table: PredictorTable, p: Predictor): number {
  const count = (q: Predictor) => Math.round(((Number.isNaN(table[q].figures.predicted72hPct) ? 0 : table[q].figures.predicted72hPct) * table[q].figures.failures) / 100);
  return count(p) - count('rule');
}

/** One validation lift's model scores and rule scores of one family (same times, same failures). */
export interface ScoredPair { readonly model: ScoredLift; readonly rule: ScoredLift }

/** The episodes each predictor gives on one lift, each through its own hysteresis. */
export function predictorEpisodes(p: Predictor, pair: ScoredPair, model: HysteresisOptions, rule: HysteresisOptions): Episode[] {
  const m = () => episodesOf(pair.model.times, pair.model.scores, model);
  const r = () => episodesOf(pair.rule.times, pair.rule.scores, rule);
  return p === 'model' ? m() : p === 'rule' ? r() : eitherEpisodes(m(), r());
}

/** Every predictor's pooled figures over the validation lifts (within the target on every mix), at the model's and the rule's calibrated hysteresis. */
export function predictorTable(pairs: readonly ScoredPair[], model: HysteresisOptions, rule: HysteresisOptions, target: CalibrationTarget = {}): PredictorTable {
  const lifts = pairs.map((pair) => pair.model);
  const judged = (p: Predictor): Judged => judgeByMix(lifts, (_, i) => predictorEpisodes(p, pairs[i]!, model, rule), target.maxFalsePer100 ?? 1, target.horizonMs);
  return { model: judged('model'), rule: judged('rule'), 'model-or-rule': judged('model-or-rule') };
}
