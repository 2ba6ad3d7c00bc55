import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../src/features/definition.js';
import type { TreeNode } from '../src/gbt/tree.js';
import type { ModelManifest } from '../src/registry/manifest.js';
import { topFeatures } from '../src/serving/top-features.js';
import { FAMILY_NAMES, type Family } from '../src/train/families.js';
import { CONTEXT_FEATURES, FAMILY_FEATURES } from '../src/train/family-features.js';
import { prng } from '../src/train/prng.js';
import { linearTerms } from '../src/train/publish.js';
import { createTrainingSet } from '../src/train/training-set.js';
import { LEARNER_NAMES, trainFamily, type TrainedFamily } from '../src/train/train-models.js';

const DAY = 86_400_000;
const BRAKE = FEATURE_NAMES.indexOf('brakeDropGrowthSinceVisit');
const DOOR = FEATURE_NAMES.indexOf('doorTroubleShare');
const SLIP = FEATURE_NAMES.indexOf('slipExcessMm');

/**
 * A tiny training set where traction-ropes fails on "old" lifts: brake drop growth and door trouble
 * give the label away (a confounder of the fleet), the traction's own slip only hints at it.
 */
function confoundedSet() {
  const set = createTrainingSet();
  const r = prng(5);
  for (let i = 0; i < 600; i++) {
    const old = i % 4 === 0;
    const fails = old ? r.next() < 0.9 : r.next() < 0.03;
    const x = Float32Array.from(FEATURE_NAMES, () => 0.05 * r.normal());
    x[BRAKE] = (old ? 0.4 : 0) + 0.02 * r.normal();
    x[DOOR] = old ? 0.01 + 0.005 * r.next() : 0.002 * r.next();
    x[SLIP] = (fails ? 0.3 : 0) + 0.4 * r.normal();
    set.rows.push(x);
    set.weights.push(1);
    for (const f of FAMILY_NAMES) set.untilFailure[f].push(f === 'tractionRopes' && fails ? 3 * DAY : Infinity);
  }
  return set;
}

const splitFeatures = (n: TreeNode, out = new Set<number>()): Set<number> => {
  if (!n.leaf) { out.add(n.feature); splitFeatures(n.left, out); splitFeatures(n.right, out); }
  return out;
};

/** The manifest fields top features read, as publishing writes them. */
const manifestOf = (t: TrainedFamily): ModelManifest => ({
  featureNames: [...FEATURE_NAMES], featureSet: [...t.featureSet], importance: t.importance, featureStats: t.featureStats,
  ...(t.model.kind === 'logistic' ? { linear: linearTerms(t.model.linear) } : {}),
} as unknown as ModelManifest);

describe('family feature sets', () => {
  it('name features of the vector: each family its own and the shared context, no traction reading brake or door', () => {
    for (const f of FAMILY_NAMES) {
      for (const n of FAMILY_FEATURES[f]) expect(FEATURE_NAMES).toContain(n);
      for (const n of CONTEXT_FEATURES) expect(FAMILY_FEATURES[f]).toContain(n);
    }
    const others = (f: Family) => FAMILY_FEATURES[f].filter((n) => !CONTEXT_FEATURES.includes(n));
    expect(others('tractionRopes').some((n) => /^(brake|creep|door|lock|vib|temp)/.test(n))).toBe(false);
    expect(others('brake').every((n) => /^(brake|creep)/.test(n))).toBe(true);
    expect(others('guidesRide').some((n) => /^(brake|creep|door|lock|temp|slip)/.test(n))).toBe(false);
  });

  const set = confoundedSet();
  const row = Float32Array.from(set.rows[0]!); // an old lift: brake and door far up
  row[BRAKE] = 0.6; row[DOOR] = 0.02; row[SLIP] = 0.5;

  it('on all features, the learners do lean on the confounders (the tiny set tempts them)', () => {
    const all = trainFamily(set, 'tractionRopes', 'logistic-28d', undefined, FEATURE_NAMES);
    expect(['brakeDropGrowthSinceVisit', 'doorTroubleShare']).toContain(topFeatures(manifestOf(all), row, 1)[0]!.name);
    const trees = trainFamily(set, 'tractionRopes', 'gbt-depth3-28d', undefined, FEATURE_NAMES);
    expect(trees.importance['brakeDropGrowthSinceVisit']).toBeGreaterThan(0.1);
  });

  it.each(LEARNER_NAMES)('%s on the traction set: no weight, no split and no reason outside it, though brake and door give the label away', (learner) => {
    const t = trainFamily(set, 'tractionRopes', learner);
    expect(t.featureSet).toEqual(FAMILY_FEATURES.tractionRopes);
    const inSet = new Set(t.featureSet);
    for (const n of FEATURE_NAMES) if (!inSet.has(n)) expect(t.importance[n]).toBe(0);
    if (t.model.kind === 'logistic') {
      const w = t.model.linear.weights;
      FEATURE_NAMES.forEach((n, j) => { if (!inSet.has(n)) expect(w[j]).toBe(0); });
      expect(w[SLIP]).toBeGreaterThan(0); // it learnt from its own feature
    } else {
      const used = new Set<number>();
      for (const tree of t.model.trees.trees) splitFeatures(tree, used);
      for (const j of used) expect(inSet.has(FEATURE_NAMES[j]!)).toBe(true);
      expect(used.has(SLIP)).toBe(true);
    }
    // the model reads the whole vector: an outside feature moves nothing
    const moved = Float32Array.from(row); moved[BRAKE] = -5; moved[DOOR] = 0;
    expect(t.predict(moved)).toBe(t.predict(row));
    const reasons = topFeatures(manifestOf(t), row, FEATURE_NAMES.length);
    expect(reasons.length).toBeGreaterThan(0);
    for (const r of reasons) expect(inSet.has(r.name)).toBe(true);
  });

  it('top features never name a feature outside a manifest\'s set, even if its importance says otherwise', () => {
    const t = trainFamily(set, 'tractionRopes', 'gbt-depth3-28d', undefined, FEATURE_NAMES);
    const m = { ...manifestOf(t), featureSet: [...FAMILY_FEATURES.tractionRopes] } as ModelManifest;
    const names = topFeatures(m, row, FEATURE_NAMES.length).map((f) => f.name);
    expect(names).not.toContain('brakeDropGrowthSinceVisit');
    expect(names.every((n) => FAMILY_FEATURES.tractionRopes.includes(n))).toBe(true);
  });
});
