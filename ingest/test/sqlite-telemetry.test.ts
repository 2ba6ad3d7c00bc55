import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { GOLDEN, ROLLUP_HOUR_MS, ROLLUP_MINUTE_MS } from '@liftwatch/contract';
import { createSqliteTelemetry } from '../src/index.js';
import { telemetryStoreContract } from './telemetry-store-contract.js';

telemetryStoreContract('SQLite', async () => {
  const db = new Database(':memory:');
  return { store: createSqliteTelemetry(db), close: async () => { db.close(); } };
});

describe('SQLite telemetry: rollups and retention', () => {
  const DAY = 86_400_000;
  const now = Date.UTC(2026, 10, 29);
  const trip = (seq: number, ts: number, stopErrMm: number) => ({ liftId: 'R', stream: 'trip' as const, seq, ts, rx: ts, record: { ...GOLDEN.trip, liftId: 'R', seq, ts, stopErrMm } as unknown as Record<string, unknown> });

  it('answers old ranges from rollups after the raw records expired, with the same figures', async () => {
    const db = new Database(':memory:');
    const store = createSqliteTelemetry(db, { rawDays: 30, minuteDays: 60, hourDays: 3650 });
    const old = now - 45 * DAY;
    await store.write([trip(1, old + 1_000, 4), trip(2, old + 2_000, -2), trip(3, old + 70_000, 9)]);
    const q = { liftId: 'R', stream: 'trip' as const, field: 'stopErrMm', fromMs: old, toMs: old + 120_000, bucketMs: 60_000 };
    const before = await store.range(q);
    expect(store.applyRetention(now)).toEqual({ rawDeleted: 3, rollupsDeleted: 0 });
    expect(await store.recent('R', { limit: 10 })).toEqual([]);
    expect(store.resolutionFor(q, now)).toBe(ROLLUP_MINUTE_MS);
    expect(await store.range(q)).toEqual(before);
    expect(before).toEqual([{ t: old, min: -2, max: 4, mean: 1, count: 2 }, { t: old + 60_000, min: 9, max: 9, mean: 9, count: 1 }]);
  });

  it('takes whole hour buckets summarised elsewhere (a demo history), replacing each bucket, and charts them by the day', async () => {
    const store = createSqliteTelemetry(new Database(':memory:'));
    const day = now - 20 * DAY;
    const hour = (h: number, min: number, max: number, sum: number, count: number) => ({ res: ROLLUP_HOUR_MS, liftId: 'R', stream: 'trip', bucket: day + h * ROLLUP_HOUR_MS, stats: { stopErrMm: [min, max, sum, count] as [number, number, number, number] } });
    const rows = [hour(0, -3, 5, 10, 10), hour(7, -1, 9, 20, 5)];
    store.putRollups(rows);
    store.putRollups(rows); // again: the same buckets, not twice the counts
    const q = { liftId: 'R', stream: 'trip' as const, field: 'stopErrMm', fromMs: day, toMs: day + DAY, bucketMs: DAY };
    expect(await store.range(q)).toEqual([{ t: day, min: -3, max: 9, mean: 2, count: 15 }]);
    expect(await store.recent('R', { limit: 5 })).toEqual([]); // no records: summaries only
  });

  it('cuts raw records into whole buckets too', async () => {
    const store = createSqliteTelemetry(new Database(':memory:'));
    const t0 = now - DAY;
    await store.write([trip(1, t0 + 1_000, 1), trip(2, t0 + 4_000, 3), trip(3, t0 + 12_000, 5)]);
    const q = { liftId: 'R', stream: 'trip' as const, field: 'stopErrMm', fromMs: t0, toMs: t0 + 60_000, bucketMs: 10_000 };
    expect(store.resolutionFor(q, now)).toBe('raw');
    expect(await store.range(q)).toEqual([{ t: t0, min: 1, max: 3, mean: 2, count: 2 }, { t: t0 + 10_000, min: 5, max: 5, mean: 5, count: 1 }]);
  });

  it('picks raw records for fine buckets, minute rollups for minutes, hour rollups for long or old ranges', () => {
    const store = createSqliteTelemetry(new Database(':memory:'), { rawDays: 30, minuteDays: 60, hourDays: 3650 });
    const q = (fromDaysAgo: number, bucketMs: number, field = 'stopErrMm') => store.resolutionFor({ liftId: 'R', stream: 'trip', field, fromMs: now - fromDaysAgo * DAY, toMs: now, bucketMs }, now);
    expect(q(1, 10_000)).toBe('raw');
    expect(q(1, 60_000)).toBe(ROLLUP_MINUTE_MS);
    expect(q(45, 10_000)).toBe(ROLLUP_MINUTE_MS);
    expect(q(90, 60_000)).toBe(ROLLUP_HOUR_MS);
    expect(q(1, DAY)).toBe(ROLLUP_HOUR_MS);
    expect(q(1, DAY, 'fromFloor')).toBe('raw'); // not a rolled-up field
  });

  it('does not count a replay twice in the rollups', async () => {
    const store = createSqliteTelemetry(new Database(':memory:'));
    await store.write([trip(1, now, 4)]);
    expect(await store.write([trip(1, now, 4)])).toEqual([false]);
    const [b] = await store.range({ liftId: 'R', stream: 'trip', field: 'stopErrMm', fromMs: now - DAY, toMs: now + DAY, bucketMs: DAY });
    expect(b?.count).toBe(1);
  });
});
