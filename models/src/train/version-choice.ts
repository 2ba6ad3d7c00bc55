import { FEATURE_NAMES } from '../features/definition.js';
import { eitherEpisodes, emptyOutcome, episodesOf, judgeEpisodes, judgedFrom, type LiftOutcome } from '../evaluate/episodes.js';
import { pairedDifference, type PairedDifference } from '../evaluate/summary.js';
import { RULE_INPUTS, ruleScore } from '../evaluate/threshold-rules.js';
import { servedPredictor } from '../registry/manifest.js';
import type { LoadedModel } from '../registry/registry.js';
import type { HysteresisOptions } from '../serving/hysteresis.js';
import type { Family } from './families.js';
import { prng } from './prng.js';
import type { LiftSeries } from './replay.js';

/**
 * Which of two versions of a family's model to serve, from the same validation lifts: the version
 * served today keeps its place unless the candidate is surely better on one count (failures
 * predicted ≥ 72 h ahead, or false alerts per 100 lift-months) and not surely worse on the other,
 * "surely" meaning the 95 % interval of a paired bootstrap over lifts (each resample draws the same
 * lifts for both, so the failures and quiet lifts they share cancel) leaves 0 out. On a few dozen
 * failures two versions a failure or two apart are a tie, and a tie keeps what is served: a new
 * version must show it is better, not merely come out ahead on this draw of lifts.
 */
export interface VersionChoice {
  readonly serve: 'candidate' | 'served';
  /** Candidate minus served, with the paired intervals. */
  readonly difference: PairedDifference;
  readonly reason: string;
}

export function chooseVersion(candidate: readonly LiftOutcome[], served: readonly LiftOutcome[], o: { samples?: number; seed?: number } = {}): VersionChoice {
  if (candidate.length !== served.length) throw new RangeError(`the two versions must be judged on the same lifts (${candidate.length} against ${served.length})`);
  const r = prng(o.seed ?? 1);
  const n = candidate.length;
  const draws = Array.from({ length: o.samples ?? 1000 }, () => Array.from({ length: n }, () => Math.floor(r.next() * n)));
  const d = pairedDifference(candidate, served, draws);
  const moreSure = d.predicted72h.low > 0; const lessSure = d.predicted72h.high < 0;
  const fewerFalseSure = d.falsePer100.high < 0; const moreFalseSure = d.falsePer100.low > 0;
  const better = (moreSure && !moreFalseSure) || (fewerFalseSure && !lessSure);
  const text = (x: PairedDifference['predicted72h'], digits: number, unit: string) =>
    `${signed(x.value, digits)}${unit} [${signed(x.low, digits)} to ${signed(x.high, digits)}]`;
  const said = `candidate minus served: ${text(d.predicted72h, 1, ' points')} ≥ 72 h, ${text(d.falsePer100, 2, '')} false alerts per 100 lift-months`;
  const why = better
    ? 'the candidate is surely better on one count and not surely worse on the other'
    : moreSure || fewerFalseSure ? 'a trade: surely better on one count, surely worse on the other; the served version stays'
      : lessSure || moreFalseSure ? 'the candidate is surely worse' : 'a tie within the intervals; the served version stays';
  return { serve: better ? 'candidate' : 'served', difference: d, reason: `${said}: ${why}` };
}

const signed = (x: number, digits: number) => (Number.isNaN(x) ? 'n/a' : `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`);

/**
 * Each validation lift's outcome for a family under a model version as its manifest serves it: the
 * served predictor (model, rule or model-or-rule) at the manifest's calibrated thresholds and rule
 * scale, judged with the evaluation's episodes over the time calibration judges (`judgeByMix`).
 */
export async function servedOutcomes(series: readonly LiftSeries[], f: Family, m: LoadedModel, horizonMs: number): Promise<LiftOutcome[]> {
  const F = FEATURE_NAMES.length;
  const rule = m.manifest.validation.rule;
  const p = servedPredictor(m.manifest);
  const out: LiftOutcome[] = [];
  for (const s of series) {
    const n = s.times.length;
    const scores = n === 0 ? new Float32Array(0) : await m.classifier.run(s.x.subarray(0, n * F), n);
    const ruleScores = new Float32Array(n);
    for (let i = 0; i < n; i++) ruleScores[i] = ruleScore(f, s.rules, i * RULE_INPUTS, rule.scale);
    const byModel = () => episodesOf(s.times, scores, m.manifest.thresholds);
    const byRule = () => episodesOf(s.times, ruleScores, rule.thresholds as HysteresisOptions);
    const episodes = p === 'model' ? byModel() : p === 'rule' ? byRule() : eitherEpisodes(byModel(), byRule());
    // judged from the first scored time, as calibration judges (a failure in the warm-up, before any score, counts for neither)
    out.push(judgeEpisodes(episodes, s.failures.filter((x) => x.family === f).map((x) => x.ts), judgedFrom(s.times, s.from), s.to, horizonMs, emptyOutcome()));
  }
  return out;
}
