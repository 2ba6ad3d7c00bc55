import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { GOLDEN, liftTopic, type AlertView } from '@liftwatch/contract';
import { waitFor } from '@liftwatch/test-kit';
import { login, postFrom, startTestLiftwatch, terminal, terminalsPerLift } from './helpers.js';

// Scoping: a user of unit A can neither see nor change unit B's lifts or alerts, through any route.
let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
let client: MqttClient;
/** Each lift's records come from its own terminal (the broker's ACL). */
const liftTerminals = terminalsPerLift(() => lw);
const tokens: Record<string, string> = {};
let alertA = 0;
let alertB = 0;
/** A work order of unit B's lift, and a photo of it. */
let orderB = 0;
let photoB = 0;
/** A rescue-line call on unit B's lift. */
let callB = 0;
/** A hazard on unit B's lift. */
let hazardB = 0;
/** This month in the statistics' time zone. */
const MONTH = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date());
const PASSWORD = 'correct horse battery';

type Method = 'GET' | 'POST' | 'PUT';
const call = async (who: string | null, method: Method, url: string, payload?: unknown) => {
  const headers: Record<string, string> = who ? { authorization: `Bearer ${tokens[who]}` } : {};
  const res = await lw.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  return { status: res.statusCode, body: res.body, json: () => res.json() as Record<string, unknown> };
};
const asAdmin = async (method: Method, url: string, payload: unknown) => {
  const r = await call('admin', method, url, payload);
  if (r.status !== 200) throw new Error(`${method} ${url}: ${r.status} ${r.body}`);
  return r.json();
};

beforeAll(async () => {
  lw = await startTestLiftwatch();
  tokens['admin'] = lw.token;
  for (const [id, kind] of [['mu-A', 'maintenanceUnit'], ['mu-B', 'maintenanceUnit'], ['uu-A', 'useUnit'], ['uu-B', 'useUnit'], ['d-1', 'district'], ['d-2', 'district']] as const) {
    await asAdmin('PUT', `/api/organisations/${id}`, { kind, name: `Org ${id}` });
  }
  await asAdmin('PUT', '/api/people/pa', { name: 'Person A', orgId: 'mu-A', channels: [] });
  await asAdmin('PUT', '/api/people/pb', { name: 'Person B', orgId: 'mu-B', channels: [] });
  await asAdmin('PUT', '/api/crew-lifts/LA-1', { maintenanceUnit: 'mu-A', useUnit: 'uu-A', district: 'd-1' });
  await asAdmin('PUT', '/api/crew-lifts/LB-1', { maintenanceUnit: 'mu-B', useUnit: 'uu-B', district: 'd-2' });
  await asAdmin('PUT', '/api/escalation-policies/mu-B/P1', { preset: '1-3-5' });
  // Unit B's lift in the registry, with an overdue inspection, an overdue plan and a work order with a photo.
  await asAdmin('PUT', '/api/lift-registry/LA-1', { name: 'A lift' });
  await asAdmin('PUT', '/api/lift-registry/LB-1', { name: 'B lift' });
  await asAdmin('POST', '/api/lift-registry/LB-1/inspections', { inspectedOn: '2020-01-01', result: 'pass', nextDue: '2021-01-01' });
  await asAdmin('PUT', '/api/maintenance-plans/LB-1', { startsAt: 0 });
  orderB = (await asAdmin('POST', '/api/work-orders', { liftId: 'LB-1' }))['id'] as number;
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
  photoB = (await lw.inject({ method: 'POST', url: `/api/work-orders/${orderB}/photos`, headers: { authorization: `Bearer ${lw.token}`, 'content-type': 'image/png' }, payload: png })).json<{ id: number }>().id;
  const users = { crewA: ['crew', 'mu-A'], mgrA: ['manager', 'mu-A'], crewB: ['crew', 'mu-B'], useA: ['useUnit', 'uu-A'], regA: ['regulator', 'd-1'] } as const;
  for (const [id, [role, orgId]] of Object.entries(users)) {
    await asAdmin('PUT', `/api/users/${id}`, { name: id, role, orgId, password: PASSWORD });
    tokens[id] = await login(lw.httpUrl, id, PASSWORD);
  }
  client = await terminal(lw, 'ACCESS');
  const ts = Date.now();
  for (const liftId of ['LA-1', 'LB-1']) {
    // Car moving with the car door open: a P1 alert on each lift.
    await (await liftTerminals.of(liftId)).publishAsync(liftTopic(liftId, 'status'), JSON.stringify({ ...GOLDEN.status, liftId, seq: 1, ts, speedMps: 0.5, direction: 'up', doorZone: false, carDoor: 'open' }), { qos: 1 });
  }
  const alerts = await waitFor('both alerts', async () => {
    const list = (await call('admin', 'GET', '/api/alerts?state=active')).json()['alerts'] as AlertView[];
    return list.length >= 2 ? list : undefined;
  });
  alertA = alerts.find((a) => a.liftId === 'LA-1')!.id;
  alertB = alerts.find((a) => a.liftId === 'LB-1')!.id;
  const rescue = await call('admin', 'POST', '/api/rescue-calls', { liftId: 'LB-1', note: 'trapped in B' });
  if (rescue.status !== 201) throw new Error(`rescue call on LB-1: ${rescue.status} ${rescue.body}`);
  callB = (rescue.json()['call'] as { id: number }).id;
  const hazard = await call('admin', 'POST', '/api/hazards', { liftId: 'LB-1', category: 'doors', description: 'door hits people' });
  if (hazard.status !== 201) throw new Error(`hazard on LB-1: ${hazard.status} ${hazard.body}`);
  hazardB = hazard.json()['id'] as number;
  // A desired config and a command on unit B's lift, for the lists that must not show them to crew A.
  for (const [url, body] of [['/api/terminal-config', { target: { liftIds: ['LB-1'] }, settings: { deviceS: 60 } }], ['/api/terminal-commands', { target: { liftIds: ['LB-1'] }, cmd: 'selfTest' }]] as const) {
    const r = await call('admin', 'POST', url, body);
    if (r.status !== 201) throw new Error(`POST ${url}: ${r.status} ${r.body}`);
  }
});
afterAll(async () => {
  await client?.endAsync();
  await liftTerminals.end();
  await lw?.stop();
});

