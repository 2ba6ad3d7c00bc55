import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { figures, type LiftOutcome } from '../src/evaluate/episodes.js';
import { parseManifest } from '../src/registry/manifest.js';
import { chooseWithinBudget } from '../src/train/budget-choice.js';
import type { Judged, ScoredLift } from '../src/train/calibrate.js';
import { choosePredictor, FALSE_ALERT_TARGET, type PredictorTable } from '../src/train/predictor-choice.js';
import { assertNoSharedFleet } from '../src/train/cli.js';
import { servingField } from '../src/train/publish.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const times = Array.from({ length: 120 * 4 }, (_, i) => i * 6 * HOUR);

/** A 120-day validation lift: its score is `high` on [fromDay, toDay), 0.01 elsewhere; one failure at `failDay` (or none). */
function lift(fromDay: number, toDay: number, failDay?: number, high = 0.9): ScoredLift {
  return {
    from: 0, to: 120 * DAY, times,
    scores: times.map((t) => (t >= fromDay * DAY && t < toDay * DAY ? high : 0.01)),
    failures: failDay === undefined ? [] : [failDay * DAY],
  };
}

/** Validation figures as a table row with a false-alert budget: failures, predicted ≥ 72 h, false alerts over 100 lift-months. */
function judged(failures: number, predicted72h: number, falseEpisodes: number, budget: number): Judged {
  const o: LiftOutcome = { failures, predicted: predicted72h, predicted24h: predicted72h, predicted72h, leadHours: Array.from({ length: predicted72h }, () => 100), episodes: predicted72h + falseEpisodes, falseEpisodes, falseRepaired: 0, months: 100, alertMs: 0 };
  const f = figures(o);
  return { figures: f, withinTarget: f.falsePer100LiftMonths <= budget };
}

describe('choosing the served predictor within a false-alert budget', () => {
  it('does not serve the predictor that catches most when it is over the budget', () => {
    const budget = 0.7;
    const t: PredictorTable = { model: judged(20, 12, 0, budget), rule: judged(20, 8, 0, budget), 'model-or-rule': judged(20, 18, 1, budget) };
    const c = choosePredictor(t);
    expect(c.predictor).toBe('model');
    expect(c.reason).toContain('model-or-rule 90 % ≥ 72 h at 1 false / 100 lift-months (over the false-alert target)');
  });

  // 30 lifts; lifts 0–19 fail on day 100. The rule rises 10 days before the failures of lifts 0–9
  // and sees nothing else.
  const fails = (i: number) => (i < 20 ? 100 : undefined);
  const rules = () => [{ scale: 1, lifts: Array.from({ length: 30 }, (_, i) => (i < 10 ? lift(90, 100, fails(i), 1.5) : lift(0, 0, fails(i)))) }];

  it('serves the rule where the model catches more only with false alerts over the budget; model-or-rule keeps every failure the rule catches', () => {
    // the model rises 5 days before every failure, and for 10 days on each lift that does not fail
    const model = Array.from({ length: 30 }, (_, i) => (i < 20 ? lift(95, 100, fails(i)) : lift(40, 50)));
    const b = chooseWithinBudget(model, rules(), { budget: 0.7 });
    expect(b.choice.predictor).toBe('rule');
    expect(b.table.rule.figures).toMatchObject({ failures: 20, predicted72hPct: 50, falsePer100LiftMonths: 0 });
    // the model's only setting within the budget is never to raise; model-or-rule is then the rule
    expect(b.table.model.figures.predicted72hPct).toBe(0);
    expect(b.table['model-or-rule'].figures.predicted72hPct).toBe(50);
    // with a budget loose enough for its false alerts the model is served
    expect(chooseWithinBudget(model, rules(), { budget: 20 }).choice.predictor).toBe('model');
  });

  it('serves model-or-rule when the model adds failures the rule misses within the budget, at the thresholds calibrated together', () => {
    // the model rises 5 days before the failures of lifts 10–19 only
    const model = Array.from({ length: 30 }, (_, i) => (i >= 10 && i < 20 ? lift(95, 100, fails(i)) : lift(0, 0, fails(i))));
    const b = chooseWithinBudget(model, rules(), { budget: 0.7 });
    expect(b.choice.predictor).toBe('model-or-rule');
    expect(b.table['model-or-rule'].figures).toMatchObject({ predicted72hPct: 100, falsePer100LiftMonths: 0 });
    expect(b.modelServed.thresholds).toEqual(b.either.thresholds);
    expect(b.modelServed.figures.predicted72hPct).toBe(50);
    expect(servingField(b.choice, b.table, b.budget)).toMatchObject({ predictor: 'model-or-rule', budget: 0.7, figures: { rule: { predicted72hPct: 50, withinTarget: 1 } } });
  });
});

