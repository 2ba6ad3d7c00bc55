import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openStateStore } from '@liftwatch/state-store';
import { stateHealthHistory } from '../src/health/health-history.js';
import { simulatedDoorWear } from '../src/health/simulated-history.js';
import { createHealthService } from '../src/health/health-service.js';
import { computeHealth } from '../src/health/health.js';
import { LiftFeatureState, type AnyRecord } from '../src/features/lift-state.js';

const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'lw-health-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const END = Date.UTC(2026, 5, 1);

/** The health history in the SQLite file, as the all-in-one keeps it. */
async function openStore() {
  const file = join(dir, 'liftwatch.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const state = await openStateStore({ url: `sqlite:${file}`, connection: db });
  return { db, history: stateHealthHistory(state.health), close: async () => { await state.close(); db.close(); } };
}

describe('health service (served health score)', () => {
  it('keeps each lift\'s latest score compactly, the full one from its state on demand, a history row when it changed, and all of it across a restart', async () => {
    const a = await openStore();
    const { records } = simulatedDoorWear('HS-1', { end: END, days: 35, wornFromDay: 17 });
    const state = new LiftFeatureState('HS-1');
    for (const r of records) state.add(r.stream, r.record as unknown as AnyRecord);
    let now = END;
    const svc = createHealthService({ history: a.history, now: () => now });
    expect(svc.score('HS-1')).toBeNull();
    expect(svc.gradeCounts(['HS-1'])).toMatchObject({ none: 1, A: 0 });
    svc.attach((liftId, at) => (liftId === 'HS-1' ? computeHealth(state, at) : undefined));
    const h = (await svc.ensure('HS-1'))!;
    expect(h).toMatchObject({ at: END, grade: expect.stringMatching(/[A-E]/), provisional: false, recordsTo: expect.any(Number) });
    expect(h.parts!.map((p) => [p.id, p.weight])).toEqual([['S1', 30], ['S2', 20], ['S3', 15], ['S4', 10], ['S5', 15], ['S6', 10]]);
    expect(h.components['S3']).toBeLessThanOrEqual(60); // the worn door (a healthy one scores 100)
    expect(h.reasons[0]).toMatchObject({ component: 'S3', key: 'S3', detail: expect.stringMatching(/door closing p95 [\d.]+ s .* \+\d+ % vs baseline/) });
    for (const e of h.reasons[0]!.evidence) expect(e).toMatch(/^HS-1\/door\/\d+$/);
    expect(svc.score('HS-1')).toMatchObject({ at: END, score: h.score, grade: h.grade, reasons: [] }); // the list's cheap view
    expect(svc.gradeCounts(['HS-1', 'NOPE'])).toMatchObject({ [h.grade!]: 1, none: 1 });
    // the same score again is not a new history row; a day later it is
    now = END + 1000;
    await svc.ensure('HS-1');
    expect(await svc.history('HS-1')).toHaveLength(1);
    now = END + DAY;
    await svc.ensure('HS-1');
    expect((await svc.history('HS-1')).map((x) => x.at)).toEqual([END + DAY, END]);
    expect(svc.distribution()).toMatchObject({ grades: { [h.grade!]: 1 }, computed: 3, appended: 2 });
    await svc.close();
    await a.close();

    const b = await openStore();
    const again = createHealthService({ history: b.history, now: () => END + 2 * DAY });
    await again.ready();
    expect(again.score('HS-1')).toMatchObject({ at: END + DAY, grade: h.grade });
    // without the lift's state here (another node holds it), the lift page gets the stored score with its reasons
    expect(await again.ensure('HS-1')).toMatchObject({ at: END + DAY, reasons: expect.arrayContaining([expect.objectContaining({ component: 'S3', key: 'S3' })]) });
    expect(again.count()).toBe(1);
    await again.close();
    await b.close();
  });
});
