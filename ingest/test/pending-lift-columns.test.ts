import { describe, expect, it } from 'vitest';
import { createPendingLiftColumns } from '../src/store/pending-lift-columns.js';

describe('pending lift summaries as columns', () => {
  it('merge as the delta does: counts add up, the newest receive time wins, the latest status by seq, then device time', () => {
    const c = createPendingLiftColumns();
    c.add(7, 1_000, undefined, 0, 0);
    expect(c.get(7)).toEqual({ lastSeenRx: 1_000, records: 1, statusBody: undefined, statusTs: -Infinity, statusSeq: -1 });
    c.add(7, 900, 'seq 5', 50, 5);
    c.add(7, 1_100, 'seq 4', 60, 4); // older by seq, newer by device time: a seq started again
    c.add(7, 1_050, 'seq 3', 40, 3, 2); // older by both: not the latest
    expect(c.get(7)).toEqual({ lastSeenRx: 1_100, records: 5, statusBody: 'seq 4', statusTs: 60, statusSeq: 4 });
    expect(c.get(6)).toBeUndefined();
    expect(c.get(1_000_000)).toBeUndefined();
  });

  it('keep the order in which lifts first changed, across growth, and start afresh after clear', () => {
    const c = createPendingLiftColumns();
    const slots = [5_000, 3, 70_000, 12];
    for (const s of slots) c.add(s, s, `status ${s}`, s, 1);
    c.add(3, 4, undefined, 0, 0);
    expect(c.slots()).toEqual(slots);
    expect(c.size()).toBe(4);
    expect(c.get(70_000)?.statusBody).toBe('status 70000');
    c.clear();
    expect(c.size()).toBe(0);
    expect(c.get(5_000)).toBeUndefined();
    c.add(12, 99, undefined, 0, 0);
    expect(c.get(12)).toEqual({ lastSeenRx: 99, records: 1, statusBody: undefined, statusTs: -Infinity, statusSeq: -1 });
    expect(c.slots()).toEqual([12]);
  });
});
