import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeHealth, createHealthService, LiftFeatureState, simulatedDoorWear, stateHealthHistory } from '@liftwatch/models';
import { openStateStore, type StateStore } from '@liftwatch/state-store';
import { tempDir, waitFor } from '@liftwatch/test-kit';
import { startPostgres, type RunningPostgres } from '@liftwatch/test-kit/servers';

const DAY = 86_400_000;
const END = Date.UTC(2026, 5, 1);
const dir = tempDir('liftwatch-shared-health-');
let pg: RunningPostgres;
let state: StateStore;
beforeAll(async () => {
  pg = await startPostgres();
  state = await openStateStore({ url: await pg.newDatabase('health') });
});
afterAll(async () => {
  await state?.close();
  await pg?.stop();
  dir.remove();
});

/** One node's own SQLite file. */
function node(name: string) {
  return { db: new Database(join(dir.path, `${name}.db`)) };
}

describe('health history in the shared state store (PostgreSQL)', () => {
  it('a score computed on node A is served by node B, and by a node started later; its history is shared', async () => {
    const a = node('a');
    const lift = new LiftFeatureState('SH-1'); // node A holds the lift's state: its terminal reports there
    for (const r of simulatedDoorWear('SH-1', { end: END, days: 35, wornFromDay: 17 }).records) lift.add(r.stream, r.record as never);
    const b = node('b');
    let now = END;
    const svcA = createHealthService({ now: () => now, history: stateHealthHistory(state.health, { shared: true }) });
    svcA.attach((liftId, at) => (liftId === 'SH-1' ? computeHealth(lift, at) : undefined));
    const svcB = createHealthService({ now: () => now, history: stateHealthHistory(state.health, { shared: true }), refreshMs: 100 });
    try {
      await Promise.all([svcA.ready(), svcB.ready()]);
      expect(svcB.score('SH-1')).toBeNull();
      const h = await svcA.ensure('SH-1');
      expect(h?.grade).not.toBeNull();
      const seen = await waitFor('node B to serve SH-1\'s score', () => svcB.score('SH-1') ?? undefined, 10_000, 50);
      expect(seen).toMatchObject({ at: END, score: h!.score, grade: h!.grade, components: h!.components });
      expect(svcB.gradeCounts(['SH-1'])).toMatchObject({ [h!.grade!]: 1 });
      now = END + DAY;
      await svcA.ensure('SH-1'); // a day later: a new history row
      await waitFor('both history rows in the shared table', async () => (await svcB.history('SH-1')).length === 2, 10_000, 50);
      expect((await svcB.history('SH-1')).map((x) => x.at)).toEqual([END + DAY, END]);
      // Nothing of it in node A's own SQLite.
      expect(a.db.prepare("SELECT name FROM sqlite_master WHERE name = 'health_history'").all()).toEqual([]);
      const c = node('c');
      const svcC = createHealthService({ now: () => now, history: stateHealthHistory(state.health, { shared: true }) });
      await svcC.ready();
      expect(svcC.score('SH-1')).toMatchObject({ at: END + DAY });
      expect(await svcC.ensure('SH-1')).toMatchObject({ at: END + DAY, reasons: expect.arrayContaining([expect.objectContaining({ component: 'S3' })]) });
      await svcC.close();
      c.db.close();
    } finally {
      await svcA.close();
      await svcB.close();
      a.db.close();
      b.db.close();
    }
  });
});
