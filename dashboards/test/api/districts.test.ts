// The regulator console's overview and riskiest lists (src/api/districts.ts) read an in-memory fleet
// index. These tests check them against the straightforward computation over the API's own lists
// (the algorithm the routes used before the index), as admin and as scoped users, and that the index
// follows changes: lifts reporting, lifts appearing, alerts opening and moving, crew assignments and
// maintenance work orders completed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN, type AlertDetail, type AlertView, type LiftSummary, type WorkOrder } from '@liftwatch/contract';
import { fakePorts } from '../fake-ports.js';
import { testApp, type TestApp } from '../test-app.js';

const DAY = 86_400_000;
/** Every lift's maintenance plan started 40 days ago. */
const PLAN_START = Date.now() - 40 * DAY;
const AREAS = ['330101', '330102', '330103'];
// Lift ids whose collation order differs from their byte order (for the liftId sort and its ties).
const ids = Array.from({ length: 48 }, (_, i) => (i % 7 === 3 ? `dx-${String(i).padStart(3, '0')}` : `DX-${String(i).padStart(3, '0')}`));
const silentIds = ids.filter((_, i) => i % 5 === 0);
const e01: number[] = [];
let t: TestApp;
type Who = 'admin' | 'reg' | 'crew' | 'use';
const get = async <T>(who: Who, url: string): Promise<T> => {
  const r = await t.call(who, 'GET', url);
  if (r.status !== 200) throw new Error(`GET ${url}: ${r.status} ${r.body}`);
  return r.json<T>();
};

/** The routes' computation before the fleet index, over the API's lists (as admin: every lift, alert and visit). */
async function reference(who: Who, areaCode?: string) {
  const now = Date.now();
  const lifts = (await get<{ lifts: LiftSummary[] }>(who, '/api/lifts?limit=5000')).lifts.filter((l) => areaCode === undefined || l.registered?.areaCode === areaCode);
  const inScope = new Set(lifts.map((l) => l.liftId));
  const alerts = (await get<{ alerts: AlertView[] }>('admin', '/api/alerts?limit=5000')).alerts;
  const isActive = (a: AlertView) => a.state === 'open' || a.state === 'acknowledged' || a.state === 'onSite';
  const month = alerts.filter((a) => inScope.has(a.liftId) && a.openedAt > now - 30 * DAY);
  const entrapments = month.filter((a) => a.code === 'E01');
  const rescue = [];
  for (const a of entrapments) {
    const onSite = (await get<AlertDetail>('admin', `/api/alerts/${a.id}`)).audit.find((e) => e.action === 'onSite');
    rescue.push({ alertId: a.id, liftId: a.liftId, openedAt: a.openedAt, arrivalMs: onSite ? onSite.at - a.openedAt : null });
  }
  // A lift is overdue when its plan's cycle has passed since its last completed maintenance work order (or the plan's start).
  const lastDone = new Map<string, number>();
  for (const o of (await get<{ workOrders: WorkOrder[] }>('admin', '/api/work-orders?state=completed&limit=1000')).workOrders) {
    if (o.kind === 'maintenance' && inScope.has(o.liftId)) lastDone.set(o.liftId, Math.max(lastDone.get(o.liftId) ?? 0, o.endedAt!));
  }
  const planned = new Set<string>();
  for (const l of lifts) if ((await t.call('admin', 'GET', `/api/maintenance-plans/${l.liftId}`)).status === 200) planned.add(l.liftId);
  const per1000 = (n: number) => (lifts.length === 0 ? 0 : Math.round((n / lifts.length) * 1000 * 100) / 100);
  const bySeverity: Record<string, number> = { P1: 0, P2: 0, P3: 0, P4: 0 };
  for (const a of month.filter(isActive)) bySeverity[a.severity]! += 1;
  const overview = {
    areaCode: areaCode ?? null,
    lifts: lifts.length,
    online: lifts.filter((l) => l.presence === 'online').length,
    silent: lifts.filter((l) => now - l.lastSeenAt > 15 * 60_000).map((l) => l.liftId).slice(0, 500),
    openAlerts: bySeverity,
    grades: { none: lifts.length },
    per1000LiftsLast30Days: { failures: per1000(month.filter((a) => a.severity === 'P1' || a.severity === 'P2').length), entrapments: per1000(entrapments.length) },
    rescue: { limitMs: 30 * 60_000, arrivals: rescue, overLimit: rescue.filter((r) => (r.arrivalMs === null ? now - r.openedAt > 30 * 60_000 : r.arrivalMs > 30 * 60_000)).length },
    overdueMaintenance: { days: 15, count: lifts.filter((l) => planned.has(l.liftId) && now - Math.max(PLAN_START, lastDone.get(l.liftId) ?? 0) > 15 * DAY).length },
  };
  const sev = new Map<string, { P1: number; P2: number }>();
  for (const a of alerts.filter(isActive)) {
    const s = sev.get(a.liftId) ?? { P1: 0, P2: 0 };
    if (a.severity === 'P1') s.P1++;
    if (a.severity === 'P2') s.P2++;
    sev.set(a.liftId, s);
  }
  const riskiest = (sort: 'risk' | 'health' | 'predicted' | 'openAlerts' | 'lastSeenAt' | 'liftId', limit: number) => {
    const rows = lifts.map((l) => ({
      liftId: l.liftId, name: l.registry?.name ?? null, areaCode: l.registered?.areaCode ?? null, presence: l.presence, lastSeenAt: l.lastSeenAt, openAlerts: l.openAlerts,
      p1: sev.get(l.liftId)?.P1 ?? 0,
      risk: (sev.get(l.liftId)?.P1 ?? 0) * 1000 + (sev.get(l.liftId)?.P2 ?? 0) * 100 + (now - l.lastSeenAt > 15 * 60_000 ? 10 : 0) + l.openAlerts,
      predictedRisk: null,
      health: null,
    }));
    // No health scores or predictions here: health and predicted fall back to the lift id; risk puts open P1s first.
    rows.sort((a, b) => (sort === 'liftId' || sort === 'health' || sort === 'predicted' ? a.liftId.localeCompare(b.liftId) : sort === 'lastSeenAt' ? a.lastSeenAt - b.lastSeenAt
      : sort === 'risk' ? (b.p1 - a.p1) || (b.risk - a.risk) || a.liftId.localeCompare(b.liftId) : (b[sort] - a[sort]) || a.liftId.localeCompare(b.liftId)));
    return { total: rows.length, sort, lifts: rows.slice(0, limit) };
  };
  return { overview, riskiest };
}

