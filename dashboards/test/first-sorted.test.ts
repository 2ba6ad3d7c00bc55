import { describe, expect, it } from 'vitest';
import { firstSorted } from '../src/api/districts.js';

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32);
}

describe('firstSorted (the riskiest list without sorting the whole city)', () => {
  it('gives the first k of a stable sort, ties in input order, for any k and many ties', () => {
    const next = rng(8);
    for (let round = 0; round < 300; round++) {
      const n = Math.floor(next() * 400);
      const items = Array.from({ length: n }, (_, i) => ({ i, v: Math.floor(next() * (round % 3 === 0 ? 3 : 50)) }));
      const k = 1 + Math.floor(next() * 60);
      const cmp = (a: { v: number }, b: { v: number }) => b.v - a.v;
      expect(firstSorted(items, k, cmp)).toEqual([...items].sort(cmp).slice(0, k));
    }
  });

  it('returns everything, sorted, when k is larger than the input, and nothing from nothing', () => {
    expect(firstSorted([3, 1, 2], 10, (a, b) => a - b)).toEqual([1, 2, 3]);
    expect(firstSorted([], 5, (a: number, b: number) => a - b)).toEqual([]);
  });
});
