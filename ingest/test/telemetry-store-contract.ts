import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN, type RecordStream } from '@liftwatch/contract';
import type { TelemetryRow, TelemetryStore } from '../src/index.js';

/**
 * The one contract suite of the TelemetryStore port (STYLE.md 8). Every adapter runs it:
 * SQLite in sqlite-telemetry.test.ts, InfluxDB 1.6 in influx-telemetry.int.test.ts.
 * `settle` waits until written points are visible to queries (InfluxDB indexes asynchronously).
 */
export function telemetryStoreContract(name: string, open: () => Promise<{ store: TelemetryStore; settle?: () => Promise<void>; close: () => Promise<void> }>) {
  describe(`TelemetryStore contract: ${name}`, () => {
    const DAY = 86_400_000;
    const T0 = Date.UTC(2026, 10, 1, 0, 0, 0); // a day boundary
    let store: TelemetryStore;
    let settle: () => Promise<void> = async () => {};
    let close: () => Promise<void>;

    const row = (stream: RecordStream, liftId: string, seq: number, ts: number, over: Record<string, unknown> = {}): TelemetryRow => ({
      liftId, stream, seq, ts, rx: ts + 5, record: { ...(GOLDEN[stream] as unknown as Record<string, unknown>), liftId, seq, ts, ...over },
    });
    // Lift A: 6 trips in two 1-minute buckets of day 1, 2 trips on day 2; lift B: 1 trip. Statuses for both.
    const trips = [
      row('trip', 'A', 1, T0 + 1_000, { stopErrMm: 2 }), row('trip', 'A', 2, T0 + 20_000, { stopErrMm: -4 }), row('trip', 'A', 3, T0 + 40_000, { stopErrMm: 8 }),
      row('trip', 'A', 4, T0 + 61_000, { stopErrMm: 1 }), row('trip', 'A', 5, T0 + 70_000, { stopErrMm: 3 }), row('trip', 'A', 6, T0 + 119_000, { stopErrMm: 5 }),
      row('trip', 'A', 7, T0 + DAY + 10_000, { stopErrMm: 0 }), row('trip', 'A', 8, T0 + DAY + 20_000, { stopErrMm: 10 }),
      row('trip', 'B', 1, T0 + 5_000, { stopErrMm: -1 }),
    ];
    const statuses = [
      row('status', 'A', 10, T0 + 30_000, { floor: 3 }), row('status', 'A', 11, T0 + DAY + 30_000, { floor: 9, carDoor: 'open' }),
      row('status', 'B', 2, T0 + 6_000, { floor: 1 }),
    ];

    beforeAll(async () => {
      const opened = await open();
      store = opened.store;
      close = opened.close;
      if (opened.settle) settle = opened.settle;
      const fresh = await store.write([...trips, ...statuses]);
      if (fresh) expect(fresh.every(Boolean)).toBe(true);
      await settle();
    }, 60_000);
    afterAll(async () => close?.());

    it('gives back the newest record of a lift, of one stream and of any', async () => {
      const s = await store.latest('A', 'status');
      expect(s).toMatchObject({ liftId: 'A', stream: 'status', seq: 11, ts: T0 + DAY + 30_000 });
      expect(s?.record).toMatchObject({ floor: 9, carDoor: 'open', speedMps: GOLDEN.status.speedMps, doorZone: GOLDEN.status.doorZone });
      expect((await store.latest('A'))?.seq).toBe(11);
      expect(await store.latest('NOPE', 'status')).toBeUndefined();
    });

    it('gives the newest status of each lift asked for', async () => {
      const m = await store.latestPerLift('status', ['A', 'B', 'NOPE']);
      expect([...m.keys()].sort()).toEqual(['A', 'B']);
      expect(m.get('B')?.record['floor']).toBe(1);
    });

    it('aggregates one field per bucket: min, max, mean, count', async () => {
      const buckets = await store.range({ liftId: 'A', stream: 'trip', field: 'stopErrMm', fromMs: T0, toMs: T0 + 120_000, bucketMs: 60_000 });
      expect(buckets.map((b) => ({ ...b, mean: Math.round(b.mean * 1000) / 1000 }))).toEqual([
        { t: T0, min: -4, max: 8, mean: 2, count: 3 },
        { t: T0 + 60_000, min: 1, max: 5, mean: 3, count: 3 },
      ]);
      const daily = await store.range({ liftId: 'A', stream: 'trip', field: 'stopErrMm', fromMs: T0, toMs: T0 + 2 * DAY, bucketMs: DAY });
      expect(daily.map((b) => [b.t, b.min, b.max, b.count])).toEqual([[T0, -4, 8, 6], [T0 + DAY, 0, 10, 2]]);
    });

    it('counts records per lift per day', async () => {
      expect(await store.dailyCounts('trip', T0, T0 + 2 * DAY)).toEqual([
        { liftId: 'A', day: '2026-11-01', count: 6 }, { liftId: 'A', day: '2026-11-02', count: 2 }, { liftId: 'B', day: '2026-11-01', count: 1 },
      ]);
      expect(await store.dailyCounts('trip', T0, T0 + 2 * DAY, 'B')).toEqual([{ liftId: 'B', day: '2026-11-01', count: 1 }]);
    });

    it('lists a lift\'s newest records first, per stream or all', async () => {
      expect((await store.recent('A', { stream: 'trip', limit: 3 })).map((r) => r.seq)).toEqual([8, 7, 6]);
      expect((await store.recent('A', { limit: 2 })).map((r) => `${r.stream}:${r.seq}`)).toEqual(['status:11', 'trip:8']);
    });

    it('stores a replayed record once', async () => {
      const fresh = await store.write([trips[0]!, trips[1]!]);
      if (fresh) expect(fresh).toEqual([false, false]);
      await settle();
      expect(await store.dailyCounts('trip', T0, T0 + DAY, 'A')).toEqual([{ liftId: 'A', day: '2026-11-01', count: 6 }]);
    });

    it('keeps two records of one lift and stream in the same millisecond, told apart by their seq', async () => {
      const sameMs = [row('trip', 'C', 41, T0 + 7_000, { stopErrMm: 1 }), row('trip', 'C', 42, T0 + 7_000, { stopErrMm: 9 })];
      const fresh = await store.write(sameMs);
      if (fresh) expect(fresh).toEqual([true, true]);
      await store.write([sameMs[1]!]); // sent again: still one record
      await settle();
      const recent = await store.recent('C', { stream: 'trip', limit: 10 });
      expect(recent.map((r) => [r.seq, r.ts, r.record['stopErrMm']]).sort()).toEqual([[41, T0 + 7_000, 1], [42, T0 + 7_000, 9]]);
      expect(await store.dailyCounts('trip', T0, T0 + DAY, 'C')).toEqual([{ liftId: 'C', day: '2026-11-01', count: 2 }]);
      const [bucket] = await store.range({ liftId: 'C', stream: 'trip', field: 'stopErrMm', fromMs: T0, toMs: T0 + 60_000, bucketMs: 60_000 });
      expect(bucket).toMatchObject({ t: T0, min: 1, max: 9, mean: 5, count: 2 });
    });
  });
}