/** The routes' answers equal the reference, for the whole scope and each area, every sort and a few limits. */
async function expectAsReference(who: Who) {
  for (const areaCode of [undefined, ...AREAS]) {
    const q = areaCode ? `areaCode=${areaCode}&` : '';
    const ref = await reference(who, areaCode);
    expect(await get(who, `/api/overview?${q.slice(0, -1)}`)).toEqual(ref.overview);
    for (const sort of ['risk', 'health', 'predicted', 'openAlerts', 'lastSeenAt', 'liftId'] as const) {
      for (const limit of [1, 5, 50]) expect({ who, sort, limit, body: await get(who, `/api/riskiest?${q}sort=${sort}&limit=${limit}`) }).toEqual({ who, sort, limit, body: ref.riskiest(sort, limit) });
    }
  }
}

beforeAll(async () => {
  const ports = fakePorts();
  const now = Date.now();
  // Added out of order; some without a registry (no area); a few seen at the very same millisecond.
  for (const [i, liftId] of [...ids.entries()].reverse()) {
    const seen = silentIds.includes(liftId) ? now - 3_600_000 - (i % 3) * 1000 : now - (i % 4) * 1000;
    const registered = i % 11 !== 10;
    ports.lift(liftId, {
      ...(registered ? { areaCode: AREAS[i % 3]!, registry: { ...GOLDEN.registry, liftId, areaCode: AREAS[i % 3]!, name: `Block ${i}` } } : {}),
      firstSeenAt: now - 40 * DAY, lastSeenAt: seen, presence: (['online', 'offline', 'unknown'] as const)[i % 3]!, openAlerts: i % 6,
    });
  }
  const codes = ['E07', 'E09', 'D01', 'E02', 'E08', 'D01'];
  for (let k = 0; k < 30; k++) {
    const at = now - ((k * 37) % 44) * DAY - k * 60_000;
    ports.raise(ids[(k * 7) % ids.length]!, codes[k % codes.length]!, { openedAt: at, updatedAt: at + 1000, state: (['open', 'acknowledged', 'resolved', 'open'] as const)[k % 4]! });
  }
  for (let k = 0; k < 9; k++) {
    const at = now - (k * 3 + 1) * DAY;
    const arrived = k % 3 === 0 ? null : at + (k % 3 === 1 ? 10 : 45) * 60_000; // k % 3 === 0: nobody on site yet
    const audit = arrived === null ? [] : [{ at: arrived, action: 'onSite', actor: 'crew', note: '' }, { at: arrived + 1000, action: 'resolved', actor: 'crew', note: 'released' }];
    e01.push(ports.raise(ids[(k * 5 + 2) % ids.length]!, 'E01', { openedAt: at, updatedAt: arrived ?? at, state: arrived === null ? 'open' : 'resolved', audit }).id);
  }
  const { crews, maintenance } = ports.deps;
  // Every lift has a plan; every third had maintenance completed, some of it long enough ago to be overdue again.
  await maintenance.putPlans(ids.map((liftId) => ({ liftId, startsAt: PLAN_START, cycleDays: 15, itemSet: 'traction' as const })), 'admin');
  for (let k = 0; k < 40; k++) {
    const at = now - ((k * 3) % 25) * DAY - k * 60_000;
    const { order } = await maintenance.createWorkOrder({ liftId: ids[(k * 3) % ids.length]!, kind: 'maintenance', class: 'halfMonthly', alertId: null, dueAt: at, assignee: null, checklist: [], createdBy: 'mgr', createdAt: at });
    await maintenance.updateWorkOrder(order.id, ['open'], { state: 'completed', startedAt: at - 3_600_000, endedAt: at });
  }
  await crews.upsertOrg({ id: 'mu-A', kind: 'maintenanceUnit', name: 'Unit A' });
  await crews.upsertOrg({ id: 'd-1', kind: 'district', name: 'District 1' });
  await crews.upsertOrg({ id: 'uu-A', kind: 'useUnit', name: 'Use unit A' });
  // Unit A maintains every fourth lift; district d-1 also supervises three lifts outside area 330101.
  for (const [i, liftId] of ids.entries()) {
    if (i % 4 === 0 || [1, 2, 4].includes(i)) await crews.assignLift({ liftId, maintenanceUnit: 'mu-A', useUnit: i % 8 === 0 ? 'uu-A' : null, district: [1, 2, 4].includes(i) ? 'd-1' : null });
  }
  t = await testApp({ ports });
  t.user('reg', 'regulator', 'd-1', { areaCode: '330101' });
  t.user('crew', 'crew', 'mu-A');
  t.user('use', 'useUnit', 'uu-A');
});
afterAll(() => t.close());

