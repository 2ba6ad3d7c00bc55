import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN, liftTopic, type AlertView, type LiftSummary } from '@liftwatch/contract';
import { waitFor } from '@liftwatch/test-kit';
import { startPostgres, startRedis, type RunningPostgres } from '@liftwatch/test-kit/servers';
import { authed, login, startTestLiftwatch, terminal, type Authed } from './helpers.js';

// A terminal's own registry record does not decide who sees its lift: the platform's registry, set by admins, does.
let pg: RunningPostgres;
let redis: Awaited<ReturnType<typeof startRedis>>;
beforeAll(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
});
afterAll(async () => {
  await pg?.stop();
  await redis?.stop();
});

const PASSWORD = 'meadow copper kettle';
const HOME = '330106';
const OTHER = '330108';

async function scenario(lw: Awaited<ReturnType<typeof startTestLiftwatch>>, reader: () => Promise<Awaited<ReturnType<typeof startTestLiftwatch>>> | undefined = () => undefined) {
  const put = async (path: string, body: unknown) => {
    const res = await lw.fetch(path, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  for (const [id, areaCode] of [['d-home', HOME], ['d-other', OTHER]] as const) {
    await put(`/api/organisations/${id}`, { kind: 'district', name: id });
    await put(`/api/users/reg-${id}`, { name: id, role: 'regulator', orgId: id, areaCode, password: PASSWORD });
  }
  // Terminal A's lift stands in the home district, but its terminal claims the other one, and raises a P1.
  const client = await terminal(lw, 'RS-A');
  const ts = Date.now();
  await client.publishAsync(liftTopic('RS-A', 'registry'), JSON.stringify({ ...GOLDEN.registry, liftId: 'RS-A', seq: 1, ts, areaCode: OTHER }), { qos: 1 });
  await client.publishAsync(liftTopic('RS-A', 'status'), JSON.stringify({ ...GOLDEN.status, liftId: 'RS-A', seq: 2, ts, speedMps: 0.5, direction: 'up', doorZone: false, carDoor: 'open' }), { qos: 1 });
  await waitFor('the lift and its alert', async () => (await lw.get<{ alerts: AlertView[] }>('/api/alerts?liftId=RS-A')).alerts.length === 1
    && (await lw.fetch('/api/lifts/RS-A')).ok);
  const node = (await reader()) ?? lw;
  const as = async (id: string): Promise<Authed> => authed(node.httpUrl, await login(node.httpUrl, id, PASSWORD));
  const home = await as('reg-d-home');
  const other = await as('reg-d-other');
  const sees = async (who: Authed) => ({
    lift: (await who.fetch('/api/lifts/RS-A')).status,
    alerts: (await who.get<{ alerts: AlertView[] }>('/api/alerts')).alerts.filter((a) => a.liftId === 'RS-A').length,
    lifts: (await who.get<{ lifts: LiftSummary[] }>('/api/lifts')).lifts.map((l) => l.liftId),
    district: (await who.get<{ lifts: number }>(`/api/overview?areaCode=${(await who.get<{ areaCode: string }>('/api/me')).areaCode}`)).lifts,
  });

  // What the terminal reports gives the other district nothing.
  expect(await sees(other)).toEqual({ lift: 404, alerts: 0, lifts: [], district: 0 });
  expect(await sees(home)).toEqual({ lift: 404, alerts: 0, lifts: [], district: 0 });
  expect((await node.get<{ lifts: unknown[] }>(`/api/districts/${OTHER}/status`)).lifts).toEqual([]);

  // An admin registers the lift in its district: that district's regulator sees it and its alert, the other still does not.
  const set = await put('/api/lift-registry/RS-A', { areaCode: HOME });
  expect(set).toMatchObject({ liftId: 'RS-A', registry: { areaCode: HOME, updatedBy: 'admin' }, reported: { areaCode: OTHER } });
  await waitFor('the home district to see the lift', async () => JSON.stringify(await sees(home)) === JSON.stringify({ lift: 200, alerts: 1, lifts: ['RS-A'], district: 1 }), 15_000);
  expect(await sees(other)).toEqual({ lift: 404, alerts: 0, lifts: [], district: 0 });
  expect(await home.get('/api/lifts/RS-A')).toMatchObject({ registered: { areaCode: HOME }, registry: { areaCode: OTHER } }); // shown as reported
  expect((await node.get<{ lifts: Array<{ liftId: string }> }>(`/api/districts/${HOME}/status`)).lifts.map((l) => l.liftId)).toEqual(['RS-A']);
  const csv = await (await lw.fetch('/api/exports/lifts.csv')).text();
  expect(csv).toMatch(/areaCode,reportedAreaCode/);
  expect(csv).toContain(`,${HOME},${OTHER},`);

  // The terminal insisting again changes nothing.
  await client.publishAsync(liftTopic('RS-A', 'registry'), JSON.stringify({ ...GOLDEN.registry, liftId: 'RS-A', seq: 3, ts: Date.now(), areaCode: OTHER }), { qos: 1 });
  expect(await sees(other)).toEqual({ lift: 404, alerts: 0, lifts: [], district: 0 });
  expect((await home.fetch('/api/lift-registry/RS-A', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ areaCode: OTHER }) })).status).toBe(403);
  const bad = await lw.fetch('/api/lift-registry/RS-A', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ areaCode: '3301' }) });
  expect(bad.status).toBe(400);
  // Many lifts at once (an import), all or none.
  const bulk = await lw.fetch('/api/lift-registry', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ entries: [{ liftId: 'RS-A', areaCode: OTHER }, { liftId: 'RS-B', areaCode: HOME }] }) });
  expect(await bulk.json()).toEqual({ updated: 2 });
  await waitFor('the lift to move to the other district', async () => (await sees(other)).lift === 200 && (await sees(home)).district === 0, 15_000);
  await client.endAsync();
}

describe('lift scope comes from the platform\'s registry, not from the terminal', () => {
  it('in the all-in-one process (SQLite)', async () => {
    const lw = await startTestLiftwatch({ models: false });
    try {
      await scenario(lw);
    } finally {
      await lw.stop();
    }
  });

  it('on shared state (PostgreSQL), read through a second node', async () => {
    const stateUrl = await pg.newDatabase('registry_scope');
    const lw = await startTestLiftwatch({ models: false, stateUrl, alertRedisUrl: redis.url });
    let b: Awaited<ReturnType<typeof startTestLiftwatch>> | undefined;
    try {
      await scenario(lw, async () => (b = await startTestLiftwatch({ models: false, stateUrl, roles: 'broker,dashboards' })));
    } finally {
      await b?.stop();
      await lw.stop();
    }
  });
});
