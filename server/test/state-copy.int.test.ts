import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN, liftTopic } from '@liftwatch/contract';
import { copyState, openStateStore } from '@liftwatch/state-store';
import { waitFor } from '@liftwatch/test-kit';
import { startPostgres, type RunningPostgres } from '@liftwatch/test-kit/servers';
import { authed, login, startTestLiftwatch, terminal } from './helpers.js';

let pg: RunningPostgres;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

describe('from all-in-one to distributed', () => {
  it('copies what the all-in-one\'s SQLite stores hold into PostgreSQL, where a distributed node uses it', async () => {
    // An all-in-one on SQLite, used through its API and MQTT as an operator and a terminal would.
    const one = await startTestLiftwatch();
    const put = (path: string, body: unknown) => one.fetch(path, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await put('/api/users/ann', { name: 'Ann', role: 'admin', password: 'ann-password-1' })).status).toBe(200);
    expect((await put('/api/organisations/MU-C', { id: 'MU-C', kind: 'maintenanceUnit', name: 'Unit C', roles: {} })).status).toBe(200);
    const res = await one.fetch('/api/terminals', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ liftId: 'COPY-2' }) });
    const { token } = (await res.json()) as { token: string };
    const t = await terminal(one, 'COPY-1');
    await t.publishAsync(liftTopic('COPY-1', 'alarm'), JSON.stringify({ ...GOLDEN.alarm, liftId: 'COPY-1', seq: 1, ts: Date.now() }), { qos: 1 });
    await t.endAsync();
    const alert = await waitFor('the alert', async () => (await one.get<{ alerts: Array<{ id: number; liftId: string }> }>('/api/alerts?state=active')).alerts.find((a) => a.liftId === 'COPY-1'));
    const call = await one.fetch('/api/rescue-calls', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ liftId: 'COPY-1', externalId: 'C-COPY', note: '' }) });
    expect(call.status).toBe(201);
    await one.close();

    const stateUrl = await pg.newDatabase('copied');
    const from = await openStateStore({ url: `sqlite:${join(one.dir.path, 'liftwatch.db')}` });
    const to = await openStateStore({ url: stateUrl });
    try {
      // A backlog for the government platform that had not gone out yet, and where its feed had read to.
      await from.outbox.add([{ idempotencyKey: 'rescue.1.9', type: 'rescue', subject: 'COPY-1', version: 9, occurredAt: 1, payload: {} }], 2, { name: 'audit', position: 9 });
      const counts = await copyState(from, to);
      expect(counts).toMatchObject({ dash_users: 2, crew_orgs: 1, alerts: 1, rescue_calls: 1, exchange_outbox: 1, exchange_cursors: 1 });
      expect(await to.outbox.cursor('audit')).toBe(9);
      expect(await to.outbox.list({ state: 'pending', limit: 5 })).toMatchObject([{ idempotencyKey: 'rescue.1.9' }]);
      expect((await to.rescueCalls.list({ liftId: 'COPY-1', limit: 5 }))[0]).toMatchObject({ externalId: 'C-COPY', alertId: alert.id });
      expect(counts['broker_terminals']).toBeGreaterThanOrEqual(2);
      expect(await copyState(from, to)).toMatchObject({ dash_users: 0, alerts: 0 }); // again: nothing new
      expect((await to.alerts.detail(alert.id, 5))?.audit[0]).toMatchObject({ action: 'opened' });
      // New ids continue after the copied ones.
      const next = await to.alerts.raise({ liftId: 'COPY-3', code: 'ENTRAPMENT', severity: 'P1', reason: 'x', at: 1, evidence: { liftId: 'COPY-3', stream: 'alarm', seq: 1, ts: 1, values: {} } });
      expect(next.alertId).toBeGreaterThan(alert.id);
    } finally {
      await from.close();
      await to.close();
    }

    // A node on PostgreSQL: Ann's password, the terminal's token and the alert are there.
    const node = await startTestLiftwatch({ stateUrl, roles: 'broker,dashboards' });
    try {
      expect(await node.get(`/api/alerts/${alert.id}`)).toMatchObject({ liftId: 'COPY-1', state: 'open' });
      expect((await authed(node.httpUrl, await login(node.httpUrl, 'ann', 'ann-password-1')).get<{ id: string }>('/api/me')).id).toBe('ann');
      const c = await mqtt.connectAsync(node.mqttUrl, { clientId: 'T-COPY-2', username: 'T-COPY-2', password: token, reconnectPeriod: 0 });
      await c.endAsync();
    } finally {
      await node.stop();
      one.dir.remove();
    }
  });
});
