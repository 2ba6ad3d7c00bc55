import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MaintenanceVisit } from '@liftwatch/contract';
import { tempDir, waitFor } from '@liftwatch/test-kit';
import { makeConfig } from '../src/config.js';
import { startLiftwatch, type Running } from '../src/liftwatch.js';
import { authed, login, TEST_ADMIN_PASSWORD } from './helpers.js';

/**
 * `npm start -- --simulate N` with a history: each simulated lift is a lift of a scenario mix whose
 * last days are simulated fast and written to the store at first start, then goes on live; a restart
 * writes nothing again and the lifts go on from their newest stored record.
 */
const DAY = 86_400_000;
const dir = tempDir();
afterAll(() => dir.remove());
const start = () => startLiftwatch(makeConfig({
  host: '127.0.0.1', mqttPort: 0, httpPort: 0, dataDir: dir.path, adminPassword: TEST_ADMIN_PASSWORD,
  simulate: 3, simulateHistoryDays: 17, simulateP1PerMinute: 0, simulateCrew: false, models: false,
}));
const admin = async (lw: Running) => authed(lw.httpUrl, await login(lw.httpUrl, 'admin', TEST_ADMIN_PASSWORD));
type Buckets = { buckets: Array<{ t: number; count: number }> };

describe('the demo history of the simulated fleet', () => {
  it('gives each simulated lift days of history at first start, then the lift goes on live from where it ended', async () => {
    const lw = await start();
    try {
      const api = await admin(lw);
      await lw.demoHistory!.done;
      expect(lw.demoHistory!.written()).toBe(3);
      const now = Date.now();
      // Door close times by the day over the last 7 whole days (UTC) of the history: the oldest from hourly rollups,
      // the newest from records (a day cut short by the window would hold a few night hours of a quiet lift)
      const today = Math.floor(now / DAY) * DAY;
      const doors = await api.get<Buckets>(`/api/lifts/SIM-0001/series?stream=door&field=closeS&from=${today - 7 * DAY}&to=${today - 1}&bucketMs=${DAY}`);
      expect(doors.buckets.length).toBeGreaterThanOrEqual(7);
      expect(doors.buckets.every((b) => b.count > 10)).toBe(true);
      const recent = await api.get<{ records: Array<{ ts: number }> }>('/api/lifts/SIM-0001/records?stream=trip&limit=5');
      expect(recent.records.length).toBe(5);
      const { visits } = await api.get<{ visits: MaintenanceVisit[] }>('/api/maintenance-visits?liftId=SIM-0002');
      expect(visits.length).toBeGreaterThan(0); // the mix's 15-day cycle
      expect(visits.every((v) => v.startedAt < now && v.endedAt !== null)).toBe(true);
      // Live: records newer than the history's end arrive from every lift's terminal.
      await waitFor('every simulated lift live', () => lw.fleet!.connected() === 3, 20_000);
      await waitFor('a live status of SIM-0003', async () => (await api.get<{ records: Array<{ ts: number }> }>('/api/lifts/SIM-0003/records?stream=status&limit=1')).records[0]!.ts > now, 30_000);
      const lift = await api.get<{ registry: { highestFloor: number } | null }>('/api/lifts/SIM-0001');
      expect(lift.registry?.highestFloor).toBeGreaterThan(1); // re-announced when the terminal went live
    } finally {
      await lw.close();
    }
  }, 60_000);

  it('writes nothing again at the next start: the lifts go on from their newest stored record', async () => {
    const db = new Database(join(dir.path, 'liftwatch.db'), { readonly: true });
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const before = { visits: count('SELECT count(*) AS n FROM maintenance_visits'), old: count(`SELECT count(*) AS n FROM records WHERE ts < ${Date.now() - 3 * DAY}`) };
    db.close();
    const lw = await start();
    try {
      await lw.demoHistory!.done;
      expect(lw.demoHistory!.written()).toBe(0);
      await waitFor('every simulated lift live again', () => lw.fleet!.connected() === 3, 30_000);
      const again = new Database(join(dir.path, 'liftwatch.db'), { readonly: true });
      const n = (sql: string) => (again.prepare(sql).get() as { n: number }).n;
      expect(n('SELECT count(*) AS n FROM maintenance_visits')).toBe(before.visits);
      expect(n(`SELECT count(*) AS n FROM records WHERE ts < ${Date.now() - 3 * DAY}`)).toBe(before.old);
      again.close();
    } finally {
      await lw.close();
    }
  }, 60_000);
});
