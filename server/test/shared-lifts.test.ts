import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, waitFor } from '@liftwatch/test-kit';
import { openStateStore, type LiftSummaryDelta, type StateStore } from '@liftwatch/state-store';
import { createSharedLifts, pollSharedLifts } from '../src/shared-lifts.js';

const dir = tempDir('liftwatch-shared-lifts-');
let state: StateStore;
beforeAll(async () => {
  state = await openStateStore({ url: `sqlite:${join(dir.path, 'state.db')}` });
});
afterAll(async () => {
  await state?.close();
  dir.remove();
});

/** The real SQLite lifts store, counting the statements' rows as they go by. */
const counted = () => {
  const writes: number[] = [];
  let fail = false;
  return {
    writes,
    failNext: () => { fail = true; },
    lifts: {
      putSummaries: async (rows: readonly LiftSummaryDelta[]) => {
        if (fail) { fail = false; throw new Error('database went away'); }
        writes.push(rows.length);
        await state.lifts.putSummaries(rows);
      },
    },
  };
};
const status = (liftId: string, ts: number, rx: number, mode = 'normal') => ({
  delta: new Map([[liftId, { lastSeenRx: rx, records: 1, statusBody: JSON.stringify({ liftId, ts, mode }), statusTs: ts }]]), registry: [], presence: [],
});

describe('shared lift summaries', () => {
  it('coalesce: 5,000 records of 100 lifts are one write of 100 rows with the counts added up and the newest status', async () => {
    const c = counted();
    const written: string[][] = [];
    const shared = createSharedLifts({ lifts: c.lifts, flushMs: 60_000, onWritten: (ids) => written.push(ids) });
    try {
      for (let i = 0; i < 5_000; i++) shared.add(status(`CO-${i % 100}`, 10_000 - i, 1_000 + i, `m${i}`)); // status times going back: the first one stays newest
      expect(shared.pending()).toBe(100);
      await shared.flush();
      expect(c.writes).toEqual([100]);
      expect(written.map((w) => w.length)).toEqual([100]);
      expect(await state.lifts.get('CO-7')).toMatchObject({ recordsTotal: 50, lastSeenAt: 1_000 + 4_907, status: { mode: 'm7' } });
      expect(shared.stats()).toMatchObject({ flushes: 1, rows: 100 });
    } finally {
      await shared.close();
    }
  });

  it('registry and presence changes ride along; a failed write keeps its changes for the next, merged with newer ones', async () => {
    const c = counted();
    const shared = createSharedLifts({ lifts: c.lifts, flushMs: 60_000 });
    try {
      shared.add({ delta: new Map([['RP-1', { lastSeenRx: 50, records: 2, statusBody: undefined, statusTs: -Infinity }]]), registry: [{ liftId: 'RP-1', body: JSON.stringify({ areaCode: '330106' }), ts: 40 }], presence: [{ liftId: 'RP-1', state: 'online', rx: 45 }] });
      c.failNext();
      await shared.flush();
      expect(shared.pending()).toBe(1);
      expect(await state.lifts.get('RP-1')).toBeUndefined();
      shared.add({ ...status('RP-1', 60, 61), presence: [{ liftId: 'RP-1', state: 'offline', rx: 62 }] });
      await shared.close(); // the last write happens at close
      expect(c.writes).toEqual([1]);
      expect(await state.lifts.get('RP-1')).toMatchObject({ recordsTotal: 3, lastSeenAt: 61, firstSeenAt: 50, registry: { areaCode: '330106' }, presence: 'offline', status: { ts: 60 } });
    } finally {
      await shared.close();
    }
  });

  it('writes by itself every flushMs', async () => {
    const c = counted();
    const shared = createSharedLifts({ lifts: c.lifts, flushMs: 50 });
    try {
      await shared.flush(); // nothing to write yet: the timer's writes must go on after it
      await new Promise((r) => setTimeout(r, 120));
      shared.add(status('TM-1', 1, 1));
      await waitFor('the timer\'s write', () => c.writes.length > 0, 10_000, 20);
      expect(c.writes).toEqual([1]);
    } finally {
      await shared.close();
    }
  });

  it('without Redis, a reader hears of lifts other nodes wrote by polling the shared table', async () => {
    const heard = new Set<string>();
    const poll = pollSharedLifts(state.lifts, (ids) => ids.forEach((id) => heard.add(id)), undefined, { everyMs: 30, lookBackMs: 1_000 });
    try {
      await state.lifts.putSummaries([{ liftId: 'PO-1', firstSeenAt: Date.now(), lastSeenAt: Date.now(), records: 1 }]);
      await waitFor('PO-1 heard by polling', () => heard.has('PO-1'), 10_000, 20);
      expect(heard.has('PO-1')).toBe(true);
      expect(heard.has('CO-7')).toBe(false); // seen long before the look-back
    } finally {
      poll.stop();
    }
  });
});