describe('district overview and riskiest lifts', () => {
  it('answer as the computation over every lift, alert and work order did, for admin and for scoped users', async () => {
    const overview = await get<{ lifts: number; silent: string[]; rescue: { arrivals: unknown[]; overLimit: number }; overdueMaintenance: { count: number } }>('admin', '/api/overview');
    // The data has something in every part.
    expect(overview).toMatchObject({ lifts: ids.length, silent: expect.arrayContaining(silentIds) });
    expect(overview.rescue.arrivals.length).toBeGreaterThan(3);
    expect(overview.rescue.overLimit).toBeGreaterThan(0);
    expect(overview.overdueMaintenance.count).toBeGreaterThan(0);
    expect(overview.overdueMaintenance.count).toBeLessThan(ids.length);
    expect((await get<{ lifts: number }>('reg', '/api/overview')).lifts).toBe(ids.filter((_, i) => i % 11 !== 10 && i % 3 === 0).length + 3);
    for (const who of ['admin', 'reg', 'crew', 'use'] as const) await expectAsReference(who);
  });

  it('follow lifts reporting and appearing, alerts opening and moving, assignments and completed maintenance at once', async () => {
    type Overview = { lifts: number; silent: string[]; openAlerts: Record<string, number>; rescue: { arrivals: Array<{ alertId: number; arrivalMs: number | null }> }; overdueMaintenance: { count: number } };
    const before = await get<Overview>('admin', '/api/overview');
    // A silent lift reports again: it leaves the silent list.
    const silentLift = silentIds.find((id) => id.startsWith('DX-'))!;
    t.ports.lift(silentLift, { ...(await t.ports.deps.lifts.get(silentLift))!, lastSeenAt: Date.now() });
    t.ports.deps.changes.publish({ kind: 'lifts', liftIds: [silentLift] });
    expect((await get<Overview>('admin', '/api/overview')).silent).not.toContain(silentLift);
    // A new lift, registered by an admin in area 330102, is counted there.
    const fresh = 'DX-900';
    t.ports.lift(fresh);
    expect((await t.call('admin', 'PUT', `/api/lift-registry/${fresh}`, { areaCode: '330102' })).status).toBe(200);
    expect((await get<Overview>('admin', '/api/overview?areaCode=330102')).lifts).toBe(ids.filter((_, i) => i % 11 !== 10 && i % 3 === 1).length + 1);
    // A P1 opens on it: counted, and the lift joins those with a P1 at the top of the riskiest list.
    t.ports.raise(fresh, 'E02');
    expect((await get<Overview>('admin', '/api/overview')).openAlerts['P1']).toBe(before.openAlerts['P1']! + 1);
    const top = (await get<{ lifts: Array<{ liftId: string; p1: number }> }>('admin', '/api/riskiest?sort=risk&limit=50')).lifts;
    const rank = top.findIndex((l) => l.liftId === fresh);
    expect(top[rank]).toMatchObject({ p1: 1 });
    expect(top.slice(0, rank).every((l) => l.p1 >= 1)).toBe(true);
    // A crew on site for an entrapment nobody had reached: its arrival time is there at once.
    const waiting = e01[0]!;
    expect(before.rescue.arrivals.find((r) => r.alertId === waiting)?.arrivalMs).toBeNull();
    expect((await t.call('admin', 'POST', `/api/alerts/${waiting}/on-site`, { note: 'arrived' })).status).toBe(200);
    const after = await get<Overview>('admin', '/api/overview');
    expect(after.rescue.arrivals.find((r) => r.alertId === waiting)?.arrivalMs).toBeGreaterThan(0);
    // A maintenance work order completed on an overdue lift: one fewer overdue, at once (a check-in alone is not maintenance done).
    const overdue = ids[7]!; // work orders went to every third lift only
    const order = (await t.call('admin', 'POST', '/api/work-orders', { liftId: overdue })).json<WorkOrder>();
    expect((await t.call('admin', 'POST', `/api/work-orders/${order.id}/start`, { technician: 'tech' })).status).toBe(200);
    expect((await get<Overview>('admin', '/api/overview')).overdueMaintenance.count).toBe(after.overdueMaintenance.count);
    const items = order.checklist.map((e) => ({ itemId: e.itemId, result: 'ok' }));
    expect((await t.call('admin', 'POST', `/api/work-orders/${order.id}/complete`, { technician: 'tech', items })).status).toBe(200);
    expect((await get<Overview>('admin', '/api/overview')).overdueMaintenance.count).toBe(after.overdueMaintenance.count - 1);
    // District d-1 takes on one more lift outside its area: the regulator sees it at once.
    const regBefore = await get<{ lifts: number }>('reg', '/api/overview');
    expect((await t.call('admin', 'PUT', `/api/crew-lifts/${ids[5]!}`, { maintenanceUnit: 'mu-A', useUnit: null, district: 'd-1' })).status).toBe(200);
    expect((await get<{ lifts: number }>('reg', '/api/overview')).lifts).toBe(regBefore.lifts + 1);
    // A new lift registered by an admin in the regulator's area joins their (reused) scope.
    t.ports.lift('DX-901');
    expect((await t.call('admin', 'PUT', '/api/lift-registry/DX-901', { areaCode: '330101' })).status).toBe(200);
    expect((await get<{ lifts: number }>('reg', '/api/overview')).lifts).toBe(regBefore.lifts + 2);
    // And everything still answers as the computation over the lists does.
    for (const who of ['admin', 'reg', 'crew'] as const) await expectAsReference(who);
  });

  it('take last-seen times and presence from the records stored, without reading the lifts again', async () => {
    const silent = (await get<{ silent: string[] }>('admin', '/api/overview')).silent.filter((id) => id.startsWith('DX-'));
    const [reports, goesOffline] = [silent[0]!, silent[1]!];
    let reads = 0;
    const lifts = t.ports.deps.lifts;
    const { get: getLift, getMany } = lifts;
    Object.assign(lifts, { get: (id: string) => { reads++; return getLift(id); }, getMany: getMany && ((ids: readonly string[]) => { reads += ids.length; return getMany(ids); }) });
    try {
      t.ports.deps.changes.publish({ kind: 'liftsSeen', liftIds: [reports, goesOffline], lastSeenAt: [Date.now(), 0], presence: [undefined, 'offline'] });
      const overview = await get<{ silent: string[] }>('admin', '/api/overview');
      expect(overview.silent).not.toContain(reports);
      expect(overview.silent).toContain(goesOffline);
      const listed = (await get<{ lifts: Array<{ liftId: string; presence: string }> }>('admin', '/api/riskiest?sort=lastSeenAt&limit=500')).lifts;
      expect(listed.find((l) => l.liftId === goesOffline)?.presence).toBe('offline');
      expect(reads).toBe(0);
    } finally {
      Object.assign(lifts, { get: getLift, getMany });
    }
  });

  it('refuses a wrong sort or area, naming it', async () => {
    expect((await t.call('admin', 'GET', '/api/riskiest?sort=age')).json()['error']).toMatchObject({ code: 'LW_ERR_REQUEST_INVALID', message: expect.stringMatching(/^request querystring\/sort /) });
    expect((await t.call('admin', 'GET', '/api/overview?areaCode=33')).json()['error']).toMatchObject({ message: expect.stringMatching(/^request querystring\/areaCode must match pattern/) });
  });
});
