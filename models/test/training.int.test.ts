import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FEATURE_NAMES, FEATURE_VERSION } from '../src/features/definition.js';
import { createRegistry } from '../src/registry/registry.js';
import { DEFAULT_FALSE_ALERT_BUDGET } from '../src/train/budget-choice.js';
import { FAMILY_NAMES, MODEL_ID } from '../src/train/families.js';
import { generatorVersion, type FleetSlice } from '../src/train/fleet-split.js';
import { FAMILY_FEATURES } from '../src/train/family-features.js';
import { runTraining } from '../src/train/pipeline.js';
import { publishRun } from '../src/train/publish.js';
import { evaluate } from '../src/evaluate/evaluate.js';
import { evaluationMetrics, renderEvaluation } from '../src/evaluate/report.js';
import { summarise } from '../src/evaluate/summary.js';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

const train: FleetSlice = { mixes: ['city-mixed'], seeds: [1], lifts: 4, days: 150 };
const validation: FleetSlice = { mixes: ['old-stock'], seeds: [101], lifts: 3, days: 150 };

/** A small training run published to a fresh registry. */
async function smallRun() {
  const run = await runTraining({ train, validation, learners: ['gbt-depth3-28d', 'logistic-28d'] });
  const dir = mkdtempSync(join(tmpdir(), 'lw-train-'));
  dirs.push(dir);
  const meta = { generator: generatorVersion(), train, validation, horizonDays: 30, options: { negativeKeep: 0.1 } };
  publishRun(createRegistry(dir), run, meta, new Date('2026-01-01T00:00:00Z'));
  return { run, dir };
}

describe('training on simulated fleets', () => {
  it('a small run gives models whose golden outputs reproduce (in onnxruntime, and when the run is repeated) and that the evaluation runs on', async () => {
    const a = await smallRun();
    expect(a.run.seen).toMatchObject({ lifts: 4 });
    expect(a.run.seen.records).toBeGreaterThan(100_000);
    expect(a.run.seen.rows).toBeGreaterThan(0);
    const registry = createRegistry(a.dir);
    for (const f of FAMILY_NAMES) {
      const m = await registry.load(MODEL_ID[f]); // checks sha256 and that onnxruntime reproduces golden.json
      expect(m.manifest).toMatchObject({
        version: '1', family: f, featureVersion: FEATURE_VERSION,
        training: { source: 'simulator', generator: generatorVersion(), mixes: ['city-mixed'], seeds: [1], lifts: 4, days: 150, labelHorizonDays: 28 },
        validation: { mixes: ['old-stock'], seeds: [101], lifts: 3, days: 150, horizonDays: 30 },
      });
      expect(Object.keys(m.manifest.validation.figures)).toEqual(expect.arrayContaining(['predicted72hPct', 'falsePer100LiftMonths', 'medianLeadH']));
      expect(Object.keys(m.manifest.validation.learners)).toEqual(['gbt-depth3-28d', 'logistic-28d']);
      expect(m.manifest.training.learner).toMatch(/^(gbt-depth3-28d|logistic-28d)$/); // either is served, the better on validation
      expect(m.manifest.thresholds.clear).toBeLessThan(m.manifest.thresholds.raise);
      // the served predictor, chosen on the validation lifts, with every predictor's figures there
      expect(m.manifest.serving).toMatchObject({ predictor: expect.stringMatching(/^(model|rule|model-or-rule)$/), chosenOn: 'validation', budget: DEFAULT_FALSE_ALERT_BUDGET });
      expect(Object.keys(m.manifest.serving!.figures)).toEqual(['model', 'rule', 'model-or-rule']);
      await m.classifier.close();
    }
    // the evaluation runs end to end on held-out lifts and names the metrics the report promises
    const e = await evaluate(registry, { mixes: ['residential-quiet'], seeds: [301], lifts: 2, days: 60 }, { healthStepMs: 14 * 86_400_000 });
    const s = summarise(e.lifts, { samples: 50 });
    const md = renderEvaluation(e, s, { slice: { mixes: ['residential-quiet'], seeds: [301], lifts: 2, days: 60 }, fromDay: 0, horizonDays: 30, generator: generatorVersion(), command: 'test' });
    expect(md).toMatch(/\| door-system model v1 \| \d+ \|/);
    expect(md).toMatch(/\| \*\*door-system served: (model|rule|model-or-rule)\*\* \| \d+ \|/);
    expect(md).toContain('residential-quiet seed 301: a mix neither training nor validation used');
    expect(md).toMatch(new RegExp(`\\| door-system \\| (model|rule|model-or-rule) \\| ${DEFAULT_FALSE_ALERT_BUDGET} \\|`));
    const names = (evaluationMetrics(e, s, 'test') as Array<{ metric: string }>).map((x) => x.metric);
    for (const id of Object.values(MODEL_ID)) expect(names).toEqual(expect.arrayContaining([`${id} predicted >= 72 h`, `${id} false alerts per 100 lift-months`, `${id} rule predicted >= 72 h`, `${id} served predicted >= 72 h`]));
    const b = await smallRun();
    for (const f of FAMILY_NAMES) {
      const golden = (dir: string) => readFileSync(join(dir, MODEL_ID[f], '1', 'golden.json'), 'utf8');
      expect(golden(b.dir)).toBe(golden(a.dir));
      expect(readFileSync(join(b.dir, MODEL_ID[f], '1', 'manifest.json'), 'utf8')).toBe(readFileSync(join(a.dir, MODEL_ID[f], '1', 'manifest.json'), 'utf8'));
    }
  }, 240_000);
});

describe('training some families with one learner', () => {
  it('publishes only those families, and a logistic regression chosen loads with its golden outputs reproduced in onnxruntime; on the whole vector if asked', async () => {
    const run = await runTraining({ train, validation, learners: ['logistic-28d'], families: ['tractionRopes'], features: 'all' });
    expect(Object.keys(run.families)).toEqual(['tractionRopes']);
    const dir = mkdtempSync(join(tmpdir(), 'lw-train-'));
    dirs.push(dir);
    publishRun(createRegistry(dir), run, { generator: generatorVersion(), train, validation, horizonDays: 30, options: {} }, new Date('2026-01-01T00:00:00Z'));
    const registry = createRegistry(dir);
    expect(registry.ids()).toEqual(['traction-ropes']);
    const m = await registry.load('traction-ropes'); // sha256, features, and the golden rows within 1e-5
    expect(m.manifest.training.learner).toBe('logistic-28d');
    expect(Object.keys(m.manifest.validation.learners)).toEqual(['logistic-28d']);
    expect(m.manifest.featureSet).toEqual(FEATURE_NAMES); // not the traction set: every feature may carry weight
    expect(FAMILY_FEATURES.tractionRopes.length).toBeLessThan(FEATURE_NAMES.length);
    await m.classifier.close();
  }, 120_000);
});

describe('replaying a slice in worker threads', () => {
  it('gives the same series, in the same order, as replaying in this thread', async () => {
    const { replaySlice } = await import('../src/train/parallel-replay.js');
    const slice: FleetSlice = { mixes: ['city-mixed', 'old-stock'], seeds: [3], lifts: 2, days: 30 };
    const collect = async (workers: number) => { const out = []; for await (const s of replaySlice(slice, { warmupMs: 86_400_000 }, workers)) out.push(s); return out; };
    const one = await collect(1);
    const two = await collect(2);
    expect(one.map((s) => s.liftId)).toEqual(['city-mixed-s3-0001', 'city-mixed-s3-0002', 'old-stock-s3-0001', 'old-stock-s3-0002']);
    expect(two).toEqual(one);
  }, 120_000);
});
