import { describe, expect, it } from 'vitest';
import { createLiftNumbers, createNumberedLru, createNumberedSet, numberIn } from '../src/serving/lift-numbers.js';

/** A small deterministic generator (the same operations every run). */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x / 2_147_483_648;
  };
}

describe('lift numbers', () => {
  it('give each lift one number, in the order first met, and find only those met', () => {
    const lifts = createLiftNumbers();
    expect(['L-b', 'L-a', 'L-b', 'L-c'].map((id) => lifts.numberOf(id))).toEqual([0, 1, 0, 2]);
    expect(lifts.find('L-c')).toBe(2);
    expect(lifts.find('L-z')).toBeUndefined();
    expect(lifts.idOf(1)).toBe('L-a');
  });

  it('take a number given with a lift only when it is that lift\'s here (a worker\'s rows carry numbers of its own)', () => {
    const lifts = createLiftNumbers();
    lifts.numberOf('L-a');
    lifts.numberOf('L-b');
    expect(numberIn(lifts, 'L-b', 1)).toBe(1);
    expect(numberIn(lifts, 'L-b', 0)).toBe(1); // 0 is L-a's here
    expect(numberIn(lifts, 'L-c', 7)).toBe(2); // not met yet: numbered now, not 7
    expect(numberIn(lifts, 'L-a', undefined)).toBe(0);
  });

  it('keep values in the order of a Map whose entries are deleted and set again on use', () => {
    const lru = createNumberedLru<string>();
    const map = new Map<number, string>();
    const next = random(7);
    for (let step = 0; step < 20_000; step++) {
      const n = Math.floor(next() * 3_000);
      const op = next();
      if (op < 0.5) {
        map.set(n, `v${step}`); // an existing number keeps its place
        lru.set(n, `v${step}`);
      } else if (op < 0.75) {
        const v = map.get(n);
        if (v !== undefined) { map.delete(n); map.set(n, v); }
        lru.touch(n);
      } else if (op < 0.9) {
        expect(lru.delete(n)).toBe(map.delete(n));
      } else {
        const first = map.keys().next();
        expect(lru.oldest()).toBe(first.done === true ? undefined : first.value);
      }
    }
    expect([...lru.numbers()]).toEqual([...map.keys()]);
    expect([...lru.numbers()].map((n) => lru.get(n))).toEqual([...map.values()]);
    expect(lru.size()).toBe(map.size);
  });

  it('iterate a set of numbers in the order of a Set, through deletes, adds again and compaction', () => {
    const set = createNumberedSet();
    const reference = new Set<number>();
    const next = random(11);
    for (let step = 0; step < 20_000; step++) {
      const n = Math.floor(next() * 2_000);
      if (next() < 0.55) { set.add(n); reference.add(n); } else expect(set.delete(n)).toBe(reference.delete(n));
      if (step % 997 === 0) expect([...set]).toEqual([...reference]);
    }
    expect([...set]).toEqual([...reference]);
    expect(set.size()).toBe(reference.size);
    expect(set.has(1_000_000)).toBe(false);
  });
});
