// The regulator console's overview and riskiest lists (dashboards/src/api/districts.ts) read an
// in-memory fleet index. These tests check them against the straightforward computation over the
// API's own lists (the algorithm the routes used before the index), as admin and as scoped users,
// and that the index follows changes: lifts reporting, lifts appearing, alerts opening and moving,
// crew assignments and maintenance visits.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlerting } from '@liftwatch/alerting';
import { GOLDEN, liftTopic, type AlertDetail, type AlertView, type LiftSummary, type MaintenanceVisit } from '@liftwatch/contract';
import { tempDir, waitFor } from '@liftwatch/test-kit';
import { makeConfig } from '../src/config.js';
import { startLiftwatch, type Running } from '../src/liftwatch.js';
import { authed, login, terminalsPerLift, TEST_ADMIN_PASSWORD, type Authed } from './helpers.js';

const DAY = 86_400_000;
const PASSWORD = 'districts-password';
const AREAS = ['330101', '330102', '330103'];
const dir = tempDir();
// Without the models: the health grades are the models' own tests; here the fleet index is compared with the plain computation.
const config = makeConfig({ host: '127.0.0.1', mqttPort: 0, httpPort: 0, dataDir: dir.path, adminPassword: TEST_ADMIN_PASSWORD, models: false });
let lw: Running;
let admin: Authed;
const as: Record<string, Authed> = {};
const liftTerminals = terminalsPerLift(() => lw);
// Lift ids whose collation order differs from their byte order (for the liftId sort and its ties).
const ids = Array.from({ length: 48 }, (_, i) => (i % 7 === 3 ? `dx-${String(i).padStart(3, '0')}` : `DX-${String(i).padStart(3, '0')}`));
const silentIds = ids.filter((_, i) => i % 5 === 0);
const e01: number[] = [];

/** The routes' computation before the fleet index, over the API's lists (as admin: every lift, alert and visit). */
async function reference(user: Authed, areaCode?: string) {
  const now = Date.now();
  const mine = (await user.get<{ lifts: LiftSummary[] }>('/api/lifts?limit=5000')).lifts;
  const lifts = mine.filter((l) => areaCode === undefined || l.registered?.areaCode === areaCode);
  const inScope = new Set(lifts.map((l) => l.liftId));
  const alerts = (await admin.get<{ alerts: AlertView[] }>('/api/alerts?limit=5000')).alerts;
  const month = alerts.filter((a) => inScope.has(a.liftId) && a.openedAt > now - 30 * DAY);
  const active = month.filter((a) => a.state === 'open' || a.state === 'acknowledged' || a.state === 'onSite');
  const entrapments = month.filter((a) => a.code === 'E01');
  const rescue = [];
  for (const a of entrapments) {
    const onSite = (await admin.get<AlertDetail>(`/api/alerts/${a.id}`)).audit.find((e) => e.action === 'onSite' || e.action.includes('onSite'));
    rescue.push({ alertId: a.id, liftId: a.liftId, openedAt: a.openedAt, arrivalMs: onSite ? onSite.at - a.openedAt : null });
  }
  const lastVisit = new Map<string, number>();
  for (const v of (await admin.get<{ visits: MaintenanceVisit[] }>('/api/maintenance-visits?limit=1000')).visits) {
    if (inScope.has(v.liftId)) lastVisit.set(v.liftId, Math.max(lastVisit.get(v.liftId) ?? 0, v.startedAt));
  }
  const per1000 = (n: number) => (lifts.length === 0 ? 0 : Math.round((n / lifts.length) * 1000 * 100) / 100);
  const bySeverity = { P1: 0, P2: 0, P3: 0, P4: 0 } as Record<string, number>;
  for (const a of active) bySeverity[a.severity] = (bySeverity[a.severity] ?? 0) + 1;
  const overview = {
    areaCode: areaCode ?? null,
    lifts: lifts.length,
    online: lifts.filter((l) => l.presence === 'online').length,
    silent: lifts.filter((l) => now - l.lastSeenAt > 15 * 60_000).map((l) => l.liftId).slice(0, 500),
    openAlerts: bySeverity,
    grades: null,
    per1000LiftsLast30Days: { failures: per1000(month.filter((a) => a.severity === 'P1' || a.severity === 'P2').length), entrapments: per1000(entrapments.length) },
    rescue: { limitMs: 30 * 60_000, arrivals: rescue, overLimit: rescue.filter((r) => r.arrivalMs === null ? now - r.openedAt > 30 * 60_000 : r.arrivalMs > 30 * 60_000).length },
    overdueMaintenance: { days: 15, count: lifts.filter((l) => now - (lastVisit.get(l.liftId) ?? 0) > 15 * DAY).length },
  };
  const sev = new Map<string, { P1: number; P2: number }>();
  for (const a of alerts.filter((x) => x.state === 'open' || x.state === 'acknowledged' || x.state === 'onSite')) {
    const s = sev.get(a.liftId) ?? { P1: 0, P2: 0 };
    if (a.severity === 'P1') s.P1++;
    if (a.severity === 'P2') s.P2++;
    sev.set(a.liftId, s);
  }
  const riskiest = (sort: 'risk' | 'openAlerts' | 'lastSeenAt' | 'liftId', limit: number) => {
    const rows = lifts.map((l) => ({
      liftId: l.liftId, name: l.registry?.name ?? null, areaCode: l.registered?.areaCode ?? null, presence: l.presence, lastSeenAt: l.lastSeenAt, openAlerts: l.openAlerts,
      p1: sev.get(l.liftId)?.P1 ?? 0,
      risk: (sev.get(l.liftId)?.P1 ?? 0) * 1000 + (sev.get(l.liftId)?.P2 ?? 0) * 100 + (now - l.lastSeenAt > 15 * 60_000 ? 10 : 0) + l.openAlerts,
      health: null,
    }));
    rows.sort((a, b) => sort === 'liftId' ? a.liftId.localeCompare(b.liftId) : sort === 'lastSeenAt' ? a.lastSeenAt - b.lastSeenAt : (b[sort] - a[sort]) || a.liftId.localeCompare(b.liftId));
    return { total: rows.length, sort, lifts: rows.slice(0, limit) };
  };
  return { overview, riskiest };
}

