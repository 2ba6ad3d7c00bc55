import { describe, expect, it } from 'vitest';
import { calibrateOracle, judgeOracle, oracleScored } from '../src/evaluate/oracle.js';
import { wearShare72h } from '../src/evaluate/evaluate.js';
import { createTruthState, ORACLE_INPUTS, oracleIndex, type HealthLine } from '../src/evaluate/oracle-state.js';
import { episodesOf, judgeEpisodes, repairedFalseEpisodes } from '../src/evaluate/episodes.js';
import type { LiftSeries } from '../src/train/replay.js';
import type { FailureLabel, RepairLabel } from '../src/train/families.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** A health line with the brake at `brake` (1 = new) and its remaining life, the rest new. */
const line = (day: number, brake: number, rulDays?: number): HealthLine => ({
  ts: day * DAY, health: { doorOperator: 1, doorLock: 1, guides: 1, levelling: 1, brake, ropes: 1, traction: 1, motor: 1, machine: 1 },
  rulDays: rulDays === undefined ? {} : { brake: rulDays },
});

/**
 * A hand-made lift of 60 days: the truth writes a health line a day (and one after a visit), the
 * oracle reads them every 6 h from day 1. A brake lining wears linearly from day 20 to health 0 on
 * day 40, when the brake test fails and the corrective visit renews it (`failsOnDay`); or a
 * routine visit repairs it first (`repairedOnDay`).
 */
function lift(id: string, o: { repairedOnDay?: number; failsOnDay?: number }): LiftSeries {
  const truth = createTruthState();
  const lines: HealthLine[] = [];
  for (let d = 0; d <= 60; d++) {
    const until = o.repairedOnDay ?? o.failsOnDay; // a sound lift's brake does not wear
    const worn = until !== undefined && d >= 20 && d < until;
    const h = worn ? Math.max(0, 1 - (d - 20) / 20) : 1;
    lines.push(line(d, h, worn ? 40 - d : undefined));
    if (d === o.failsOnDay) lines.push(line(d, 0, 0)); // health 0 at the failure, then the corrective visit
    if (d === o.repairedOnDay || d === o.failsOnDay) lines.push(line(d + 0.2, 1));
  }
  const times: number[] = [];
  const scores: Float32Array[] = [];
  let next = 0;
  for (let t = DAY; t <= 60 * DAY; t += 6 * HOUR) {
    while (next < lines.length && lines[next]!.ts <= t) truth.add(lines[next++]!);
    times.push(t); scores.push(truth.scores(t));
  }
  const oracle = new Float32Array(times.length * ORACLE_INPUTS);
  scores.forEach((s, i) => oracle.set(s, i * ORACLE_INPUTS));
  const failures: FailureLabel[] = o.failsOnDay === undefined ? [] : [{ ts: o.failsOnDay * DAY + HOUR, family: 'brake', mode: 'brake-test-failed', onsetTs: 20 * DAY, cause: 'brakeSpringLoss' }];
  const repairs: RepairLabel[] = o.repairedOnDay === undefined ? [] : [{ ts: o.repairedOnDay * DAY + 0.01 * DAY, family: 'brake' }];
  return { liftId: id, mix: 'hand-made', seed: 1, index: 0, from: 0, to: 60 * DAY, times: Float64Array.from(times), x: new Float32Array(0), rules: new Float32Array(0), oracle, failures, repairs, grades: [], records: 0 };
}

