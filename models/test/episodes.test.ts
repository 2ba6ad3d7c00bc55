import { describe, expect, it } from 'vitest';
import { emptyOutcome, episodesOf, figures, judgeEpisodes, judgedFrom, leadHours, repairedFalseEpisodes, type Episode } from '../src/evaluate/episodes.js';
import { pairedText } from '../src/evaluate/report.js';
import { summarise } from '../src/evaluate/summary.js';
import type { EvaluatedLift } from '../src/evaluate/evaluate.js';
import { createHysteresis } from '../src/serving/hysteresis.js';
import { prng } from '../src/train/prng.js';
import { FAMILY_NAMES } from '../src/train/families.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe('episode counting', () => {
  // One lift over 120 days, door failures on days 20, 50 and 80, and four alert episodes.
  const failures = [20 * DAY, 50 * DAY, 80 * DAY];
  const episodes: Episode[] = [
    { raise: 14 * DAY, clear: 21 * DAY }, // early raise, open at the day-20 failure: predicted 144 h ahead
    { raise: 50 * DAY - 6 * HOUR, clear: 52 * DAY }, // late raise: predicted, but only 6 h ahead
    { raise: 70 * DAY, clear: 75 * DAY }, // cleared before the day-80 failure: predicts nothing, false
    { raise: 100 * DAY, clear: undefined }, // still open at the end, no failure follows: false
  ];

  it('counts a hand-made set exactly: late raise, early raise, cleared alert, alert still open', () => {
    const o = judgeEpisodes(episodes, failures, 0, 120 * DAY, 30 * DAY);
    expect(o).toEqual({
      failures: 3, predicted: 2, predicted24h: 1, predicted72h: 1, leadHours: [144, 6],
      episodes: 4, falseEpisodes: 2, falseRepaired: 0, months: 4, alertMs: (7 + 2.25 + 5 + 20) * DAY,
    });
    expect(figures(o)).toMatchObject({ predicted72hPct: 100 / 3, predicted24hPct: 100 / 3, falsePer100LiftMonths: 50, medianLeadH: 75 });
  });

  it('gives each failure the lead of the earliest alert still open at it, and NaN to one no open alert warned of', () => {
    expect(failures.map((f) => leadHours(episodes, f, 30 * DAY))).toEqual([144, 6, NaN]);
    expect(leadHours([{ raise: 10 * DAY, clear: undefined }, { raise: 30 * DAY, clear: undefined }], 45 * DAY, 30 * DAY)).toBe(15 * 24);
  });

  it('says which false alerts were open while a routine visit repaired their family\'s fault, and only those', () => {
    // Visits on day 72 (during the cleared day-70 alert), day 90 (no alert open) and day 110 (the open one),
    // and day 18 (during the true day-14 alert, which stays true).
    expect(repairedFalseEpisodes(episodes, failures, [18 * DAY, 72 * DAY, 90 * DAY, 110 * DAY], 120 * DAY, 30 * DAY)).toBe(2);
    expect(repairedFalseEpisodes(episodes, failures, [90 * DAY], 120 * DAY, 30 * DAY)).toBe(0);
    expect(repairedFalseEpisodes(episodes, failures, [], 120 * DAY, 30 * DAY)).toBe(0);
  });

  it('an alert raised longer than the horizon before a failure neither predicts it nor counts as true', () => {
    const o = judgeEpisodes([{ raise: 10 * DAY, clear: undefined }], [50 * DAY], 0, 60 * DAY, 30 * DAY);
    expect(o).toMatchObject({ failures: 1, predicted: 0, episodes: 1, falseEpisodes: 1 });
  });

  it('an alert left open across a repair goes on predicting within the horizon; failures before scoring are not counted', () => {
    const o = judgeEpisodes([{ raise: 10 * DAY, clear: undefined }], [5 * DAY, 12 * DAY, 20 * DAY, 45 * DAY], 8 * DAY, 60 * DAY, 30 * DAY);
    expect(o).toMatchObject({ failures: 3, predicted: 2, leadHours: [48, 240], falseEpisodes: 0 });
  });

  it('judges a lift from its first scored time, and a lift never scored over its whole span: its months count and its failure is a miss', () => {
    const scored = Float64Array.of(15 * DAY, 16 * DAY);
    expect(judgedFrom(scored, 0)).toBe(15 * DAY);
    expect(judgeEpisodes([], [10 * DAY, 40 * DAY], judgedFrom(scored, 0), 75 * DAY, 30 * DAY)).toMatchObject({ failures: 1, predicted: 0, months: 2 });
    expect(judgedFrom(new Float64Array(0), 3 * DAY)).toBe(3 * DAY);
    expect(judgeEpisodes([], [10 * DAY, 40 * DAY], judgedFrom(new Float64Array(0), 3 * DAY), 63 * DAY, 30 * DAY)).toMatchObject({ failures: 2, predicted: 0, months: 2 });
  });

  it('episodesOf follows the serving hysteresis exactly', () => {
    const r = prng(4);
    const times = Array.from({ length: 2000 }, (_, i) => i * 6 * HOUR);
    let high = false; // regimes that switch now and then, with noise that crosses the thresholds
    const scores = times.map(() => { if (r.next() < 0.05) high = !high; return high ? 0.6 + 0.4 * r.next() : 0.5 * r.next(); });
    const h = { raise: 0.8, clear: 0.3, minDurationMs: 12 * HOUR, clearMinDurationMs: 24 * HOUR };
    const hyst = createHysteresis(h);
    const expected: Episode[] = [];
    times.forEach((t, i) => {
      const tr = hyst.update('L', scores[i]!, t);
      if (tr === 'raised') expected.push({ raise: t, clear: undefined });
      if (tr === 'cleared') (expected.at(-1) as { clear: number | undefined }).clear = t;
    });
    expect(expected.length).toBeGreaterThan(3);
    expect(episodesOf(times, scores, h)).toEqual(expected);
  });
});

