import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN, liftTopic, type AlertDetail, type AlertView, type MaintenanceVisit } from '@liftwatch/contract';
import { waitFor } from '@liftwatch/test-kit';
import { startPostgres, startRedis, type RunningPostgres } from '@liftwatch/test-kit/servers';
import { authed, startTestLiftwatch, terminal } from './helpers.js';

/**
 * Alerts in the distributed mode (issue 9 §3): two all-in-one nodes over one PostgreSQL (--state-url)
 * and one Redis (--redis-url: the broker cluster and the alert queue). What happens to an alert on
 * one node is what the other node's API shows.
 */
let pg: RunningPostgres;
let redis: Awaited<ReturnType<typeof startRedis>>;
let a: Awaited<ReturnType<typeof startTestLiftwatch>>;
let b: Awaited<ReturnType<typeof startTestLiftwatch>>;

beforeAll(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const stateUrl = await pg.newDatabase('shared_alerts');
  a = await startTestLiftwatch({ stateUrl, redisUrl: redis.url });
  b = await startTestLiftwatch({ stateUrl, redisUrl: redis.url });
}, 60_000);
afterAll(async () => {
  await b?.stop();
  await a?.stop();
  await redis?.stop();
  await pg?.stop();
});

const post = async (node: typeof a, path: string, body: unknown) => {
  const res = await node.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json() as unknown;
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
};

describe('two liftwatch nodes over one PostgreSQL and one Redis', () => {
  it('an alert raised through node 1 and acknowledged through node 1\'s API is acknowledged in node 2\'s API', async () => {
    const t = await terminal(a, 'SHARED-1');
    try {
      await t.publishAsync(liftTopic('SHARED-1', 'alarm'), JSON.stringify({ ...GOLDEN.alarm, liftId: 'SHARED-1', seq: 1, ts: Date.now() }), { qos: 1 });
    } finally {
      await t.endAsync();
    }
    const opened = await waitFor('the alert in node 2', async () => (await b.get<{ alerts: AlertView[] }>('/api/alerts?liftId=SHARED-1')).alerts[0]);
    expect(opened).toMatchObject({ state: 'open', severity: 'P1' });
    expect(await post(a, `/api/alerts/${opened.id}/acknowledge`, { note: 'on my way' })).toMatchObject({ state: 'acknowledged', assignee: 'admin' });
    const seen = await b.get<AlertDetail>(`/api/alerts/${opened.id}`);
    expect(seen).toMatchObject({ state: 'acknowledged', assignee: 'admin' });
    expect(seen.audit.map((l) => l.action)).toEqual(expect.arrayContaining(['opened', 'policy', 'acknowledged']));
    expect(seen.audit.filter((l) => l.action === 'policy')).toHaveLength(1);
    // Acknowledging again through node 2 is refused: the alert is acknowledged for every node.
    const again = await b.fetch(`/api/alerts/${opened.id}/acknowledge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(again.status).toBe(400);
    expect(await again.text()).toMatch(/is acknowledged; it can move to onSite, resolved, falseAlarm/);
    expect(await b.get<{ alerts: AlertView[] }>('/api/alerts?state=active')).toMatchObject({ alerts: [expect.objectContaining({ id: opened.id, state: 'acknowledged' })] });
  });

  it('crews and visits made through one node are the other node\'s', async () => {
    const put = async (node: typeof a, path: string, body: unknown) => {
      const res = await node.fetch(path, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`PUT ${path}: ${res.status} ${await res.text()}`);
    };
    await put(a, '/api/organisations/mu-shared', { kind: 'maintenanceUnit', name: 'Shared unit' });
    await put(b, '/api/crew-lifts/SHARED-2', { maintenanceUnit: 'mu-shared' });
    expect(await a.get('/api/crew-lifts/SHARED-2')).toMatchObject({ maintenanceUnit: 'mu-shared' });
    const visit = await post(b, '/api/lifts/SHARED-2/check-in', { limitMin: 30 }) as MaintenanceVisit;
    const { visits } = await a.get<{ visits: MaintenanceVisit[] }>('/api/maintenance-visits?liftId=SHARED-2');
    expect(visits[0]).toMatchObject({ id: visit.id, endedAt: null });
    // A P2 fault of SHARED-2 published to node 1 is kept quiet by the visit checked in on node 2.
    const t = await terminal(a, 'SHARED-2');
    try {
      await t.publishAsync(liftTopic('SHARED-2', 'fault'), JSON.stringify({ ...GOLDEN.fault, liftId: 'SHARED-2', seq: 1, ts: Date.now(), code: 'E09', passengersPresent: false }), { qos: 1 });
    } finally {
      await t.endAsync();
    }
    const out = await waitFor('the suppressed fault on the visit', async () => {
      const v = (await authed(b.httpUrl, b.token).get<{ visits: MaintenanceVisit[] }>('/api/maintenance-visits?liftId=SHARED-2')).visits[0];
      return v && v.suppressed === 1 ? v : undefined;
    });
    expect(out.id).toBe(visit.id);
    expect((await b.get<{ alerts: AlertView[] }>('/api/alerts?liftId=SHARED-2')).alerts).toHaveLength(0);
  });
});