describe('the oracle reads the true component state, never the future', () => {
  it('scores 1 − the lowest health of the family\'s components and the remaining life counted down from the last line', () => {
    const truth = createTruthState();
    expect(truth.scores(0)[oracleIndex('brake', 'health')]).toBe(0); // before any line: a new lift
    truth.add(line(30, 0.4, 10));
    const s = truth.scores(32 * DAY);
    expect(s[oracleIndex('brake', 'health')]).toBeCloseTo(0.6, 5);
    expect(s[oracleIndex('brake', 'remaining-life')]).toBeCloseTo(Math.exp(-8 / 30), 5); // 10 days left on day 30, 8 on day 32
    expect(s[oracleIndex('doorSystem', 'health')]).toBe(0);
    expect(s[oracleIndex('doorSystem', 'remaining-life')]).toBe(0);
    // the machine bearing is drive/thermal's but never makes it fail: its wear is not read
    truth.add({ ts: 33 * DAY, health: { machine: 0.1, motor: 1 }, rulDays: { machine: 1 } });
    expect(truth.scores(33 * DAY)[oracleIndex('driveThermal', 'health')]).toBe(0);
    // a replaced part whose law the truth still counts down (health back to 1) has no remaining life
    truth.add({ ts: 34 * DAY, health: { brake: 1 }, rulDays: { brake: 3 } });
    expect(truth.scores(34 * DAY)[oracleIndex('brake', 'remaining-life')]).toBe(0);
  });

  it('a fault whose health falls to 0 raises before the failure, ≥ 72 h ahead; the same wear repaired by a routine visit gives a false episode, counted as repaired', () => {
    const failing = lift('a', { failsOnDay: 40 });
    const repaired = lift('b', { repairedOnDay: 33 });
    const h = { raise: 0.5, clear: 0.15, minDurationMs: 0, clearMinDurationMs: 24 * HOUR };
    const [a] = oracleScored([failing], 'brake', 'health');
    const ea = episodesOf(a!.times, a!.scores, h);
    expect(ea[0]!.raise).toBe(30 * DAY); // health 0.5 on day 30, ten days before the failure
    const oa = judgeEpisodes(ea, a!.failures, a!.times[0]!, failing.to);
    expect([oa.failures, oa.predicted72h, oa.falseEpisodes]).toEqual([1, 1, 0]);

    const [b] = oracleScored([repaired], 'brake', 'health');
    const eb = episodesOf(b!.times, b!.scores, h);
    expect(eb).toHaveLength(1);
    expect(eb[0]!.clear).toBeGreaterThan(33 * DAY); // cleared after the visit
    const ob = judgeEpisodes(eb, [], b!.times[0]!, repaired.to);
    expect([ob.failures, ob.falseEpisodes]).toEqual([0, 1]);
    expect(repairedFalseEpisodes(eb, [], repaired.repairs.map((r) => r.ts), repaired.to)).toBe(1);
  });

  it('tells how much of a failure\'s wear was there 72 h before it', () => {
    const failing = lift('a', { failsOnDay: 40 });
    // linear wear from day 20: severity 0.85 on day 37, 1 at the failure on day 40
    expect(wearShare72h(failing, 'brake', 40 * DAY + HOUR)).toBeCloseTo(0.85, 5);
    // had it failed on day 23, the wear 72 h before (day 20) was none of it
    expect(wearShare72h(failing, 'brake', 23 * DAY)).toBe(0);
    // a family with no wear, and a failure too early for a sample 72 h before it, say nothing
    expect(wearShare72h(failing, 'doorSystem', 40 * DAY)).toBeNaN();
    expect(wearShare72h(failing, 'brake', 2 * DAY)).toBeNaN();
  });

  it('is calibrated within the budget on the validation lifts and judged on other lifts as the served predictors are', () => {
    // validation: 40 lifts that fail, 40 whose wear a visit repairs, 120 sound ones (about 130 lift-months)
    const validation = [
      ...Array.from({ length: 40 }, (_, i) => lift(`f${i}`, { failsOnDay: 40 })),
      ...Array.from({ length: 40 }, (_, i) => lift(`r${i}`, { repairedOnDay: 33 })),
      ...Array.from({ length: 120 }, (_, i) => lift(`s${i}`, {})),
    ];
    const c = calibrateOracle(validation, [0.5, 100]);
    const [tight, loose] = c.settings.brake;
    // within 0.5 per 100 lift-months no setting may raise on the repaired lifts' wear (health ≥ 0.4), so
    // the oracle raises only past it, from day 33 on: still 7 days before the failures
    expect(tight!.calibration.withinTarget).toBe(true);
    expect(tight!.calibration.figures.falsePer100LiftMonths).toBeLessThanOrEqual(0.5);
    expect(tight!.calibration.figures.predicted72hPct).toBe(100);
    expect(loose!.calibration.figures.predicted72hPct).toBe(100);
    // families with no failure on these lifts never raise
    expect(c.settings.doorSystem[0]!.calibration.figures.falsePer100LiftMonths).toBe(0);

    const judged = judgeOracle(lift('held-out', { failsOnDay: 40 }), 0, c, DAY, 30 * DAY);
    expect(judged.brake.map((o) => [o.failures, o.predicted72h, o.falseEpisodes])).toEqual([[1, 1, 0], [1, 1, 0]]);
    const quiet = judgeOracle(lift('held-out-repaired', { repairedOnDay: 33 }), 0, c, DAY, 30 * DAY);
    expect(quiet.brake[0]!.falseEpisodes).toBe(0); // the tight setting waits past the visit's wear
  });
});
