import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../src/features/definition.js';
import { logisticContributions, predictLogistic, trainLogistic } from '../src/gbt/logistic.js';
import { sigmoid } from '../src/gbt/tree.js';
import { parseManifest, type ModelManifest } from '../src/registry/manifest.js';
import { topFeatures } from '../src/serving/top-features.js';
import { prng } from '../src/train/prng.js';
import { addLogisticVersion } from './fixtures.js';

/** Rows of three features: the first two decide the label, the third is 0 but on one row (as door trouble is in the traction rows). */
function rows(): { x: Float32Array[]; y: number[] } {
  const r = prng(9);
  const x = Array.from({ length: 1000 }, (_, i) => Float32Array.of(r.normal(), 10 * r.normal() + 5, i === 3 ? 0.001 : 0));
  return { x, y: x.map((v) => (v[0]! + v[1]! / 10 + 0.5 * r.normal() > 0.5 ? 1 : 0)) };
}

describe('logistic regression outside its training rows', () => {
  it('clips each feature to its fit rows\' range: a value far outside moves the score no further than the range\'s edge', () => {
    const { x, y } = rows();
    const m = trainLogistic(x, y, { lambda: 1 });
    for (const j of [0, 1]) {
      expect(m.high[j]).toBeGreaterThan(m.low[j]!);
      const at = (v: number) => { const o = Float32Array.from(x[0]!); o[j] = v; return predictLogistic(m, o); };
      expect(at(m.high[j]! * 1000)).toBe(at(m.high[j]!));
      expect(at(m.low[j]! * 1000)).toBe(at(m.low[j]!));
      expect(at(m.high[j]!)).not.toBe(at(m.low[j]!)); // the feature counts inside its range
    }
    // the linear score without the clip would have gone much further: its logit, against the clipped terms'
    const far = Float32Array.from(x[0]!); far[0] = 1000;
    const unclipped = m.bias + m.weights.reduce((s, w, j) => s + (w * (far[j]! - m.mean[j]!)) / m.std[j]!, 0);
    const clipped = m.bias + logisticContributions(m, far).reduce((s, t) => s + t, 0);
    expect(sigmoid(clipped)).toBeCloseTo(predictLogistic(m, far), 12);
    expect(unclipped - clipped).toBeGreaterThan(100);
  });

  it('gives no weight to a feature constant in all but one row, so a little of it leaves the score alone', () => {
    const { x, y } = rows();
    const m = trainLogistic(x, y, { lambda: 1 });
    expect(m.weights[2]).toBe(0);
    const some = Float32Array.from(x[10]!); some[2] = 0.05;
    expect(predictLogistic(m, some)).toBe(predictLogistic(m, x[10]!));
    expect(logisticContributions(m, some)[2]).toBe(0);
  });

  it('a traction reason names the traction feature that moved, not a door feature far outside the traction rows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lw-logistic-'));
    try {
      addLogisticVersion(dir, 'tractionRopes', '2');
      const m = parseManifest(JSON.parse(readFileSync(join(dir, 'traction-ropes', '2', 'manifest.json'), 'utf8')), 'fixture');
      // a stretching rope's re-levels, beside a little door trouble and a door motor current far past anything in the fit rows
      const x = new Float32Array(FEATURE_NAMES.length);
      x[FEATURE_NAMES.indexOf('relevelsPer100Excess')] = 0.6;
      x[FEATURE_NAMES.indexOf('doorTroubleShare')] = 0.01;
      x[FEATURE_NAMES.indexOf('doorMotorIDrift')] = 10_000; // its fitted importance is noise (under 0.001), so far enough out that it would lead unclipped
      const reasons = topFeatures(m, x);
      expect(reasons[0]!.name).toBe('relevelsPer100Excess');
      expect(reasons.map((f) => f.name)).not.toContain('doorTroubleShare');
      const door = reasons.find((f) => f.name === 'doorMotorIDrift');
      if (door !== undefined) expect(door.weight).toBeLessThan(reasons[0]!.weight / 5);
      // read as the trees' reasons are (importance × distance from the mean, unclipped), the door motor would lead
      const { linear: _, ...asTrees } = m;
      expect(topFeatures(asTrees, x)[0]!.name).toBe('doorMotorIDrift');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names no feature at its training mean as a reason, however large its weight (a term a hair above 0 is no reason for a crew)', () => {
    // two features: `stopErr` at its mean with a large negative weight (a value a hair below the mean adds a hair to the logit), `sink` well above its mean
    const linear = { bias: -3, weights: [-9, 2], mean: [5, 10], std: [1, 10], low: [0, 0], high: [100, 200] };
    const m = { featureNames: ['stopErr', 'sink'], featureStats: { mean: [5, 10], std: [1, 10] }, importance: { stopErr: 0.6, sink: 0.4 }, linear } as unknown as ModelManifest;
    const x = [4.999, 40];
    expect(logisticContributions(linear, x)[0]).toBeGreaterThan(0);
    expect(topFeatures(m, x).map((f) => f.name)).toEqual(['sink']);
    expect(topFeatures(m, [4.5, 40]).map((f) => f.name)).toEqual(['sink', 'stopErr']); // half a standard deviation below: a reason
    const { linear: _, ...asTrees } = m;
    expect(topFeatures(asTrees, [5.02, 40]).map((f) => f.name)).toEqual(['sink']);
  });
});

