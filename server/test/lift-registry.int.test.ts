import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN, liftTopic, type AlertDetail, type AlertView, type WorkOrder } from '@liftwatch/contract';
import { tempDir, waitFor } from '@liftwatch/test-kit';
import { startPostgres, startRedis, type RunningPostgres } from '@liftwatch/test-kit/servers';
import { authed, login, startTestLiftwatch, terminal, type Authed } from './helpers.js';

// The lift registry as master data and statutory maintenance, through the real server: CSV import of a city district,
// work orders from the plan and from an alert, photos as files, the overdue list from completed work orders.
let pg: RunningPostgres;
let redis: Awaited<ReturnType<typeof startRedis>>;
beforeAll(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
});
afterAll(async () => {
  await pg?.stop();
  await redis?.stop();
});

type Lw = Awaited<ReturnType<typeof startTestLiftwatch>>;
const PASSWORD = 'meadow copper kettle';
const DAY = 86_400_000;
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('brake lining, before')]);
const HEADER = 'liftId,registrationCode,name,maintenanceUnit,address,latitude,longitude,areaCode,type,ratedSpeedMps,floors,installDate,inspectionDate,inspectionResult,inspectionNextDue';
const line = (i: number) => `L-${i},3110330106201${String(i).padStart(7, '0')},"${i}号楼",mu-1,"西湖区 ${i} 号",30.25,120.15,330106,${i % 50 === 0 ? 'escalator' : 'traction'},1.75,${i % 50 === 0 ? '' : 12},2015-03-01,2024-06-01,pass,2025-06-01`;

async function call<T = Record<string, unknown>>(who: Authed, method: string, path: string, body?: unknown, type = 'application/json'): Promise<{ status: number; json: T }> {
  const res = await who.fetch(path, { method, headers: body === undefined ? {} : { 'content-type': type }, ...(body === undefined ? {} : { body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) }) });
  return { status: res.status, json: (await res.json()) as T };
}
const ok = async <T = WorkOrder>(who: Authed, method: string, path: string, body?: unknown): Promise<T> => {
  const r = await call<T>(who, method, path, body);
  if (r.status !== 200) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
};

/** Units and people: unit mu-1 with a manager and a technician. */
async function people(lw: Lw): Promise<{ mgr: Authed; tech: Authed }> {
  await ok(lw, 'PUT', '/api/organisations/mu-1', { kind: 'maintenanceUnit', name: '西湖电梯维保' });
  for (const [id, role] of [['mgr-1', 'manager'], ['tech-1', 'crew']] as const) await ok(lw, 'PUT', `/api/users/${id}`, { name: id, role, orgId: 'mu-1', password: PASSWORD });
  return { mgr: authed(lw.httpUrl, await login(lw.httpUrl, 'mgr-1', PASSWORD)), tech: authed(lw.httpUrl, await login(lw.httpUrl, 'tech-1', PASSWORD)) };
}

async function importDistrict(lw: Lw, count: number, tech: Authed): Promise<void> {
  const lines = Array.from({ length: count }, (_, i) => line(i));
  lines[17] = lines[17]!.replace(',330106,', ',3301,'); // line 19
  lines[count - 2] = lines[count - 2]!.replace('3110330106201', '2110330106201'); // a boiler's code
  const refused = await call<{ rows: number; imported: number; errors: Array<{ line: number; column: string; message: string }>; error: { code: string } }>(lw, 'POST', '/api/lift-registry/import', `${HEADER}\n${lines.join('\n')}\n`, 'text/csv');
  expect(refused.status).toBe(422);
  expect(refused.json).toMatchObject({ rows: count, imported: 0, error: { code: 'LW_ERR_IMPORT_INVALID' } });
  expect(refused.json.errors.map((e) => [e.line, e.column])).toEqual([[19, 'areaCode'], [count, 'registrationCode']]);
  expect((await lw.get<{ entries: unknown[] }>('/api/lift-registry?limit=10')).entries).toEqual([]); // nothing written
  const good = Array.from({ length: count }, (_, i) => line(i)).join('\n');
  expect((await call(lw, 'POST', '/api/lift-registry/import', `${HEADER}\n${good}\n`, 'text/csv')).json).toMatchObject({ rows: count, imported: count, inspections: count, errors: [] });
  // The units are the crews' assignment: the unit's technician sees the district's lifts.
  expect((await tech.get<{ entries: unknown[] }>('/api/lift-registry?limit=5000')).entries).toHaveLength(Math.min(count, 5000));
  const exported = await (await lw.fetch('/api/exports/lift-registry.csv')).text();
  expect(exported.trim().split('\r\n')).toHaveLength(count + 1);
}

