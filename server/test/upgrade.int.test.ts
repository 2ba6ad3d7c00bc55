import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { GOLDEN, liftTopic, type AlertDetail, type AlertView, type MaintenanceVisit, type Person } from '@liftwatch/contract';
import { tempDir, waitFor } from '@liftwatch/test-kit';
import { makeConfig } from '../src/config.js';
import { startLiftwatch } from '../src/liftwatch.js';
import { authed, login } from './helpers.js';

/**
 * An upgrade: a data dir made by the version before the state store (its database as that version
 * wrote it, packages/state-store/test/fixtures/all-in-one-v0.sql) starts, and everything in it is
 * there: users and their passwords, the terminal's token, alerts with their audit, crews and rota,
 * visits, the lift registry, the lift summaries and the health history.
 */
const fixture = readFileSync(new URL('../../packages/state-store/test/fixtures/all-in-one-v0.sql', import.meta.url), 'utf8');
const TOKEN = /Token of terminal T-OLD-1: (\S+)/.exec(fixture)![1]!;
const dir = tempDir();
afterAll(() => dir.remove());

describe('a data dir made by the previous version', () => {
  it('starts, twice, with its data: logins, terminal, alerts, crews, visits, registry, lifts and health history', async () => {
    const old = new Database(join(dir.path, 'liftwatch.db'));
    old.exec(fixture);
    old.close();
    const config = makeConfig({ host: '127.0.0.1', mqttPort: 0, httpPort: 0, dataDir: dir.path });
    for (const run of [1, 2]) {
      const lw = await startLiftwatch(config);
      try {
        const admin = authed(lw.httpUrl, await login(lw.httpUrl, 'admin', 'fixture-admin-pw-1'));
        expect((await authed(lw.httpUrl, await login(lw.httpUrl, 'li.na', 'crew-password-old-1')).get<{ id: string }>('/api/me')).id).toBe('li.na');
        const alert = await admin.get<AlertDetail>('/api/alerts/1');
        expect(alert).toMatchObject({ liftId: 'OLD-1', code: 'E01', state: 'acknowledged', assignee: 'admin' });
        expect(alert.audit.map((a) => a.action)).toEqual(expect.arrayContaining(['opened', 'policy', 'acknowledged']));
        expect(alert.audit.filter((a) => a.action === 'policy')).toHaveLength(1); // planned once, by the old version
        const lift = await admin.get<{ recordsTotal: number; openAlerts: number; registered: { areaCode: string } | null; health: { at: number; score: number } | null }>('/api/lifts/OLD-1');
        expect(lift).toMatchObject({ recordsTotal: 2 + (run - 1), openAlerts: 1 + (run - 1), registered: { areaCode: '330106' } });
        const stored = { at: Date.UTC(2026, 0, 15, 8) + 1000, score: 50 };
        // the first start serves the stored score, not computed again; after run 1's new alert the score may be newer
        if (run === 1) expect(lift.health).toMatchObject(stored);
        else expect(lift.health!.at).toBeGreaterThanOrEqual(stored.at);
        expect((await admin.get<{ points: Array<{ at: number; score: number }> }>('/api/lifts/OLD-1/health-history')).points).toContainEqual(expect.objectContaining(stored));
        const onCall = await admin.get<{ people: Array<Person & { role: string }> }>('/api/on-call/OLD-1');
        expect(onCall.people.map((p) => `${p.role}:${p.id}`)).toEqual(['primary:crew-old', 'backup:crew-old-b']);
        expect((await admin.get<{ visits: MaintenanceVisit[] }>('/api/maintenance-visits?liftId=OLD-2')).visits).toMatchObject([{ id: 1, endReason: 'checked out by admin' }]);
        if (run === 1) {
          // The terminal's token still works, and a new fault reaches the old rota's crew.
          const t = await mqtt.connectAsync(lw.mqttUrl, { clientId: 'T-OLD-1', username: 'T-OLD-1', password: TOKEN, reconnectPeriod: 0 });
          await t.publishAsync(liftTopic('OLD-1', 'fault'), JSON.stringify({ ...GOLDEN.fault, liftId: 'OLD-1', seq: 3, ts: Date.now(), code: 'E09', passengersPresent: false }), { qos: 1 });
          await t.endAsync();
          const raised = await waitFor('the new alert', async () => (await admin.get<{ alerts: AlertView[] }>('/api/alerts?liftId=OLD-1&state=open')).alerts[0]);
          expect(raised.id).toBe(2);
          await waitFor('the crew notified', async () => ((await admin.get<{ attempts: Array<{ recipientId: string; outcome: string }> }>(`/api/alerts/${raised.id}/notifications`)).attempts
            .some((a) => a.recipientId === 'crew-old' && a.outcome === 'sent') ? true : undefined));
        }
      } finally {
        await lw.close();
      }
    }
  });
});