/** Every route under /api with what crew A gets for unit B's things; `pattern` ties the row to the OpenAPI path. */
const rowsForB = () => {
  const now = Date.now();
  const B = alertB;
  return [
    { pattern: 'GET /api/lifts/{liftId}', method: 'GET', url: '/api/lifts/LB-1', expect: 404 },
    { pattern: 'GET /api/lifts/{liftId}/records', method: 'GET', url: '/api/lifts/LB-1/records', expect: 404 },
    { pattern: 'GET /api/lifts/{liftId}/series', method: 'GET', url: `/api/lifts/LB-1/series?stream=status&field=speedMps&from=${now - 60_000}&to=${now}&bucketMs=10000`, expect: 404 },
    { pattern: 'GET /api/lifts/{liftId}/daily-counts', method: 'GET', url: '/api/lifts/LB-1/daily-counts?stream=status', expect: 404 },
    { pattern: 'GET /api/lifts/{liftId}/prediction', method: 'GET', url: '/api/lifts/LB-1/prediction', expect: 404 },
    { pattern: 'GET /api/lifts/{liftId}/health-history', method: 'GET', url: '/api/lifts/LB-1/health-history', expect: 404 },
    { pattern: 'GET /api/alerts/{id}', method: 'GET', url: `/api/alerts/${B}`, expect: 404 },
    ...['acknowledge', 'on-site', 'resolve', 'false-alarm'].map((a) => ({ pattern: 'POST /api/alerts/{id}/{action}', method: 'POST', url: `/api/alerts/${B}/${a}`, body: { note: 'x' }, expect: 404 })),
    { pattern: 'PUT /api/alerts/{id}/finding', method: 'PUT', url: `/api/alerts/${B}/finding`, body: { outcome: 'false-alarm' }, expect: 404 },
    { pattern: 'POST /api/alerts/{id}/assign', method: 'POST', url: `/api/alerts/${B}/assign`, body: { assignee: 'crewA' }, expect: 404 },
    { pattern: 'POST /api/alerts/{id}/notes', method: 'POST', url: `/api/alerts/${B}/notes`, body: { note: 'mine now' }, expect: 404 },
    { pattern: 'GET /api/alerts/{id}/notifications', method: 'GET', url: `/api/alerts/${B}/notifications`, expect: 404 },
    { pattern: 'GET /api/alerts/{id}/escalation', method: 'GET', url: `/api/alerts/${B}/escalation`, expect: 404 },
    { pattern: 'GET /api/crew-lifts/{liftId}', method: 'GET', url: '/api/crew-lifts/LB-1', expect: 404 },
    // The platform's lift registry decides regulators' scope: only admins set it.
    { pattern: 'GET /api/lift-registry/{liftId}', method: 'GET', url: '/api/lift-registry/LB-1', expect: 404 },
    { pattern: 'PUT /api/lift-registry/{liftId}', method: 'PUT', url: '/api/lift-registry/LA-1', body: { areaCode: '330106' }, expect: 403 },
    { pattern: 'POST /api/lift-registry', method: 'POST', url: '/api/lift-registry', body: { entries: [{ liftId: 'LB-1', areaCode: '330106' }] }, expect: 403 },
    { pattern: 'GET /api/lift-registry/{liftId}/inspections', method: 'GET', url: '/api/lift-registry/LB-1/inspections', expect: 404 },
    { pattern: 'POST /api/lift-registry/{liftId}/inspections', method: 'POST', url: '/api/lift-registry/LB-1/inspections', body: { inspectedOn: '2024-01-01', result: 'pass', nextDue: '2025-01-01' }, expect: 403 },
    { pattern: 'GET /api/lift-registry/registration-code-check', method: 'GET', url: '/api/lift-registry/registration-code-check?code=31103301062012000001', expect: 403 },
    { pattern: 'POST /api/lift-registry/import', method: 'POST', url: '/api/lift-registry/import', body: 'liftId,areaCode\nLB-1,330106\n', expect: 403 },
    // Maintenance: plans and new work orders are the managers'; crews act on their own unit's work orders only.
    { pattern: 'GET /api/maintenance-plans/{liftId}', method: 'GET', url: '/api/maintenance-plans/LB-1', expect: 404 },
    { pattern: 'PUT /api/maintenance-plans/{liftId}', method: 'PUT', url: '/api/maintenance-plans/LB-1', body: { startsAt: now }, expect: 403 },
    { pattern: 'POST /api/maintenance-plans', method: 'POST', url: '/api/maintenance-plans', body: { plans: [{ liftId: 'LB-1', startsAt: now }] }, expect: 403 },
    { pattern: 'POST /api/work-orders', method: 'POST', url: '/api/work-orders', body: { liftId: 'LB-1' }, expect: 403 },
    { pattern: 'POST /api/alerts/{id}/work-order', method: 'POST', url: `/api/alerts/${B}/work-order`, body: {}, expect: 404 },
    { pattern: 'GET /api/work-orders/{workOrderId}', method: 'GET', url: `/api/work-orders/${orderB}`, expect: 404 },
    { pattern: 'POST /api/work-orders/{workOrderId}/start', method: 'POST', url: `/api/work-orders/${orderB}/start`, body: {}, expect: 404 },
    { pattern: 'PUT /api/work-orders/{workOrderId}/checklist', method: 'PUT', url: `/api/work-orders/${orderB}/checklist`, body: { items: [] }, expect: 404 },
    { pattern: 'POST /api/work-orders/{workOrderId}/complete', method: 'POST', url: `/api/work-orders/${orderB}/complete`, body: {}, expect: 404 },
    { pattern: 'POST /api/work-orders/{workOrderId}/cancel', method: 'POST', url: `/api/work-orders/${orderB}/cancel`, body: { reason: 'mine now' }, expect: 403 },
    { pattern: 'POST /api/work-orders/{workOrderId}/photos', method: 'POST', url: `/api/work-orders/${orderB}/photos`, body: {}, expect: 404 },
    { pattern: 'GET /api/work-orders/{workOrderId}/photos/{photoId}', method: 'GET', url: `/api/work-orders/${orderB}/photos/${photoB}`, expect: 404 },
    { pattern: 'PUT /api/crew-lifts/{liftId}', method: 'PUT', url: '/api/crew-lifts/LB-1', body: { maintenanceUnit: 'mu-A' }, expect: 403 },
    { pattern: 'GET /api/on-call/{liftId}', method: 'GET', url: '/api/on-call/LB-1', expect: 404 },
    { pattern: 'POST /api/lifts/{liftId}/check-in', method: 'POST', url: '/api/lifts/LB-1/check-in', body: {}, expect: 404 },
    { pattern: 'POST /api/lifts/{liftId}/check-out', method: 'POST', url: '/api/lifts/LB-1/check-out', body: {}, expect: 404 },
    { pattern: 'GET /api/rota/{id}', method: 'GET', url: '/api/rota/mu-B', expect: 403 },
    { pattern: 'POST /api/rota', method: 'POST', url: '/api/rota', body: { unitId: 'mu-B', startsAt: now, endsAt: now + 1000, primary: 'pa' }, expect: 403 },
    { pattern: 'PUT /api/escalation-policies/{orgId}/{severity}', method: 'PUT', url: '/api/escalation-policies/mu-B/P1', body: { preset: '1-3-5' }, expect: 403 },
    { pattern: 'PUT /api/organisations/{id}', method: 'PUT', url: '/api/organisations/mu-B', body: { kind: 'maintenanceUnit', name: 'taken' }, expect: 403 },
    { pattern: 'PUT /api/people/{id}', method: 'PUT', url: '/api/people/pb', body: { name: 'x', orgId: 'mu-A', channels: [] }, expect: 403 },
    { pattern: 'GET /api/users', method: 'GET', url: '/api/users', expect: 403 },
    { pattern: 'PUT /api/users/{id}', method: 'PUT', url: '/api/users/crewA', body: { name: 'me', role: 'admin' }, expect: 403 },
    { pattern: 'GET /api/audit', method: 'GET', url: '/api/audit', expect: 403 },
    { pattern: 'GET /api/audit/notifications', method: 'GET', url: '/api/audit/notifications', expect: 403 },
    { pattern: 'GET /api/stats', method: 'GET', url: '/api/stats', expect: 403 },
    { pattern: 'GET /api/dead-letters', method: 'GET', url: '/api/dead-letters', expect: 403 },
    { pattern: 'GET /api/dead-letters/terminals', method: 'GET', url: '/api/dead-letters/terminals', expect: 403 },
    // Fault-prediction models, their shadow alerts and comparison: admins only.
    { pattern: 'GET /api/models', method: 'GET', url: '/api/models', expect: 403 },
    // Terminal provisioning is for admins only (default deny): crew A can neither list nor issue tokens.
    { pattern: 'GET /api/terminals', method: 'GET', url: '/api/terminals', expect: 403 },
    { pattern: 'GET /api/terminals/{terminalId}', method: 'GET', url: '/api/terminals/T-LB-1', expect: 403 },
    { pattern: 'POST /api/terminals', method: 'POST', url: '/api/terminals', body: { liftId: 'LB-1' }, expect: 403 },
    { pattern: 'POST /api/terminals/csv', method: 'POST', url: '/api/terminals/csv', body: 'LB-1,T-LB-9', expect: 403 },
    { pattern: 'POST /api/terminals/{terminalId}/rotate', method: 'POST', url: '/api/terminals/T-LB-1/rotate', body: {}, expect: 403 },
    { pattern: 'POST /api/terminals/{terminalId}/enable', method: 'POST', url: '/api/terminals/T-LB-1/enable', body: {}, expect: 403 },
    { pattern: 'POST /api/terminals/{terminalId}/disable', method: 'POST', url: '/api/terminals/T-LB-1/disable', body: {}, expect: 403 },
    // The government exchange's outbox: admins only.
    { pattern: 'GET /api/exchange/status', method: 'GET', url: '/api/exchange/status', expect: 403 },
    { pattern: 'GET /api/exchange/outbox', method: 'GET', url: '/api/exchange/outbox', expect: 403 },
    { pattern: 'GET /api/exchange/outbox/{id}', method: 'GET', url: '/api/exchange/outbox/1', expect: 403 },
    { pattern: 'POST /api/exchange/outbox/{id}/retry', method: 'POST', url: '/api/exchange/outbox/1/retry', body: {}, expect: 403 },
    // Rescue-line calls are read and recorded like the lift they are about.
    { pattern: 'POST /api/rescue-calls', method: 'POST', url: '/api/rescue-calls', body: { liftId: 'LB-1', note: 'x' }, expect: 404 },
    { pattern: 'GET /api/rescue-calls/{id}', method: 'GET', url: `/api/rescue-calls/${callB}`, expect: 404 },
    { pattern: 'POST /api/rescue-calls/{id}/stages', method: 'POST', url: `/api/rescue-calls/${callB}/stages`, body: { stage: 'onSite' }, expect: 404 },
    // Hazards are read, recorded, fixed and checked like the lift they are on.
    { pattern: 'POST /api/hazards', method: 'POST', url: '/api/hazards', body: { liftId: 'LB-1', category: 'noise', description: 'x' }, expect: 404 },
    { pattern: 'GET /api/hazards/{id}', method: 'GET', url: `/api/hazards/${hazardB}`, expect: 404 },
    { pattern: 'GET /api/hazards/{id}/photo', method: 'GET', url: `/api/hazards/${hazardB}/photo`, expect: 404 },
    { pattern: 'POST /api/hazards/{id}/rectify', method: 'POST', url: `/api/hazards/${hazardB}/rectify`, body: { note: 'x', photo: { contentType: 'image/png', dataBase64: 'iVBORw0KGgo=' } }, expect: 404 },
    { pattern: 'POST /api/hazards/{id}/review', method: 'POST', url: `/api/hazards/${hazardB}/review`, body: { accept: true }, expect: 404 },
    // Remote configuration: pushed by admins and the lift's maintenance unit, read like the lift.
    { pattern: 'POST /api/terminal-config', method: 'POST', url: '/api/terminal-config', body: { target: { liftIds: ['LB-1'] }, settings: { deviceS: 60 } }, expect: 404 },
    { pattern: 'POST /api/terminal-commands', method: 'POST', url: '/api/terminal-commands', body: { target: { liftIds: ['LB-1'] }, cmd: 'restart' }, expect: 404 },
    { pattern: 'GET /api/lifts/{liftId}/terminal-config', method: 'GET', url: '/api/lifts/LB-1/terminal-config', expect: 404 },
  ] as Array<{ pattern: string; method: Method; url: string; body?: unknown; expect: number }>;
};