/** The routes' answers equal the reference, for the whole scope and each area, every sort and a few limits. */
async function expectAsReference(user: Authed) {
  for (const areaCode of [undefined, ...AREAS]) {
    const q = areaCode ? `areaCode=${areaCode}&` : '';
    const ref = await reference(user, areaCode);
    expect(await user.get(`/api/overview?${q.slice(0, -1)}`)).toEqual(ref.overview);
    for (const sort of ['risk', 'openAlerts', 'lastSeenAt', 'liftId'] as const) {
      for (const limit of [1, 5, 50]) expect({ sort, limit, body: await user.get(`/api/riskiest?${q}sort=${sort}&limit=${limit}`) }).toEqual({ sort, limit, body: ref.riskiest(sort, limit) });
    }
  }
}

beforeAll(async () => {
  // First start: the tables. Then the data is written as a city's would be after weeks of use.
  await (await startLiftwatch(config)).close();
  const db = new Database(join(dir.path, 'liftwatch.db'));
  const now = Date.now();
  const insert = db.prepare(`INSERT INTO lifts (lift_id, first_seen_rx, last_seen_rx, records_total, status_json, status_ts, registry_json, registry_ts, presence, presence_rx)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // The platform's registry as admins set it (an import): the area that decides scope.
  const register = db.prepare(`INSERT INTO lift_registry (lift_id, area_code, updated_at, updated_by) VALUES (?, ?, ?, 'admin')`);
  // Inserted out of order; some without a registry (no area); a few seen at the very same millisecond.
  for (const [i, liftId] of [...ids.entries()].reverse()) {
    const seen = silentIds.includes(liftId) ? now - 3_600_000 - (i % 3) * 1000 : now - (i % 4) * 1000;
    const registry = i % 11 === 10 ? null : JSON.stringify({ ...GOLDEN.registry, liftId, seq: 1, ts: now - DAY, areaCode: AREAS[i % 3], name: `Block ${i}` });
    insert.run(liftId, now - 40 * DAY, seen, 10, JSON.stringify({ ...GOLDEN.status, liftId, seq: 2, ts: seen }), seen, registry, registry ? now - DAY : null,
      ['online', 'offline', 'unknown'][i % 3], seen);
    if (registry) register.run(liftId, AREAS[i % 3], now - DAY);
  }
  let clock = now - 45 * DAY;
  const alerting = createAlerting({ db, now: () => (clock += 1000) });
  const raise = async (liftId: string, code: string, at: number) => {
    clock = at;
    return (await alerting.raise({ liftId, code, reason: 'test', evidence: { liftId, stream: 'event', seq: at, ts: at, values: {} } })).alert!;
  };
  const codes = ['E07', 'E09', 'D01', 'E02', 'E08', 'D01'];
  for (let k = 0; k < 30; k++) {
    const a = await raise(ids[(k * 7) % ids.length]!, codes[k % codes.length]!, now - ((k * 37) % 44) * DAY - k * 60_000);
    if (k % 4 === 1) await alerting.transition(a.id, 'acknowledged', 'crew');
    if (k % 4 === 2) await alerting.transition(a.id, 'resolved', 'crew', 'fixed');
  }
  for (let k = 0; k < 9; k++) {
    const a = await raise(ids[(k * 5 + 2) % ids.length]!, 'E01', now - (k * 3 + 1) * DAY);
    e01.push(a.id);
    if (k % 3 === 0) continue; // nobody on site yet
    clock = a.openedAt + (k % 3 === 1 ? 10 : 45) * 60_000;
    await alerting.transition(a.id, 'onSite', 'crew');
    await alerting.transition(a.id, 'resolved', 'crew', 'released');
  }
  for (let k = 0; k < 40; k++) {
    clock = now - ((k * 3) % 25) * DAY - k * 60_000;
    await alerting.maintenance.checkIn(ids[(k * 3) % ids.length]!, 'tech');
    await alerting.maintenance.checkOut(ids[(k * 3) % ids.length]!, 'tech');
  }
  await alerting.crew.upsertOrg({ id: 'mu-A', kind: 'maintenanceUnit', name: 'Unit A' });
  await alerting.crew.upsertOrg({ id: 'd-1', kind: 'district', name: 'District 1' });
  await alerting.crew.upsertOrg({ id: 'uu-A', kind: 'useUnit', name: 'Use unit A' });
  // Unit A maintains every fourth lift; district d-1 also supervises three lifts outside area 330101.
  for (const [i, liftId] of ids.entries()) {
    if (i % 4 === 0 || [1, 2, 4].includes(i)) await alerting.crew.assignLift({ liftId, maintenanceUnit: 'mu-A', useUnit: i % 8 === 0 ? 'uu-A' : null, district: [1, 2, 4].includes(i) ? 'd-1' : null });
  }
  await new Promise((r) => setTimeout(r, 300)); // escalation plans are written asynchronously
  await alerting.close();
  db.close();

  lw = await startLiftwatch(config);
  admin = authed(lw.httpUrl, await login(lw.httpUrl, 'admin', TEST_ADMIN_PASSWORD));
  const users = { reg: { role: 'regulator', orgId: 'd-1', areaCode: '330101' }, crew: { role: 'crew', orgId: 'mu-A', areaCode: null }, use: { role: 'useUnit', orgId: 'uu-A', areaCode: null } };
  for (const [id, u] of Object.entries(users)) {
    const res = await admin.fetch(`/api/users/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: id, ...u, password: PASSWORD }) });
    expect(res.status).toBe(200);
    as[id] = authed(lw.httpUrl, await login(lw.httpUrl, id, PASSWORD));
  }
});
afterAll(async () => {
  await liftTerminals.end();
  await lw?.close();
  dir.remove();
});

