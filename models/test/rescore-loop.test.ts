import { describe, expect, it } from 'vitest';
import { createRescoreLoop } from '../src/serving/rescore-loop.js';

/** A loop on a clock of the test's, scoring into `scored`; no round (no lifts to go round). */
function loop(scoredAt: Map<string, number>, maxPerS: number) {
  let clock = 1_000_000;
  const scored: string[][] = [];
  const l = createRescoreLoop({ minIntervalMs: 60_000, roundMs: 3_600_000, maxPerS, tickMs: 1_000 }, {
    now: () => clock,
    lifts: () => [],
    scoredAt: (id) => scoredAt.get(id) ?? -Infinity,
    score: async (ids) => { scored.push(ids); for (const id of ids) scoredAt.set(id, clock); },
  });
  return { l, scored, advance: (ms: number) => { clock += ms; }, now: () => clock };
}

describe('the rescoring loop', () => {
  it('scores marked lifts in the order they were marked, within the budget, and says how long the next has waited', async () => {
    const scoredAt = new Map<string, number>();
    const { l, scored, advance } = loop(scoredAt, 3);
    for (let k = 0; k < 10; k++) { l.mark(`RL-${k}`); advance(100); } // RL-k marked at k × 100 ms
    advance(1_000); // now: 2,000 ms after RL-0's mark
    await l.tick();
    expect(scored).toEqual([['RL-0', 'RL-1', 'RL-2']]);
    expect(l.stats()).toMatchObject({ waiting: 7, fromRecords: 3 });
    expect(l.stats().lagS).toBeCloseTo(1.7, 5); // RL-3, marked at 300 ms
    await l.tick();
    expect(scored[1]).toEqual(['RL-3', 'RL-4', 'RL-5']);
    l.close();
  });

  it('skips a lift scored within its interval, wherever it is in the order, and keeps it for later', async () => {
    const scoredAt = new Map<string, number>();
    const { l, scored, advance, now } = loop(scoredAt, 2);
    for (let k = 0; k < 4; k++) l.mark(`RS-${k}`);
    scoredAt.set('RS-0', now()); // scored by the round a moment ago
    scoredAt.set('RS-2', now());
    await l.tick();
    expect(scored).toEqual([['RS-1', 'RS-3']]);
    expect(l.stats()).toMatchObject({ waiting: 2, lagS: 0 });
    advance(60_000);
    await l.tick();
    expect(scored[1]).toEqual(['RS-0', 'RS-2']);
    expect(l.stats().waiting).toBe(0);
    l.close();
  });
});
