import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../src/features/definition.js';
import { addOutcome, emptyOutcome, figures } from '../src/evaluate/episodes.js';
import { servedPredictor } from '../src/registry/manifest.js';
import { createRegistry } from '../src/registry/registry.js';
import type { HysteresisOptions } from '../src/serving/hysteresis.js';
import type { ScoredLift } from '../src/train/calibrate.js';
import { replaySlice } from '../src/train/parallel-replay.js';
import { ruleScored } from '../src/train/pipeline.js';
import { predictorTable } from '../src/train/predictor-choice.js';
import type { LiftSeries } from '../src/train/replay.js';
import { chooseVersion, servedOutcomes } from '../src/train/version-choice.js';

const DAY = 86_400_000;

describe('comparing versions on validation lifts', () => {
  it('judges a version as models:choose judged it (same failures, same figures), and a version against itself is a tie', async () => {
    const registry = createRegistry(join(import.meta.dirname, '..', 'artifacts'));
    const m = await registry.load('door-system');
    try {
      const series: LiftSeries[] = [];
      for await (const s of replaySlice({ mixes: ['old-stock'], seeds: [101], lifts: 8, days: 240 }, {}, 1)) series.push(s);
      const horizon = m.manifest.validation.horizonDays * DAY;
      const outcomes = await servedOutcomes(series, 'doorSystem', m, horizon);
      const pooled = emptyOutcome();
      for (const o of outcomes) addOutcome(pooled, o);

      // what models:choose computes for the same lifts at the manifest's thresholds
      const F = FEATURE_NAMES.length;
      const model: ScoredLift[] = [];
      for (const s of series) {
        const n = s.times.length;
        const scores = n === 0 ? new Float32Array(0) : await m.classifier.run(s.x.subarray(0, n * F), n);
        model.push({ from: s.from, to: s.to, times: s.times, scores, failures: s.failures.filter((x) => x.family === 'doorSystem').map((x) => x.ts), mix: s.mix });
      }
      const rule = ruleScored(series, 'doorSystem', m.manifest.validation.rule.scale);
      const table = predictorTable(model.map((x, i) => ({ model: x, rule: rule[i]! })), m.manifest.thresholds, m.manifest.validation.rule.thresholds as HysteresisOptions, { horizonMs: horizon });
      const chosen = table[servedPredictor(m.manifest)].figures;
      const mine = figures(pooled);
      expect(pooled.failures).toBeGreaterThan(0);
      expect(mine.failures).toBe(chosen.failures);
      expect(mine.predicted72hPct).toBe(chosen.predicted72hPct);
      expect(mine.falsePer100LiftMonths).toBeCloseTo(chosen.falsePer100LiftMonths, 9);

      const self = chooseVersion(outcomes, outcomes, { samples: 200 });
      expect(self.serve).toBe('served');
      expect(self.difference.predicted72h).toEqual({ value: 0, low: 0, high: 0 });
    } finally {
      await m.classifier.close();
    }
  }, 120_000);
});