describe('bootstrap intervals over lifts', () => {
  const lift = (predicted: boolean, falseAlerts: number): EvaluatedLift => {
    const o = judgeEpisodes([...(predicted ? [{ raise: 5 * DAY, clear: undefined }] : []), ...Array.from({ length: falseAlerts }, (_, i) => ({ raise: (40 + i) * DAY, clear: (40 + i) * DAY + HOUR }))], [9 * DAY], 0, 90 * DAY, 30 * DAY);
    const per = Object.fromEntries(FAMILY_NAMES.map((f) => [f, f === 'doorSystem' ? o : emptyOutcome()]));
    return { liftId: 'x', mix: 'm', seed: 1, model: per as EvaluatedLift['model'], rule: per as EvaluatedLift['rule'], served: per as EvaluatedLift['served'], counted: Object.fromEntries(FAMILY_NAMES.map((f) => [f, []])) as never, grades: [], records: 0 };
  };
  /** A lift with one door failure on day 9 of a given cause, which the served predictor and the rule each predicted 4 days ahead or not. */
  const paired = (served: boolean, rule: boolean, cause = 'doorFrictionWear', onsetDays = 30, wearShare = 0.8): EvaluatedLift => {
    const judge = (hit: boolean) => judgeEpisodes(hit ? [{ raise: 5 * DAY, clear: undefined }] : [], [9 * DAY], 0, 90 * DAY, 30 * DAY);
    const of = (hit: boolean) => Object.fromEntries(FAMILY_NAMES.map((f) => [f, f === 'doorSystem' ? judge(hit) : emptyOutcome()])) as EvaluatedLift['model'];
    const counted = Object.fromEntries(FAMILY_NAMES.map((f) => [f, f === 'doorSystem' ? [{ cause, onsetLeadH: onsetDays * 24, servedLeadH: served ? 96 : NaN, wearShare72h: wearShare }] : []])) as EvaluatedLift['counted'];
    return { liftId: 'x', mix: 'm', seed: 1, model: of(served), rule: of(rule), served: of(served), counted, grades: [], records: 0 };
  };

  it('pairs served and rule over the same lifts: what they share cancels, the interval is the difference\'s', () => {
    // 10 lifts: both predict 5, neither 4, the served predictor alone the tenth.
    const lifts = [...Array.from({ length: 5 }, () => paired(true, true)), ...Array.from({ length: 4 }, () => paired(false, false)), paired(true, false)];
    const s = summarise(lifts, { samples: 1000, seed: 2 });
    const d = s.servedVsRule.doorSystem;
    expect(d.predicted72h.value).toBeCloseTo(10, 9);
    expect(d.predicted72h.low).toBeGreaterThanOrEqual(0); // never negative: the rule predicts nothing the served predictor misses
    expect(d.predicted72h.high - d.predicted72h.low).toBeLessThan(s.served.doorSystem.predicted72h.high - s.served.doorSystem.predicted72h.low);
    expect(d.falsePer100.value).toBe(0);
    expect(pairedText(d)).toContain('+10 [0 to +');
    expect(pairedText(d)).toContain('(not sure at 95 %)');
    const all = summarise(Array.from({ length: 8 }, () => paired(true, false)), { samples: 200 }).servedVsRule.doorSystem;
    expect([all.predicted72h.low, all.predicted72h.value, all.predicted72h.high]).toEqual([100, 100, 100]);
    expect(pairedText(all)).toContain('+100 [+100 to +100] points ≥ 72 h (sure at 95 %)');
  });

  it('breaks the served figures down by cause, most failures first, with the failures too young to warn of', () => {
    const lifts = [paired(true, false, 'lockContactWear'), paired(false, false, 'lockContactWear', 2, NaN), paired(false, false, 'lockContactWear', 40, 0.3),
      paired(true, true, 'sillDebris', 10), paired(false, false, 'doorFrictionWear + sillDebris', 30, 0.49)];
    const s = summarise(lifts, { samples: 300, seed: 5 });
    expect(s.byCause.map((c) => [c.cause, c.failures, Math.round(c.predicted72h.value), c.onsetUnder72h, c.medianOnsetDays, c.wearUnderHalf72h, c.wearKnown])).toEqual([
      ['lockContactWear', 3, 33, 1, 30, 1, 2], ['doorFrictionWear + sillDebris', 1, 0, 0, 30, 1, 1], ['sillDebris', 1, 100, 0, 10, 0, 1],
    ]);
    expect(s.byCause.every((c) => c.family === 'doorSystem')).toBe(true);
  });

  it('brackets the pooled figure, is seeded, and collapses when every lift is alike', () => {
    const lifts = [lift(true, 0), lift(false, 2), lift(true, 1), lift(true, 0), lift(false, 0)];
    const s = summarise(lifts, { samples: 500, seed: 3 });
    const d = s.model.doorSystem;
    expect(d.predicted72h.value).toBe(60);
    expect(d.predicted72h.low).toBeLessThanOrEqual(60);
    expect(d.predicted72h.high).toBeGreaterThanOrEqual(60);
    expect(d.predicted72h.high - d.predicted72h.low).toBeGreaterThan(10);
    expect(summarise(lifts, { samples: 500, seed: 3 })).toEqual(s);
    const same = summarise([lift(true, 1), lift(true, 1), lift(true, 1)], { samples: 200 }).model.doorSystem;
    expect([same.falsePer100.low, same.falsePer100.value, same.falsePer100.high]).toEqual([same.falsePer100.value, same.falsePer100.value, same.falsePer100.value]);
    expect(s.model.brake.predicted72h.value).toBeNaN();
  });
});