/** A plan, a visit with its checklist, a photo, sign-off; an entrapment's repair with its finding. */
async function maintain(lw: Lw, reader: Lw, mgr: Authed, tech: Authed): Promise<void> {
  await ok(mgr, 'PUT', '/api/maintenance-plans/L-1', { startsAt: Date.now() - 20 * DAY });
  await ok(mgr, 'POST', '/api/maintenance-plans', { plans: [{ liftId: 'L-50', startsAt: Date.now() - 3 * DAY }] });
  expect(await ok(lw, 'GET', '/api/maintenance/overdue')).toMatchObject({ count: 1, lifts: [{ liftId: 'L-1', lastCompletedAt: null }] });
  const order = await ok(mgr, 'POST', '/api/work-orders', { liftId: 'L-1' });
  expect(order).toMatchObject({ class: 'halfMonthly', state: 'open' });
  const escalator = await ok(mgr, 'POST', '/api/work-orders', { liftId: 'L-50' });
  expect(escalator.checklist[0]!.itemId).toMatch(/^E-H/); // the escalator annex's items
  await ok(tech, 'POST', `/api/work-orders/${order.id}/start`, {});
  expect(await ok<Array<Record<string, unknown>>>(tech, 'GET', '/api/maintenance-visits?liftId=L-1').then((v) => (v as unknown as { visits: unknown[] }).visits[0])).toMatchObject({ liftId: 'L-1', technician: 'tech-1', endedAt: null });
  const photo = await call<{ id: number; sha256: string }>(tech, 'POST', `/api/work-orders/${order.id}/photos?itemId=T-H05`, JPEG, 'image/jpeg');
  expect(photo.status).toBe(200);
  const back = await authed(reader.httpUrl, tech.token).fetch(`/api/work-orders/${order.id}/photos/${photo.json.id}`);
  expect([back.status, back.headers.get('content-type'), Buffer.from(await back.arrayBuffer()).equals(JPEG)]).toEqual([200, 'image/jpeg', true]);
  const items = order.checklist.map((e) => ({ itemId: e.itemId, result: 'ok' }));
  const done = await ok(tech, 'POST', `/api/work-orders/${order.id}/complete`, { items });
  expect(done).toMatchObject({ state: 'completed', signedBy: 'tech-1', photos: [{ itemId: 'T-H05' }] });
  expect(done.endedAt! - done.startedAt!).toBeGreaterThanOrEqual(0);
  expect(await ok(reader, 'GET', '/api/maintenance/overdue')).toEqual({ count: 0, lifts: [] });

  // An entrapment from the lift's terminal becomes the repair work order; its finding resolves the alert.
  const client = await terminal(lw, 'L-1');
  const ts = Date.now();
  await client.publishAsync(liftTopic('L-1', 'status'), JSON.stringify({ ...GOLDEN.status, liftId: 'L-1', seq: 1, ts, speedMps: 0.5, direction: 'up', doorZone: false, carDoor: 'open' }), { qos: 1 });
  const alert = await waitFor('the P1 alert', async () => (await lw.get<{ alerts: AlertView[] }>('/api/alerts?liftId=L-1')).alerts[0]);
  const repair = await ok<{ workOrder: WorkOrder; created: boolean }>(tech, 'POST', `/api/alerts/${alert.id}/work-order`, {});
  expect(repair).toMatchObject({ created: true, workOrder: { kind: 'repair', alertId: alert.id } });
  await ok(tech, 'POST', `/api/work-orders/${repair.workOrder.id}/start`, {});
  await ok(tech, 'POST', `/api/work-orders/${repair.workOrder.id}/complete`, { finding: { outcome: 'confirmed', component: 'doorLock', partReplaced: 'landing door lock contact' } });
  expect(await lw.get<AlertDetail>(`/api/alerts/${alert.id}`)).toMatchObject({ state: 'resolved', finding: { outcome: 'confirmed', component: 'doorLock' } });
  await client.endAsync();
}

describe('lift registry and maintenance through the server', () => {
  it('in the all-in-one (SQLite): 10,000 lifts imported with their lines at fault named; photos as files in the data dir', async () => {
    const lw = await startTestLiftwatch({ models: false });
    try {
      const { mgr, tech } = await people(lw);
      await importDistrict(lw, 10_000, tech);
      await maintain(lw, lw, mgr, tech);
      const [order] = (await lw.get<{ workOrders: WorkOrder[] }>('/api/work-orders?liftId=L-1&state=completed')).workOrders.filter((o) => o.kind === 'maintenance');
      const { sha256 } = order!.photos[0]!;
      const file = join(lw.dir.path, 'photos', sha256.slice(0, 2), sha256);
      expect(existsSync(file) && readFileSync(file).equals(JPEG)).toBe(true);
    } finally {
      await lw.stop();
    }
  });

  it('on shared state (PostgreSQL): a second node reads the registry, the work orders and their photos (a shared photo dir)', async () => {
    const stateUrl = await pg.newDatabase('registry_maintenance');
    const photos = tempDir('liftwatch-photos-');
    const lw = await startTestLiftwatch({ models: false, stateUrl, alertRedisUrl: redis.url, photoDir: photos.path });
    let b: Lw | undefined;
    try {
      const { mgr, tech } = await people(lw);
      await importDistrict(lw, 1_000, tech);
      b = await startTestLiftwatch({ models: false, stateUrl, roles: 'broker,dashboards', photoDir: photos.path });
      expect(await b.get(`/api/lift-registry/L-7`)).toMatchObject({ registry: { name: '7号楼', maintenanceUnit: 'mu-1', type: 'traction' }, lastInspection: { nextDue: '2025-06-01' } });
      await maintain(lw, b, mgr, tech);
    } finally {
      await b?.stop();
      await lw.stop();
      photos.remove();
    }
  });
});