describe('the false-alert budget on every validation mix', () => {
  // Two mixes of 60 lifts × 4 months (240 lift-months each). Lifts 0–9 of each mix fail on day 100;
  // the rule rises 10 days before the failures of lifts 0–4 of each mix and sees nothing else; the
  // model rises 5 days before every failure, and for 10 days on four lifts of mix B that do not fail.
  const fails = (i: number) => (i < 10 ? 100 : undefined);
  const tag = (mix: string, l: ScoredLift): ScoredLift => ({ ...l, mix });
  const mixes = (one: (i: number) => ScoredLift, other: (i: number) => ScoredLift) => [
    ...Array.from({ length: 60 }, (_, i) => tag('quiet-a', one(i))), ...Array.from({ length: 60 }, (_, i) => tag('busy-b', other(i))),
  ];
  const ruleLift = (i: number) => (i < 5 ? lift(90, 100, fails(i), 1.5) : lift(0, 0, fails(i)));
  const rules = () => [{ scale: 1, lifts: mixes(ruleLift, ruleLift) }];
  const model = () => mixes((i) => (i < 10 ? lift(95, 100, fails(i)) : lift(0, 0)), (i) => (i < 10 ? lift(95, 100, fails(i)) : i < 14 ? lift(40, 50) : lift(0, 0)));

  it('does not choose a predictor within the budget pooled but over it on one mix', () => {
    const b = chooseWithinBudget(model(), rules(), { budget: 1 });
    // the model raising: 100 % ≥ 72 h, 4 false alerts = 0.83 / 100 lift-months pooled, 1.67 on mix B
    expect(b.choice.predictor).toBe('rule');
    expect(b.table.rule.figures).toMatchObject({ failures: 20, predicted72hPct: 50, falsePer100LiftMonths: 0 });
    expect(b.table.model.figures.predicted72hPct).toBe(0);
    expect(b.choice.reason).toContain('worst mix');
    // pooled alone (lifts without their mix) the same table serves the model
    const untagged = (ls: ScoredLift[]) => ls.map(({ mix: _m, ...l }) => l);
    const pooled = chooseWithinBudget(untagged(model()), [{ scale: 1, lifts: untagged(rules()[0]!.lifts) }], { budget: 1 });
    expect(pooled.choice.predictor).toBe('model');
    expect(pooled.table.model.figures.falsePer100LiftMonths).toBeCloseTo(100 * 4 / 480, 5);
  });

  it('serves the model once the budget holds on the worst mix, and records each mix\'s figures', () => {
    const b = chooseWithinBudget(model(), rules(), { budget: 2 });
    expect(b.choice.predictor).toBe('model');
    expect(b.table.model.worstFalsePer100).toBeCloseTo(100 * 4 / 240, 5);
    const s = servingField(b.choice, b.table, b.budget);
    expect(Object.keys(s.byMix!.model!)).toEqual(['quiet-a', 'busy-b']);
    expect(s.byMix!.model!['busy-b']).toMatchObject({ failures: 10, predicted72hPct: 100 });
    expect(s.byMix!.model!['quiet-a']).toMatchObject({ falsePer100LiftMonths: 0 });
  });

  it('lets validation share a training mix only with other seeds', () => {
    const train = { mixes: ['city-mixed', 'busy-offices'], seeds: [1, 2, 3], lifts: 50, days: 365 };
    expect(() => assertNoSharedFleet(train, 'training', { mixes: ['old-stock', 'city-mixed'], seeds: [101, 102], lifts: 30, days: 365 }, 'validation')).not.toThrow();
    expect(() => assertNoSharedFleet(train, 'training', { mixes: ['old-stock', 'city-mixed'], seeds: [3, 101], lifts: 30, days: 365 }, 'validation'))
      .toThrow(/share fleets \(mixes city-mixed with seeds 3\): give the validation lifts other seeds/);
  });
});

/** The newest manifest of each committed model. */
/** A validation mix as the lifts name it: a shipped name, or the name inside a mix file (a path from the repository root). */
const mixName = (m: string): string => (m.endsWith('.json') ? (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', m), 'utf8')) as { name: string }).name : m);

function committedManifests() {
  const root = join(import.meta.dirname, '..', 'artifacts');
  return readdirSync(root).map((id) => {
    const latest = readdirSync(join(root, id)).map(Number).sort((a, b) => b - a)[0]!;
    const file = join(root, id, String(latest), 'manifest.json');
    return { file, m: parseManifest(JSON.parse(readFileSync(file, 'utf8')), file) };
  });
}

describe('committed manifests (models/artifacts)', () => {
  it('record the validation mixes, and the served predictor keeps within the budget on each of them (a rule served for predicting more: within the target)', () => {
    for (const { file, m } of committedManifests()) {
      const s = m.serving!;
      expect(m.validation.mixes.length, file).toBeGreaterThan(1);
      expect(Object.keys(s.byMix?.[s.predictor] ?? {}).sort(), file).toEqual(m.validation.mixes.map(mixName).sort());
      const limit = s.predictor === 'rule' ? FALSE_ALERT_TARGET : s.budget!;
      for (const mix of m.validation.mixes.map(mixName)) expect(s.byMix![s.predictor]![mix]!['falsePer100LiftMonths'], `${file} ${mix}`).toBeLessThanOrEqual(limit);
    }
  });

  it('record the false-alert budget they were calibrated to, below the target of 1, and the served predictor keeps within it on the validation lifts, never below a rule within it', () => {
    for (const { file, m } of committedManifests()) {
      const s = m.serving!;
      expect(s.budget, file).toBeLessThan(1);
      const served = s.figures[s.predictor]!;
      expect(served['falsePer100LiftMonths'], file).toBeLessThanOrEqual(s.predictor === 'rule' ? FALSE_ALERT_TARGET : s.budget!);
      // never worse than the rule where the rule keeps within the budget on every mix
      if (s.figures['rule']!['withinTarget'] === 1) expect(served['predicted72hPct'], file).toBeGreaterThanOrEqual(s.figures['rule']!['predicted72hPct']!);
      expect(m.validation.rule.figures).toMatchObject({ predicted72hPct: s.figures['rule']!['predicted72hPct'], falsePer100LiftMonths: s.figures['rule']!['falsePer100LiftMonths'] });
    }
  });
});
