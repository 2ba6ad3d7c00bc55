import { describe, expect, it } from 'vitest';
import { emptyOutcome, type LiftOutcome } from '../src/evaluate/episodes.js';
import { chooseVersion } from '../src/train/version-choice.js';

/** One lift's outcome: its failures, how many were predicted ≥ 72 h ahead, its false alerts, over a year. */
function lift(failures: number, predicted72h: number, falseEpisodes = 0): LiftOutcome {
  const o = emptyOutcome();
  o.failures = failures; o.predicted = predicted72h; o.predicted24h = predicted72h; o.predicted72h = predicted72h;
  o.leadHours = Array.from({ length: predicted72h }, () => 100);
  o.episodes = predicted72h + falseEpisodes; o.falseEpisodes = falseEpisodes; o.months = 12;
  return o;
}

/** 60 lifts: 36 with one failure, the rest quiet; `caught` of the failing ones predicted, `falseOn` lifts with one false alert. */
function fleet(caught: readonly number[], falseOn: readonly number[] = []): LiftOutcome[] {
  return Array.from({ length: 60 }, (_, i) => lift(i < 36 ? 1 : 0, caught.includes(i) ? 1 : 0, falseOn.includes(i) ? 1 : 0));
}
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

describe('the choice between two versions of a model on the same validation lifts', () => {
  it('keeps the served version on a tie: one failure more of 36 is within the interval', () => {
    const served = fleet(range(0, 30));
    const candidate = fleet(range(0, 31));
    const c = chooseVersion(candidate, served);
    expect(c.serve).toBe('served');
    expect(c.difference.predicted72h.value).toBeCloseTo(100 / 36, 6);
    expect(c.difference.predicted72h.low).toBeLessThanOrEqual(0);
    expect(c.reason).toMatch(/a tie within the intervals; the served version stays/);
  });

  it('serves the candidate when it predicts surely more on the same lifts and raises no more false alerts', () => {
    const served = fleet(range(0, 20), [40, 41]);
    const candidate = fleet(range(0, 32), [40, 41]);
    const c = chooseVersion(candidate, served);
    expect(c.difference.predicted72h.low).toBeGreaterThan(0);
    expect(c.serve).toBe('candidate');
    expect(c.reason).toMatch(/^candidate minus served: \+33\.3 points \[\+\d+\.\d to \+\d+\.\d\] ≥ 72 h, \+0\.00 \[\+0\.00 to \+0\.00\] false alerts per 100 lift-months: the candidate is surely better/);
  });

  it('keeps the served version when the candidate buys its failures with surely more false alerts', () => {
    const served = fleet(range(0, 20));
    const candidate = fleet(range(0, 32), range(36, 60));
    const c = chooseVersion(candidate, served);
    expect(c.difference.predicted72h.low).toBeGreaterThan(0);
    expect(c.difference.falsePer100.low).toBeGreaterThan(0);
    expect(c.serve).toBe('served');
    expect(c.reason).toMatch(/a trade/);
  });

  it('serves the candidate that raises surely fewer false alerts and predicts as many', () => {
    const served = fleet(range(0, 25), range(36, 60));
    const candidate = fleet(range(0, 25));
    const c = chooseVersion(candidate, served);
    expect(c.difference.falsePer100.high).toBeLessThan(0);
    expect(c.serve).toBe('candidate');
  });

  it('says so when the candidate is surely worse, and refuses outcomes of different lifts', () => {
    const c = chooseVersion(fleet(range(0, 10)), fleet(range(0, 30)));
    expect(c.serve).toBe('served');
    expect(c.reason).toMatch(/the candidate is surely worse/);
    expect(() => chooseVersion(fleet([]), fleet([]).slice(1))).toThrow(/same lifts \(60 against 59\)/);
  });
});