/** Lists: crew A gets 200 and nothing of unit B in them. */
const LISTS = [
  ['GET /api/lifts', '/api/lifts'], ['GET /api/alerts', '/api/alerts'], ['GET /api/alerts', '/api/alerts?liftId=LB-1'],
  ['GET /api/maintenance-visits', '/api/maintenance-visits'], ['GET /api/organisations', '/api/organisations'], ['GET /api/people', '/api/people'],
  ['GET /api/escalation-policies', '/api/escalation-policies'], ['GET /api/districts/{areaCode}/status', '/api/districts/330106/status'],
  ['GET /api/overview', '/api/overview'], ['GET /api/riskiest', '/api/riskiest'],
  ['GET /api/exports/lifts.csv', '/api/exports/lifts.csv'], ['GET /api/exports/alerts.csv', '/api/exports/alerts.csv'],
  ['GET /api/lift-registry', '/api/lift-registry'], ['GET /api/exports/lift-registry.csv', '/api/exports/lift-registry.csv'], ['GET /api/inspections/overdue', '/api/inspections/overdue'],
  ['GET /api/maintenance/overdue', '/api/maintenance/overdue'], ['GET /api/work-orders', '/api/work-orders'], ['GET /api/work-orders', '/api/work-orders?liftId=LB-1'],
  ['GET /api/findings/precision', '/api/findings/precision'], ['GET /api/exports/findings.csv', '/api/exports/findings.csv'], ['GET /api/exports/findings.jsonl', '/api/exports/findings.jsonl'],
  ['GET /api/rescue-calls', '/api/rescue-calls'], ['GET /api/statistics/monthly', '/api/statistics/monthly'], ['GET /api/statistics/monthly.csv', '/api/statistics/monthly.csv'],
  ['GET /api/statistics/months/{month}/{list}', `/api/statistics/months/${MONTH}/failures`], ['GET /api/statistics/months/{month}/{list}', `/api/statistics/months/${MONTH}/lifts`],
  ['GET /api/statistics/now', '/api/statistics/now'], ['GET /api/reports/{month}', `/api/reports/${MONTH}`], ['GET /api/hazards', '/api/hazards'], ['GET /api/crew-lifts', '/api/crew-lifts'],
  ['GET /api/terminal-config', '/api/terminal-config'], ['GET /api/terminal-config/unacknowledged', '/api/terminal-config/unacknowledged'],
  ['GET /api/terminal-commands', '/api/terminal-commands'], ['GET /api/terminal-health', '/api/terminal-health'],
] as const;
/** Routes with nothing of a unit in them, or tested on their own below. */
const OTHER = ['POST /api/login', 'POST /api/logout', 'GET /api/me', 'POST /api/me/password', 'GET /api', 'GET /api/fault-codes', 'GET /api/events', 'GET /api/maintenance/item-sets',
  'POST /api/rescue-line/calls', 'POST /api/rescue-line/calls/{id}/stages', 'GET /api/public/lifts/{liftId}', 'POST /api/public/lifts/{liftId}/reports'];

