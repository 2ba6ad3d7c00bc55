import { describe, expect, it } from 'vitest';
import { createGroupCommit } from '../src/index.js';

describe('group commit', () => {
  it('writes what arrives in one turn of the event loop in one commit, and settles each caller after it', async () => {
    const commits: number[][] = [];
    const gc = createGroupCommit<number>((ops) => { commits.push([...ops]); });
    const settled: number[] = [];
    const all = [1, 2, 3].map((n) => gc.add([n, n * 10]).then(() => settled.push(n)));
    expect(commits).toEqual([]); // nothing is acknowledged before the commit
    await Promise.all(all);
    expect(commits).toEqual([[1, 10, 2, 20, 3, 30]]);
    expect(settled).toEqual([1, 2, 3]);
  });

  it('splits a large backlog into transactions of at most maxBatch', async () => {
    const sizes: number[] = [];
    const gc = createGroupCommit<number>((ops) => { sizes.push(ops.length); }, { maxBatch: 4 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => gc.add([i])));
    expect(sizes).toEqual([4, 4, 2]);
  });

  it('by default takes a backlog of 10,000 operations in one transaction (a slow disk\'s fsync is shared by that many)', async () => {
    const sizes: number[] = [];
    const gc = createGroupCommit<number>((ops) => { sizes.push(ops.length); });
    await Promise.all(Array.from({ length: 25_000 }, (_, i) => gc.add([i])));
    expect(sizes).toEqual([10_000, 10_000, 5_000]);
  });

  it('settles a caller whose operations span several transactions only after the last of them, in order under a large backlog', async () => {
    const events: string[] = [];
    let n = 0;
    // Asynchronous, as the writer thread is: each commit ends a turn of the event loop later.
    const gc = createGroupCommit<number>(async (ops) => {
      await new Promise((resolve) => setImmediate(resolve));
      events.push(`commit ${++n}: ${ops[0]}..${ops.at(-1)}`);
    }, { maxBatch: 3 });
    const a = gc.add([1, 2]).then(() => events.push('a'));
    const b = gc.add([3, 4, 5, 6]).then(() => events.push('b'));
    const c = gc.add([7]).then(() => events.push('c'));
    await Promise.all([a, b, c]);
    expect(events).toEqual(['commit 1: 1..3', 'a', 'commit 2: 4..6', 'b', 'commit 3: 7..7', 'c']);
    const settled: number[] = [];
    await Promise.all(Array.from({ length: 20_000 }, (_, i) => gc.add([i]).then(() => settled.push(i))));
    expect(settled).toEqual(Array.from({ length: 20_000 }, (_, i) => i));
    expect(gc.pending()).toBe(0);
  });

  it('gives the callers whose last operation goes into the same transaction one promise, and the others their own', async () => {
    const gc = createGroupCommit<number>(async () => { await new Promise((resolve) => setImmediate(resolve)); }, { maxBatch: 3 });
    const a = gc.add([1]);
    const b = gc.add([2]);
    const c = gc.add([3, 4]); // its last op is the 4th: the next transaction
    const d = gc.add([5]);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(d).toBe(c);
    await a; // the first transaction is taken: what comes now goes into a later one
    const e = gc.add([6]);
    expect(e).not.toBe(c);
    await Promise.all([c, e]);
    expect(gc.pending()).toBe(0);
  });

  it('rejects every caller whose operations were not committed when a commit fails, and recovers after', async () => {
    let fail = true;
    const committed: number[] = [];
    const gc = createGroupCommit<number>((ops) => {
      if (fail) throw new Error('disk full');
      committed.push(...ops);
    });
    const results = await Promise.allSettled([gc.add([1]), gc.add([2])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await gc.add([3]);
    expect(committed).toEqual([3]);
  });

  it('commits what is pending on close and refuses more', async () => {
    const committed: number[] = [];
    const gc = createGroupCommit<number>((ops) => { committed.push(...ops); });
    const pending = gc.add([7]);
    await gc.close();
    expect(committed).toEqual([7]);
    await pending;
    await expect(gc.add([8])).rejects.toThrow(/closed/);
  });
});