describe('district overview and riskiest lifts', () => {
  it('answer as the computation over every lift, alert and visit did, for admin and for scoped users', async () => {
    const overview = await admin.get<{ lifts: number; silent: string[]; rescue: { arrivals: unknown[]; overLimit: number }; overdueMaintenance: { count: number } }>('/api/overview');
    // The data has something in every part.
    expect(overview).toMatchObject({ lifts: ids.length, silent: expect.arrayContaining(silentIds) });
    expect(overview.rescue.arrivals.length).toBeGreaterThan(3);
    expect(overview.rescue.overLimit).toBeGreaterThan(0);
    expect(overview.overdueMaintenance.count).toBeGreaterThan(0);
    expect(overview.overdueMaintenance.count).toBeLessThan(ids.length);
    expect((await as['reg']!.get<{ lifts: number }>('/api/overview')).lifts).toBe(ids.filter((_, i) => i % 11 !== 10 && i % 3 === 0).length + 3);
    for (const user of [admin, as['reg']!, as['crew']!, as['use']!]) await expectAsReference(user);
  });

  it('follow lifts reporting and appearing, alerts opening and moving, assignments and visits at once', async () => {
    const silentLift = silentIds.find((id) => id.startsWith('DX-'))!;
    const before = await admin.get<{ lifts: number; online: number; silent: string[]; openAlerts: Record<string, number>; rescue: { arrivals: Array<{ alertId: number; arrivalMs: number | null }> }; overdueMaintenance: { count: number } }>('/api/overview');
    // A silent lift reports again: it leaves the silent list (the live page allows 2 s).
    const t = await liftTerminals.of(silentLift);
    await t.publishAsync(liftTopic(silentLift, 'status'), JSON.stringify({ ...GOLDEN.status, liftId: silentLift, seq: 100, ts: Date.now() }), { qos: 1 });
    await waitFor('the lift no longer silent', async () => !(await admin.get<{ silent: string[] }>('/api/overview')).silent.includes(silentLift), 2000);
    // A new lift in area 330102 appears in its area's count.
    const fresh = 'DX-900';
    const f = await liftTerminals.of(fresh);
    await f.publishAsync(liftTopic(fresh, 'registry'), JSON.stringify({ ...GOLDEN.registry, liftId: fresh, seq: 1, ts: Date.now(), areaCode: '330102', name: 'New block' }), { qos: 1 });
    await f.publishAsync(liftTopic(fresh, 'status'), JSON.stringify({ ...GOLDEN.status, liftId: fresh, seq: 2, ts: Date.now() }), { qos: 1 });
    expect((await admin.fetch(`/api/lift-registry/${fresh}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ areaCode: '330102' }) })).status).toBe(200);
    await waitFor('the new lift counted', async () => (await admin.get<{ lifts: number }>('/api/overview?areaCode=330102')).lifts === ids.filter((_, i) => i % 11 !== 10 && i % 3 === 1).length + 1, 2000);
    // A P1 opens on it (moving with the car door open): counted, and the lift joins those with a P1 at the top of the riskiest list.
    await f.publishAsync(liftTopic(fresh, 'status'), JSON.stringify({ ...GOLDEN.status, liftId: fresh, seq: 3, ts: Date.now(), speedMps: 0.5, direction: 'up', doorZone: false, carDoor: 'open' }), { qos: 1 });
    await waitFor('the P1 counted', async () => (await admin.get<{ openAlerts: Record<string, number> }>('/api/overview')).openAlerts['P1'] === before.openAlerts['P1']! + 1, 2000);
    const top = (await admin.get<{ lifts: Array<{ liftId: string; p1: number }> }>('/api/riskiest?sort=risk&limit=50')).lifts;
    const rank = top.findIndex((l) => l.liftId === fresh);
    expect(top[rank]).toMatchObject({ p1: 1 });
    expect(top.slice(0, rank).every((l) => l.p1 >= 1)).toBe(true);
    // A crew on site for an entrapment nobody had reached: its arrival time is there at once.
    const waiting = e01[0]!;
    expect(before.rescue.arrivals.find((r) => r.alertId === waiting)?.arrivalMs).toBeNull();
    expect((await admin.fetch(`/api/alerts/${waiting}/on-site`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ note: 'arrived' }) })).status).toBe(200);
    const after = await admin.get<typeof before>('/api/overview');
    expect(after.rescue.arrivals.find((r) => r.alertId === waiting)?.arrivalMs).toBeGreaterThan(0);
    // A maintenance visit on an overdue lift: one fewer overdue, at once.
    const overdue = ids[7]!; // visits went to every third lift only
    expect((await admin.get<{ visits: MaintenanceVisit[] }>(`/api/maintenance-visits?liftId=${overdue}`)).visits).toEqual([]);
    expect((await admin.fetch(`/api/lifts/${overdue}/check-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ technician: 'tech' }) })).status).toBe(200);
    expect((await admin.get<typeof before>('/api/overview')).overdueMaintenance.count).toBe(after.overdueMaintenance.count - 1);
    // District d-1 takes on one more lift outside its area: the regulator sees it at once.
    const outside = ids[5]!;
    const regBefore = await as['reg']!.get<{ lifts: number }>('/api/overview');
    expect((await admin.fetch(`/api/crew-lifts/${outside}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ maintenanceUnit: 'mu-A', useUnit: null, district: 'd-1' }) })).status).toBe(200);
    expect((await as['reg']!.get<{ lifts: number }>('/api/overview')).lifts).toBe(regBefore.lifts + 1);
    // A new lift registered by an admin in the regulator's area joins their (reused) scope.
    const inArea = 'DX-901';
    const g = await liftTerminals.of(inArea);
    await g.publishAsync(liftTopic(inArea, 'registry'), JSON.stringify({ ...GOLDEN.registry, liftId: inArea, seq: 1, ts: Date.now(), areaCode: '330101', name: 'Newer block' }), { qos: 1 });
    await waitFor('the new lift stored', async () => (await admin.fetch(`/api/lifts/${inArea}`)).ok, 2000);
    expect((await admin.fetch(`/api/lift-registry/${inArea}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ areaCode: '330101' }) })).status).toBe(200);
    await waitFor('the regulator sees the new lift', async () => (await as['reg']!.get<{ lifts: number }>('/api/overview')).lifts === regBefore.lifts + 2, 2000);
    // And everything still answers as the computation over the lists does.
    for (const user of [admin, as['reg']!, as['crew']!]) await expectAsReference(user);
  });
});