describe('users, roles and scoping (route by route)', () => {
  it('every route under /api in the OpenAPI document is in this test', async () => {
    const doc = (await call(null, 'GET', '/docs/json')).json() as { paths: Record<string, Record<string, unknown>> };
    const tested = new Set([...rowsForB().map((r) => r.pattern), ...LISTS.map(([p]) => p), ...OTHER]);
    const routes = Object.entries(doc.paths).filter(([p]) => p.startsWith('/api')).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(routes.length).toBeGreaterThan(35);
    expect(routes.filter((r) => !tested.has(r))).toEqual([]);
  });

  it('crew of unit A can neither see nor change unit B\'s lifts, alerts, rota or policies', async () => {
    for (const row of rowsForB()) {
      const r = await call('crewA', row.method, row.url, row.body);
      expect({ route: `${row.method} ${row.url}`, status: r.status }).toEqual({ route: `${row.method} ${row.url}`, status: row.expect });
      expect(r.json()['error']).toMatchObject({ code: row.expect === 404 ? 'LW_ERR_NOT_FOUND' : 'LW_ERR_FORBIDDEN' });
    }
    const b = (await call('admin', 'GET', `/api/alerts/${alertB}`)).json();
    expect(b['state']).toBe('open'); // nothing of B changed
    expect(b['audit']).not.toContainEqual(expect.objectContaining({ actor: 'crewA' }));
  });

  it('lists show crew A only unit A\'s things', async () => {
    for (const [, url] of LISTS) {
      const r = await call('crewA', 'GET', url);
      expect({ url, status: r.status }).toEqual({ url, status: 200 });
      expect(r.body).not.toMatch(/LB-1|mu-B|uu-B|"pb"/);
    }
    expect((await call('crewA', 'GET', '/api/lifts')).json()['lifts']).toEqual([expect.objectContaining({ liftId: 'LA-1' })]);
    expect(((await call('crewA', 'GET', '/api/alerts')).json()['alerts'] as AlertView[]).map((a) => a.liftId)).toEqual(['LA-1']);
    expect((await call('crewB', 'GET', '/api/lifts')).json()['lifts']).toEqual([expect.objectContaining({ liftId: 'LB-1' })]);
    expect((await call('admin', 'GET', '/api/lifts')).json()['total']).toBe(2);
  });

  it('crew A acts on unit A\'s alert as themselves, and the write is audited', async () => {
    const r = await call('crewA', 'POST', `/api/alerts/${alertA}/acknowledge`, { actor: 'someone-else', note: 'on my way' });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ state: 'acknowledged', assignee: 'crewA' });
    const { entries } = (await call('admin', 'GET', '/api/audit')).json() as { entries: Array<{ actor: string; route: string; status: number; method: string }> };
    expect(entries).toContainEqual(expect.objectContaining({ actor: 'crewA', method: 'POST', route: '/api/alerts/:id/:action', status: 200 }));
    expect(entries).toContainEqual(expect.objectContaining({ actor: 'crewA', route: '/api/alerts/:id/:action', status: 404 })); // the refused try on B
    expect(entries).toContainEqual(expect.objectContaining({ actor: 'admin', method: 'PUT', route: '/api/users/:id' }));
  });

  it('a regulator reads their district but cannot act for crews; a use unit reads its own lifts only', async () => {
    expect((await call('regA', 'GET', '/api/lifts')).json()['lifts']).toEqual([expect.objectContaining({ liftId: 'LA-1' })]);
    expect((await call('regA', 'GET', `/api/alerts/${alertA}`)).status).toBe(200);
    expect((await call('regA', 'GET', `/api/alerts/${alertB}`)).status).toBe(404);
    const ack = await call('regA', 'POST', `/api/alerts/${alertA}/resolve`, { note: 'closing it' });
    expect(ack.status).toBe(403);
    expect(ack.json()['error']).toMatchObject({ code: 'LW_ERR_FORBIDDEN', message: expect.stringMatching(/regulator user may not POST/) });
    expect((await call('useA', 'GET', '/api/lifts/LA-1')).status).toBe(200);
    expect((await call('useA', 'GET', '/api/lifts/LB-1')).status).toBe(404);
    expect((await call('useA', 'POST', '/api/lifts/LA-1/check-in', {})).status).toBe(403);
    expect((await call('mgrA', 'PUT', '/api/escalation-policies/mu-A/P1', { preset: '1-3-5' })).status).toBe(200);
    expect((await call('crewA', 'PUT', '/api/escalation-policies/mu-A/P1', { preset: '1-3-5' })).status).toBe(403);
  });

  it('a manager of unit A adds people and crew logins to unit A only', async () => {
    expect((await call('mgrA', 'PUT', '/api/people/pa2', { name: 'New A', orgId: 'mu-A', channels: [{ kind: 'sms', to: '+8613800000002' }] })).status).toBe(200);
    for (const [url, body] of [['/api/people/pb2', { name: 'x', orgId: 'mu-B', channels: [] }], ['/api/people/pb', { name: 'x', orgId: 'mu-A', channels: [] }],
      ['/api/users/crewB', { name: 'x', role: 'crew', orgId: 'mu-A' }], ['/api/users/new-admin', { name: 'x', role: 'admin', orgId: null }]] as const) {
      const r = await call('mgrA', 'PUT', url, body);
      expect({ url, status: r.status }).toEqual({ url, status: 403 });
    }
    expect((await call('admin', 'GET', '/api/people')).body).not.toContain('pb2');
  });

  it('a lift\'s public page and its reports need no login; a hazard on it is counted for its district\'s regulator only', async () => {
    expect((await call(null, 'GET', '/api/public/lifts/LB-1')).json()).toMatchObject({ liftId: 'LB-1', openHazards: 1, rescuePhone: '96333', lastMaintenanceAt: null });
    expect((await call(null, 'GET', '/api/public/lifts/LB-1')).body).not.toMatch(/mu-B|uu-B|"pb"|alert/);
    await asAdmin('POST', '/api/lifts/LB-1/check-in', {});
    const visit = await asAdmin('POST', '/api/lifts/LB-1/check-out', {});
    expect((await call(null, 'GET', '/api/public/lifts/LB-1')).json()).toMatchObject({ lastMaintenanceAt: visit['endedAt'] });
    expect((await call(null, 'POST', '/api/public/lifts/LA-1/reports', { category: 'lighting', description: 'car is dark' })).status).toBe(201);
    const counted = (await call('regA', 'GET', '/api/statistics/now')).json()['hazards'] as { list: Array<{ liftId: string; source: string }> };
    expect(counted.list).toEqual([expect.objectContaining({ liftId: 'LA-1', source: 'resident' })]);
  });

  it('without a session every /api route answers 401 with what to do; /healthz, /metrics and /docs stay open', async () => {
    for (const row of rowsForB()) {
      const r = await call(null, row.method, row.url, row.body);
      expect({ url: row.url, status: r.status }).toEqual({ url: row.url, status: 401 });
      expect(r.json()['error']).toMatchObject({ code: 'LW_ERR_UNAUTHENTICATED', message: expect.stringMatching(/POST \/api\/login/) });
    }
    for (const [, url] of LISTS) expect((await call(null, 'GET', url)).status).toBe(401);
    expect((await call(null, 'GET', '/api/events')).status).toBe(401);
    expect((await call(null, 'GET', '/healthz')).status).toBe(200);
    expect((await call(null, 'GET', '/docs/json')).status).toBe(200);
  });

  it('the rescue line\'s routes take its token only: no session, even an admin\'s, stands in for it', async () => {
    for (const who of [null, 'crewA', 'admin']) {
      for (const url of ['/api/rescue-line/calls', `/api/rescue-line/calls/${callB}/stages`]) {
        const r = await call(who, 'POST', url, { liftId: 'LB-1', stage: 'released', note: '' });
        expect({ who, url, status: r.status, code: (r.json()['error'] as { code: string }).code }).toEqual({ who, url, status: 401, code: 'LW_ERR_RESCUE_LINE_TOKEN' });
      }
    }
  });

  it('logout closes the session; a changed password closes the old sessions', async () => {
    const token = await login(lw.httpUrl, 'crewB', PASSWORD);
    tokens['tmp'] = token;
    expect((await call('tmp', 'GET', '/api/me')).json()).toMatchObject({ id: 'crewB', role: 'crew', orgId: 'mu-B' });
    expect((await call('tmp', 'POST', '/api/logout')).status).toBe(200);
    expect((await call('tmp', 'GET', '/api/me')).status).toBe(401);
    await asAdmin('PUT', '/api/users/crewB', { name: 'crewB', role: 'crew', orgId: 'mu-B', password: 'another long password' });
    expect((await call('crewB', 'GET', '/api/me')).status).toBe(401);
  });

  it('slows failed logins of one address at one account, and says how long to wait; the right password from elsewhere still works', async () => {
    const attempt = (from: string, password: string) => postFrom(from, `${lw.httpUrl}/api/login`, { username: 'mgrA', password });
    for (let i = 0; i < 5; i++) expect((await attempt('127.0.0.2', 'wrong')).status).toBe(401);
    const blocked = await attempt('127.0.0.2', PASSWORD); // from the guessing address even the right password waits
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.json['error']).toMatchObject({ code: 'LW_ERR_RATE_LIMITED', message: expect.stringMatching(/from 127\.0\.0\.2: wait \d+ s/) });
    for (let i = 0; i < 5; i++) expect((await attempt('127.0.0.2', 'wrong')).status).toBe(429); // no guess gets through while it waits
    const elsewhere = await attempt('127.0.0.3', PASSWORD); // the manager, from another address: never locked out
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.json['user']).toMatchObject({ id: 'mgrA' });
  });

  it('the live feed sends crew A unit A\'s alert changes and never unit B\'s', async () => {
    const res = await fetch(`${lw.httpUrl}/api/events`, { headers: { cookie: `lw_session=${tokens['crewA']}` } });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    expect((await call('admin', 'POST', `/api/alerts/${alertB}/acknowledge`, { note: 'B changed' })).status).toBe(200);
    expect((await call('admin', 'POST', `/api/alerts/${alertA}/on-site`, { note: 'A changed' })).status).toBe(200);
    const until = Date.now() + 10_000;
    while (!text.includes('"LA-1"') && Date.now() < until) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(text).toMatch(/event: alerts\ndata: .*"LA-1".*"onSite"/);
    expect(text).not.toContain('LB-1');
  });
});
