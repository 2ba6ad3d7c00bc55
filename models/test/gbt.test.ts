import { describe, expect, it } from 'vitest';
import { trainGbt } from '../src/gbt/train.js';
import { featureImportance, predictProba } from '../src/gbt/tree.js';
import { auc } from '../src/train/train-models.js';
import { prng } from '../src/train/prng.js';

function data(seed: number, n: number) {
  const r = prng(seed);
  const x: Float32Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = Float32Array.from([r.next(), r.next(), r.next(), r.next()]);
    x.push(row);
    y.push(row[0]! * row[0]! + 0.6 * row[2]! + 0.15 * r.normal() > 0.8 ? 1 : 0); // features 1 and 3 are noise
  }
  return { x, y };
}

describe('gradient-boosted trees', () => {
  it('learns a non-linear rule and generalises to unseen data', () => {
    const train = data(1, 1500);
    const test = data(2, 500);
    const m = trainGbt(train.x, train.y, { rounds: 60 });
    expect(auc(test.x.map((r) => predictProba(m, r)), test.y)).toBeGreaterThan(0.9);
    const imp = featureImportance(m);
    expect(imp[0]! + imp[2]!).toBeGreaterThan(0.85);
  });

  it('is deterministic and keeps thresholds in float32', () => {
    const d = data(3, 300);
    const a = trainGbt(d.x, d.y, { rounds: 5 });
    expect(JSON.stringify(trainGbt(d.x, d.y, { rounds: 5 }))).toBe(JSON.stringify(a));
    const t = a.trees[0]!;
    if (!t.leaf) expect(Math.fround(t.threshold)).toBe(t.threshold);
  });

  it('computes AUC by ranks', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
  });
});
