import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN } from '@liftwatch/contract';
import { createSqliteTelemetry } from '@liftwatch/ingest';
import { sqliteAlertStates } from '../src/serving/alert-states.js';
import { sqliteHeldRaises } from '../src/serving/held-raises.js';
import { createModelServing, type PredictedAlertSink } from '../src/serving/serving.js';
import { fixtureRegistry, serveBrakeRule } from './fixtures.js';

// A replay (a demo's past, a terminal catching up) is scored at the time of its records: the same
// history gives the same raises and clears whatever its speed, and what began and ended in it is
// history, not an alert to send.
const HOUR = 3_600_000;
const START = Date.UTC(2026, 5, 1);
let fx: ReturnType<typeof fixtureRegistry>;

beforeAll(() => {
  fx = fixtureRegistry();
  serveBrakeRule(fx.dir); // brake serves model-or-rule: its rule (brake drop over 280 ms) raised after 12 h, cleared after 24 h under
}, 60_000);
afterAll(() => fx.remove());

/** Trips every 30 minutes, 48 h with a slow brake (320 ms), then 72 h adjusted (200 ms). */
const HISTORY = Array.from({ length: 240 }, (_, i) => {
  const ts = START + i * 30 * 60_000;
  const record = { ...GOLDEN.trip, liftId: 'RT-1', seq: i + 1, ts, startTs: ts - 21_400, brakeDropMs: i < 96 ? 320 : 200 };
  return { liftId: 'RT-1', stream: 'trip', ts, rx: ts, record: record as unknown as Record<string, unknown> };
});

/**
 * Publishes the history up to `until` in chunks of `chunkH` hours with the wall clock moving
 * `wallStepMs` per chunk from `wallFrom`; the lift is scored every 6 h of records. Returns what alerting was asked.
 */
async function replay(o: { chunkH: number; wallFrom: number; wallStepMs: number; until?: number; then?: (s: Awaited<ReturnType<typeof createModelServing>>) => Promise<void> }) {
  const calls: Array<Record<string, unknown>> = [];
  const sink: Required<PredictedAlertSink> = {
    raise: (r) => { calls.push({ op: 'raise', code: r.code, beganAt: r.beganAt, reason: r.reason }); return {}; },
    conditionCleared: (_lift, code) => { calls.push({ op: 'cleared', code }); },
    recordHistory: (r) => { calls.push({ op: 'history', code: r.code, openedAt: r.openedAt, clearedAt: r.clearedAt }); },
  };
  let wall = o.wallFrom;
  const serving = await createModelServing({ registryDir: fx.dir, minIntervalMs: 0, tickMs: 3_600_000, historyStaleMs: HOUR }, {
    store: createSqliteTelemetry(new Database(':memory:')), alerts: sink, storedBefore: () => false, now: () => wall,
  });
  const rows = HISTORY.filter((r) => r.ts < (o.until ?? Infinity));
  for (let from = START; from <= rows.at(-1)!.ts; from += o.chunkH * HOUR) {
    serving.onStored(rows.filter((r) => r.ts >= from && r.ts < from + o.chunkH * HOUR));
    wall += o.wallStepMs;
    if ((from + o.chunkH * HOUR - START) % (6 * HOUR) === 0) await serving.flush();
  }
  await o.then?.(serving);
  await serving.close();
  return calls.filter((c) => c['code'] === 'D05');
}

describe('a replay scored at the time of its records', () => {
  it('gives the same raises and clears fast or slow, in 3 h or 6 h chunks: an alert begun and cleared in it is history with its real times', async () => {
    const later = START + 400 * HOUR;
    const fast = await replay({ chunkH: 3, wallFrom: later, wallStepMs: 1_000 });
    const slow = await replay({ chunkH: 6, wallFrom: later, wallStepMs: 6 * HOUR });
    expect(fast).toEqual(slow);
    // over the limit from the start: raised once the 12 h have passed (scored at the newest record, 17:30);
    // under it from 48 h: cleared once its mean has been under the limit for 24 h
    expect(fast).toEqual([{ op: 'history', code: 'D05', openedAt: START + 17.5 * HOUR, clearedAt: START + 83.5 * HOUR }]);
  });

  it('a raise from old records still active when the lift is scored at a recent time opens then, saying when it began', async () => {
    const raisedAt = START + 17.5 * HOUR;
    const calls = await replay({
      // the wall clock 42 h 10 min after the start: records up to 36 h are more than an hour old, those after are recent
      chunkH: 6, wallFrom: START + 42 * HOUR + 10 * 60_000, wallStepMs: 1_000, until: START + 36 * HOUR,
      then: async (serving) => {
        const next = HISTORY.filter((r) => r.ts >= START + 36 * HOUR && r.ts < START + 42 * HOUR);
        serving.onStored(next);
        await serving.flush();
      },
    });
    expect(calls).toEqual([{ op: 'raise', code: 'D05', beganAt: raisedAt, reason: expect.stringMatching(/; the condition began 2026-06-01T17:30:00\.000Z, in records scored late$/) as unknown }]);
  });

  it('a raise held back from old records survives a restart, and opens when the lift is next scored at a recent time', async () => {
    const db = new Database(':memory:'); // the node's file, kept across the restart
    const calls: Array<Record<string, unknown>> = [];
    const sink: Required<PredictedAlertSink> = {
      raise: (r) => { calls.push({ op: 'raise', code: r.code, beganAt: r.beganAt }); return {}; },
      conditionCleared: (_lift, code) => { calls.push({ op: 'cleared', code }); },
      recordHistory: (r) => { calls.push({ op: 'history', code: r.code }); },
    };
    const wall = START + 42 * HOUR + 10 * 60_000;
    const start = () => createModelServing({ registryDir: fx.dir, minIntervalMs: 0, tickMs: 3_600_000, historyStaleMs: HOUR }, {
      store: createSqliteTelemetry(new Database(':memory:')), alerts: sink, storedBefore: () => false, now: () => wall,
      alertStates: sqliteAlertStates(db), heldRaises: sqliteHeldRaises(db),
    });
    const before = await start();
    for (let from = START; from < START + 36 * HOUR; from += 6 * HOUR) {
      before.onStored(HISTORY.filter((r) => r.ts >= from && r.ts < from + 6 * HOUR));
      await before.flush();
    }
    await before.close();
    expect(calls.filter((c) => c['code'] === 'D05')).toEqual([]); // raised at 17:30 from records more than an hour old: held
    expect(db.prepare('SELECT lift_id, code, at FROM model_held_raises').all()).toEqual([{ lift_id: 'RT-1', code: 'D05', at: START + 17.5 * HOUR }]);

    const after = await start();
    after.onStored(HISTORY.filter((r) => r.ts >= START + 36 * HOUR && r.ts < START + 42 * HOUR));
    await after.flush();
    await after.close();
    expect(calls.filter((c) => c['code'] === 'D05')).toEqual([{ op: 'raise', code: 'D05', beganAt: START + 17.5 * HOUR }]);
    expect(db.prepare('SELECT count(*) FROM model_held_raises').pluck().get()).toBe(0);
  });
});
