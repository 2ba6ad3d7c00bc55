import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../src/evaluate/evaluate.js';
import { judge, emptyResult } from '../src/evaluate/episodes.js';
import { renderEvaluation } from '../src/evaluate/report.js';
import { generateSynthetic } from '../src/train/synthetic-degradation.js';
import type { LabelledLift } from '../src/train/families.js';
import { smallRegistry } from './fixtures.js';

const DAY = 86_400_000;
let fx: ReturnType<typeof smallRegistry>;
beforeAll(() => { fx = smallRegistry(); }, 60_000);
afterAll(() => fx.remove());

describe('evaluation', () => {
  it('measures lead time, false alerts and precision from raises and failures', () => {
    const lift = { failures: [{ ts: 20 * DAY, family: 'brake' }], from: 0, to: 60 * DAY } as unknown as LabelledLift;
    const r = emptyResult();
    const scores = Array.from({ length: 60 }, (_, d) => [d * DAY, d >= 16 && d < 20 ? 0.9 : d === 40 ? 0.95 : 0.1] as const);
    judge(lift, 'brake', scores, { raise: 0.7, clear: 0.4, minDurationMs: 0 }, r);
    expect(r).toMatchObject({ failures: 1, predicted24h: 1, predicted72h: 1, leadHours: [96], alerts: 2, trueAlerts: 1, falseAlerts: 1 });
    expect(r.liftMonths).toBeCloseTo(2);
  });

  it('runs end to end on a small held-out set and writes the report tables', async () => {
    const lifts = generateSynthetic({ lifts: 4, days: 50, seed: 77, scenario: 'mixed' });
    const e = await evaluate(fx.registry, lifts, { stepMs: 12 * 3_600_000 });
    expect(e.lifts).toBe(4);
    expect(Object.keys(e.models)).toEqual(['doorSystem', 'guidesRide', 'brake', 'tractionRopes', 'driveThermal']);
    const failures = Object.values(e.models).reduce((s, m) => s + m.result.failures, 0);
    expect(failures).toBe(lifts.reduce((s, l) => s + l.failures.filter((f) => f.ts >= l.from + 14 * DAY).length, 0));
    expect(e.grades.map((g) => g.grade)).toEqual(['A', 'B', 'C', 'D', 'E']);
    const md = renderEvaluation(e, '## Small');
    expect(md).toMatch(/\| doorSystem \| model v1 \|/);
    expect(md).toMatch(/\| doorSystem \| rule: /);
    expect(md).toMatch(/Monotone/);
  }, 60_000);
});
