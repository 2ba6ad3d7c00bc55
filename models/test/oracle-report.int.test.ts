import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../src/evaluate/evaluate.js';
import { evaluationMetrics, renderEvaluation } from '../src/evaluate/report.js';
import { summarise } from '../src/evaluate/summary.js';
import { FAMILY_NAMES } from '../src/train/families.js';
import type { FleetSlice } from '../src/train/fleet-split.js';
import { fixtureRegistry } from './fixtures.js';

/** A mix file, found from this file so that the test runs from any directory. */
const MIX = join(import.meta.dirname, '..', 'validation-mixes', 'hot-low-rise.json');
const HELD_OUT: FleetSlice = { mixes: [MIX], seeds: [7], lifts: 3, days: 120 };
const VALIDATION: FleetSlice = { mixes: [MIX], seeds: [8], lifts: 6, days: 120 };
let fx: ReturnType<typeof fixtureRegistry>;

beforeAll(() => { fx = fixtureRegistry(); }, 60_000);
afterAll(() => fx.remove());

describe('the evaluation with the oracle', () => {
  it('reports the oracle beside the served predictor, per budget, without changing any served, model or rule figure', async () => {
    const without = await evaluate(fx.registry, HELD_OUT, { healthStepMs: 0 });
    const e = await evaluate(fx.registry, HELD_OUT, { healthStepMs: 0, oracle: { validation: VALIDATION, budgets: [0.5, 2] } });
    // the fixture manifests record no budget: the served one is the default 0.7, added to the curve
    expect(e.oracle!.budgets).toEqual([0.5, 0.7, 2]);
    expect(e.oracle!.lifts).toBe(6);
    expect(e.lifts.map((l) => [l.model, l.rule, l.served])).toEqual(without.lifts.map((l) => [l.model, l.rule, l.served]));
    for (const l of e.lifts) for (const f of FAMILY_NAMES) expect(l.oracle![f]).toHaveLength(3);
    // these lifts fail (hot-low-rise starts drive, brake and rope faults often): the oracle is judged on them
    expect(FAMILY_NAMES.reduce((t, f) => t + e.lifts.reduce((n, l) => n + l.oracle![f][1]!.failures, 0), 0)).toBeGreaterThan(0);

    const s = summarise(e.lifts, { samples: 50 });
    expect(s.oracle!.brake).toHaveLength(3);
    const md = renderEvaluation(e, s, { slice: HELD_OUT, fromDay: 0, horizonDays: 30, generator: 'test', command: 'test' });
    expect(md).toMatch(/\| door-system oracle: true (health|remaining life) \(never served\) \| \d+ \|/);
    expect(md).toContain('## Ceiling: an oracle that reads the simulated truth');
    expect(md).toMatch(/\| brake \| 0\.7 \(the served budget\) \| (health|remaining-life) \| /);
    expect(md).toMatch(/- brake: on the validation lifts the oracle predicts /);
    const names = (evaluationMetrics(e, s, 'test') as Array<{ metric: string }>).map((x) => x.metric);
    expect(names).toEqual(expect.arrayContaining(['brake oracle predicted >= 72 h at a budget of 0.7', 'drive-thermal oracle false alerts per 100 lift-months at a budget of 2']));
    // without an oracle the report has none of it
    const plain = renderEvaluation(without, summarise(without.lifts, { samples: 50 }), { slice: HELD_OUT, fromDay: 0, horizonDays: 30, generator: 'test', command: 'test' });
    expect(plain).not.toContain('oracle');
  }, 180_000);
});
