// The fleet index keeps "the latest visit of each lift among the N latest visits" in memory and
// reads only new visits per request (dashboards/src/fleet-index.ts). Checked here against the plain
// computation over the real maintenance store, with a window small enough to slide.
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createAlerting } from '@liftwatch/alerting';
import { createFleetIndex, type DashboardDeps } from '@liftwatch/dashboards';
import { tempDir } from '@liftwatch/test-kit';
import { join } from 'node:path';

const dir = tempDir();
afterAll(() => dir.remove());

describe('fleet index: latest maintenance visits', () => {
  it('equals the computation over the latest N visits as visits come one by one and in bursts', async () => {
    const db = new Database(join(dir.path, 'visits.db'));
    db.pragma('synchronous = OFF'); // a test of the index's arithmetic, not of durability: quick writes
    let clock = Date.now() - 30 * 86_400_000;
    const alerting = createAlerting({ db, now: () => clock });
    // Only the parts the visits use: the index reads the crews port's visits and subscribes to changes.
    const deps = { crews: { visits: alerting.maintenance.list }, changes: { subscribe: () => () => {} } } as unknown as DashboardDeps;
    const fleet = createFleetIndex(deps);
    const plain = async (limit: number) => {
      const last = new Map<string, number>();
      for (const v of await alerting.maintenance.list(undefined, limit)) last.set(v.liftId, Math.max(last.get(v.liftId) ?? 0, v.startedAt));
      return last;
    };
    let seed = 7;
    const next = () => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
    for (let round = 0; round < 60; round++) {
      // Mostly a few visits between reads; now and then a burst larger than one read of new visits (200).
      const n = round % 15 === 14 ? 260 : Math.floor(next() * 12);
      for (let k = 0; k < n; k++) {
        const liftId = `L-${Math.floor(next() * 40)}`;
        // Starts mostly later and later, sometimes earlier than the lift's last (a clock set back).
        clock += next() < 0.1 ? -3_600_000 : 600_000;
        await alerting.maintenance.checkIn(liftId, 'tech');
        await alerting.maintenance.checkOut(liftId, 'tech');
      }
      expect(new Map(await fleet.lastVisits(300))).toEqual(await plain(300));
    }
    expect(new Map(await fleet.lastVisits(1000))).toEqual(await plain(1000));
    fleet.close();
    await alerting.close();
    db.close();
  });
});
