import { describe, expect, it } from 'vitest';
import { eitherEpisodes, figures, type LiftOutcome } from '../src/evaluate/episodes.js';
import type { Judged } from '../src/train/calibrate.js';
import { choosePredictor, predictorTable, type PredictorTable, type ScoredPair } from '../src/train/predictor-choice.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Validation figures as a table row: failures, predicted ≥ 72 h, false alerts over 100 lift-months. */
function judged(failures: number, predicted72h: number, falseEpisodes: number): Judged {
  const o: LiftOutcome = { failures, predicted: predicted72h, predicted24h: predicted72h, predicted72h, leadHours: Array.from({ length: predicted72h }, () => 100), episodes: predicted72h + falseEpisodes, falseEpisodes, falseRepaired: 0, months: 100, alertMs: 0 };
  const f = figures(o);
  return { figures: f, withinTarget: f.falsePer100LiftMonths <= 1 };
}

describe('choosing the served predictor on the validation lifts', () => {
  it('picks the rule when the model is worse than it (fewer failures predicted, or as many with more false alerts)', () => {
    const fewer: PredictorTable = { model: judged(8, 0, 1), rule: judged(8, 6, 0), 'model-or-rule': judged(8, 6, 1) };
    expect(choosePredictor(fewer).predictor).toBe('rule');
    const noisier: PredictorTable = { model: judged(8, 6, 1), rule: judged(8, 6, 0), 'model-or-rule': judged(8, 6, 1) };
    expect(choosePredictor(noisier)).toEqual({ predictor: 'rule', reason: expect.stringContaining('rule 75 % ≥ 72 h at 0 false / 100 lift-months') });
  });

  it('picks the model when it is better than the rule, and model-or-rule only when it adds to both', () => {
    const better: PredictorTable = { model: judged(10, 7, 1), rule: judged(10, 3, 0), 'model-or-rule': judged(10, 7, 1) };
    expect(choosePredictor(better).predictor).toBe('model'); // a tie with model-or-rule keeps the simpler model
    const both: PredictorTable = { model: judged(10, 5, 0), rule: judged(10, 4, 0), 'model-or-rule': judged(10, 8, 1) };
    expect(choosePredictor(both).predictor).toBe('model-or-rule');
  });

  it('keeps the rule unless the model alone predicts at least two failures and five points more ≥ 72 h ahead', () => {
    // brake on ten validation failures: one more caught is chance, not evidence
    const one: PredictorTable = { model: judged(10, 7, 0), rule: judged(10, 6, 0), 'model-or-rule': judged(10, 6, 0) };
    expect(choosePredictor(one)).toEqual({ predictor: 'rule', reason: expect.stringContaining('the rule is kept: the model does not predict 2 failures and 5 points more') });
    expect(choosePredictor({ ...one, model: judged(10, 8, 0) }).predictor).toBe('model');
    // on 300 failures two more are under five points
    expect(choosePredictor({ model: judged(300, 62, 0), rule: judged(300, 60, 0), 'model-or-rule': judged(300, 60, 0) }).predictor).toBe('rule');
  });

  it('serves model-or-rule where it adds to the rule within the budget, however little: it keeps every failure the rule predicts', () => {
    expect(choosePredictor({ model: judged(10, 7, 0), rule: judged(10, 6, 0), 'model-or-rule': judged(10, 7, 0) }).predictor).toBe('model-or-rule');
  });

  it('never serves a predictor over the false-alert target when another is within it', () => {
    const t: PredictorTable = { model: judged(10, 10, 5), rule: judged(10, 1, 0), 'model-or-rule': judged(10, 10, 5) };
    expect(choosePredictor(t)).toMatchObject({ predictor: 'rule', reason: expect.stringContaining('(over the false-alert target)') });
  });
});

describe('a rule over the budget but within the target', () => {
  const overBudget = (failures: number, predicted72h: number, falseEpisodes: number, worst: number): Judged => ({ ...judged(failures, predicted72h, falseEpisodes), withinTarget: false, worstFalsePer100: worst });

  it('is served when it predicts more than the predictor chosen within the budget', () => {
    const t: PredictorTable = { model: judged(30, 3, 0), rule: overBudget(30, 9, 0, 0.91), 'model-or-rule': overBudget(30, 9, 1, 1.2) };
    expect(choosePredictor(t).predictor).toBe('rule');
  });

  it('is not served when its worst mix is over the target, nor when it predicts less', () => {
    expect(choosePredictor({ model: judged(30, 3, 0), rule: overBudget(30, 9, 0, 1.05), 'model-or-rule': overBudget(30, 9, 1, 1.2) }).predictor).toBe('model');
    expect(choosePredictor({ model: judged(30, 12, 0), rule: overBudget(30, 9, 0, 0.91), 'model-or-rule': overBudget(30, 12, 1, 1.2) }).predictor).toBe('model');
  });
});

describe('model-or-rule episodes', () => {
  it('one alert while either holds: overlapping episodes merge at the earlier raise, an open one stays open', () => {
    expect(eitherEpisodes(
      [{ raise: 10, clear: 20 }, { raise: 50, clear: undefined }],
      [{ raise: 15, clear: 30 }, { raise: 40, clear: 45 }, { raise: 60, clear: 70 }],
    )).toEqual([{ raise: 10, clear: 30 }, { raise: 40, clear: 45 }, { raise: 50, clear: undefined }]);
  });

  it('counts a failure the rule saw and the model missed once, for model-or-rule as for the rule', () => {
    const times = Array.from({ length: 40 }, (_, i) => i * 6 * HOUR);
    const failure = 9 * DAY;
    // the model never rises; the rule's score is over its limit from day 4 on
    const pair: ScoredPair = {
      model: { from: 0, to: 10 * DAY, times, scores: times.map(() => 0.01), failures: [failure] },
      rule: { from: 0, to: 10 * DAY, times, scores: times.map((t) => (t >= 4 * DAY ? 1.2 : 0.5)), failures: [failure] },
    };
    const h = { raise: 0.5, clear: 0.2, minDurationMs: 0 };
    const rule = { raise: 1, clear: 0.999_999, minDurationMs: 12 * HOUR, clearMinDurationMs: 24 * HOUR };
    const t = predictorTable([pair], h, rule);
    expect(t.model.figures).toMatchObject({ failures: 1, predicted72hPct: 0 });
    expect(t.rule.figures).toMatchObject({ failures: 1, predicted72hPct: 100, medianLeadH: 108 });
    expect(t['model-or-rule'].figures).toEqual(t.rule.figures);
    expect(choosePredictor(t).predictor).toBe('rule');
  });
});
