import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteTelemetry } from '@liftwatch/ingest';
import { openStateStore } from '@liftwatch/state-store';
import { stateHealthHistory } from '../src/health/health-history.js';
import { simulatedDoorWear } from '../src/health/simulated-history.js';
import { createHealthService } from '../src/health/health-service.js';
import { recomputeHealth } from '../src/health/recompute.js';

const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'lw-health-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const END = Date.UTC(2026, 5, 1);

/** The records and the health history in one SQLite file, as the all-in-one keeps them. */
async function openStore() {
  const file = join(dir, 'liftwatch.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const state = await openStateStore({ url: `sqlite:${file}`, connection: db });
  return { db, store: createSqliteTelemetry(db), history: stateHealthHistory(state.health), close: async () => { await state.close(); db.close(); } };
}

describe('health service (served health score)', () => {
  it('computes a lift\'s score from its stored records, as recompute does, and keeps it across a restart', async () => {
    const a = await openStore();
    const { trips, doors } = simulatedDoorWear('HS-1', { end: END, days: 35, wornFromDay: 17 });
    await a.store.write([...trips.map((r) => ({ liftId: r.liftId, stream: 'trip' as const, seq: r.seq, ts: r.ts, rx: r.ts, record: r as unknown as Record<string, unknown> })),
      ...doors.map((r) => ({ liftId: r.liftId, stream: 'door' as const, seq: r.seq, ts: r.ts, rx: r.ts, record: r as unknown as Record<string, unknown> }))]);
    const svc = createHealthService({ history: a.history, store: a.store, now: () => END });
    expect(svc.score('HS-1')).toBeNull();
    expect(svc.gradeCounts(['HS-1'])).toMatchObject({ none: 1, A: 0 });
    const h = await svc.ensure('HS-1');
    expect(h).not.toBeNull();
    expect(h!.at).toBe(END);
    expect(h!.score).toBe((await recomputeHealth(a.store, 'HS-1', END)).score);
    expect(h!.grade).not.toBeNull();
    expect(Object.keys(h!.components)).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6']);
    expect(h!.components['S3']).toBeLessThanOrEqual(60); // the worn door (a healthy one scores 100)
    expect(h!.reasons[0]).toMatchObject({ component: 'S3', detail: expect.stringMatching(/closeS p95 \+\d+ %/) });
    expect(h!.reasons[0]!.evidence.length).toBeGreaterThan(0);
    for (const e of h!.reasons[0]!.evidence) expect(e).toMatch(/^HS-1\/door\/\d+$/);
    expect(svc.gradeCounts(['HS-1', 'NOPE'])).toMatchObject({ [h!.grade!]: 1, none: 1 });
    // the same score again is not a new history row; a day later it is
    await svc.recompute('HS-1', END + 1000);
    expect(await svc.history('HS-1')).toHaveLength(1);
    await svc.recompute('HS-1', END + DAY);
    expect((await svc.history('HS-1')).map((x) => x.at)).toEqual([END + DAY, END]);
    await svc.close();
    await a.close();

    const b = await openStore();
    const again = createHealthService({ history: b.history, store: b.store, now: () => { throw new Error('must not recompute'); } });
    await again.ready();
    expect(again.score('HS-1')).toMatchObject({ at: END + DAY, grade: h!.grade, reasons: expect.arrayContaining([expect.objectContaining({ component: 'S3' })]) });
    expect(again.count()).toBe(1);
    await again.close();
    await b.close();
  });

  it('warms up lifts without a score in the background, one at a time', async () => {
    const a = await openStore();
    const svc = createHealthService({ history: a.history, store: a.store, now: () => END });
    expect(await svc.warmUp(['HS-1', 'EMPTY-1'])).toBe(1); // HS-1 has one already
    expect(svc.score('EMPTY-1')).toMatchObject({ grade: null, confidence: 0 }); // no records: insufficient data, not ranked
    await svc.close();
    await a.close();
  });
});
