import { afterAll, describe, expect, it } from 'vitest';
import { GOLDEN, liftTopic, type AlertView, type StatusRecord } from '@liftwatch/contract';
import { tempDir } from '@liftwatch/test-kit';
import { makeConfig } from '../src/config.js';
import { startLiftwatch } from '../src/liftwatch.js';
import { authed, login, TEST_ADMIN_PASSWORD, terminal } from './helpers.js';

const dir = tempDir();
afterAll(() => dir.remove());
const t0 = Date.now() - 120_000;
/** The time of the test, s after t0: what both processes' wall clocks read; each has a monotonic clock of its own. */
let nowS = 0;
const start = (monoZero: number) => startLiftwatch(makeConfig({ host: '127.0.0.1', mqttPort: 0, httpPort: 0, dataDir: dir.path, entrapmentS: 60, adminPassword: TEST_ADMIN_PASSWORD }),
  () => {}, { now: () => t0 + nowS * 1000, monotonic: () => monoZero + nowS * 1000 });

describe('per-lift rule state survives a restart', () => {
  it('an entrapment timer started before the restart fires after it, 60 s after the car stopped', async () => {
    const trapped = (seq: number, s: number): StatusRecord => {
      nowS = s;
      return { ...GOLDEN.status, liftId: 'RS-1', seq, ts: t0 + s * 1000, speedMps: 0, direction: 'none', doorZone: false, carDoor: 'locked', passengersPresent: true, floor: 6 };
    };
    const first = await start(7_000_000);
    const c1 = await terminal(first, 'RS-1');
    await c1.publishAsync(liftTopic('RS-1', 'registry'), JSON.stringify({ ...GOLDEN.registry, liftId: 'RS-1', seq: 1, ts: t0 }), { qos: 1 });
    await c1.publishAsync(liftTopic('RS-1', 'status'), JSON.stringify(trapped(2, 0)), { qos: 1 });
    await c1.publishAsync(liftTopic('RS-1', 'status'), JSON.stringify(trapped(3, 30)), { qos: 1 });
    await c1.endAsync();
    await first.close();

    nowS = 40; // back 10 s later
    const second = await start(0);
    try {
      const c2 = await terminal(second, 'RS-1');
      await c2.publishAsync(liftTopic('RS-1', 'status'), JSON.stringify(trapped(4, 65)), { qos: 1 });
      const admin = authed(second.httpUrl, await login(second.httpUrl, 'admin', TEST_ADMIN_PASSWORD));
      const { alerts } = await admin.get<{ alerts: AlertView[] }>('/api/alerts?state=active&liftId=RS-1');
      expect(alerts.map((a) => a.code)).toEqual(['E01']);
      expect(alerts[0]?.reason).toMatch(/still at floor 6 outside the door zone for 65 s/);
      // The rated speed came back too: an overspeed is caught without a new registry record.
      await c2.publishAsync(liftTopic('RS-1', 'status'), JSON.stringify({ ...trapped(5, 70), speedMps: 2.2, passengersPresent: false }), { qos: 1 });
      const after = await admin.get<{ alerts: AlertView[] }>('/api/alerts?state=active&liftId=RS-1');
      expect(after.alerts.map((a) => a.code).sort()).toEqual(['E01', 'E04']);
      await c2.endAsync();
    } finally {
      await second.close();
    }
  });
});
