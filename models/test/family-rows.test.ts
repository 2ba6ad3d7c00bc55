import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../src/features/definition.js';
import { FAMILY_NAMES } from '../src/train/families.js';
import { createTrainingSet, familyRows, MAX_POSITIVE_SHARE } from '../src/train/training-set.js';

const DAY = 86_400_000;

/** A training set of `pos` door failures' samples and `neg` others, each row weighing 1. */
function doorSet(pos: number, neg: number) {
  const set = createTrainingSet();
  for (let i = 0; i < pos + neg; i++) {
    set.rows.push(new Float32Array(FEATURE_NAMES.length).fill(i));
    set.weights.push(1);
    for (const f of FAMILY_NAMES) set.untilFailure[f].push(f === 'doorSystem' && i < pos ? 5 * DAY : Infinity);
  }
  return set;
}

function summary(rows: ReturnType<typeof familyRows>) {
  let pos = 0; let posWeight = 0; let negWeight = 0;
  rows.y.forEach((y, i) => { if (y === 1) { pos++; posWeight += rows.w[i]!; } else negWeight += rows.w[i]!; });
  return { rows: rows.y.length, pos, neg: rows.y.length - pos, posWeight, negWeight };
}

/** The door rows drawn from `pos` positives and `neg` others into at most 1,000 rows. */
const drawn = (pos: number, neg: number) => { const set = doorSet(pos, neg); return summary(familyRows(set, set.labels('doorSystem', 28 * DAY), 1_000)); };

describe('familyRows: the rows a family is fitted on', () => {
  it('keeps every positive and draws the negatives into the rest when positives are few', () => {
    const s = drawn(200, 5_000);
    expect(s.pos).toBe(200);
    expect(s.posWeight).toBe(200);
    expect(s.neg).toBeGreaterThan(700);
    expect(s.neg).toBeLessThan(900);
    // The drawn negatives stand for all 5,000 of them.
    expect(s.negWeight).toBeCloseTo(s.neg * 5_000 / 800, 6);
  });

  it('still draws negatives when a large fleet has more positives than the rows allowed', () => {
    const s = drawn(3_000, 5_000);
    expect(s.neg).toBeGreaterThan(200);
    expect(s.pos).toBeGreaterThan(650);
    expect(s.pos).toBeLessThan(850);
    expect(s.rows).toBeLessThan(1_100);
    // Each class keeps its weight in the whole set, so the fitted odds stay those of the fleet.
    expect(s.posWeight / 3_000).toBeGreaterThan(0.85);
    expect(s.posWeight / 3_000).toBeLessThan(1.15);
    expect(s.negWeight / 5_000).toBeGreaterThan(0.8);
    expect(s.negWeight / 5_000).toBeLessThan(1.2);
    expect(MAX_POSITIVE_SHARE).toBeLessThan(1);
  });

  it('draws the same rows for the same seed', () => {
    const set = doorSet(3_000, 5_000);
    const y = set.labels('doorSystem', 28 * DAY);
    expect(familyRows(set, y, 1_000, 7).w).toEqual(familyRows(set, y, 1_000, 7).w);
    expect(familyRows(set, y, 1_000, 7).x.map((r) => r[0])).toEqual(familyRows(set, y, 1_000, 7).x.map((r) => r[0]));
  });
});
