import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { GOLDEN, liftTopic, type AlertView, type MaintenanceVisit, type NotificationAttempt } from '@liftwatch/contract';
import { waitFor } from '@liftwatch/test-kit';
import { startTestLiftwatch, terminal, terminalsPerLift } from './helpers.js';

/**
 * Issue 7 end to end, in real time: a terminal publishes, the all-in-one process opens the alert,
 * routes it to whoever is on call and a real webhook receiver gets it signed; the escalation step
 * fires on the wall clock (2 s here instead of 60 s, so the test takes seconds: the timer code is
 * the same, the controllable-clock tests in alerting/ check the 60 s of the default policy).
 */
const SECRET = 'e2e-secret';
const hits: Array<{ path: string; at: number; key: string; body: { alert: { alertId: number; liftId: string; cause: string } } }> = [];
const receiver = createServer((req, res) => {
  let raw = '';
  req.on('data', (c: Buffer) => { raw += c.toString(); });
  req.on('end', () => {
    const ts = String(req.headers['x-liftwatch-timestamp']);
    const ok = req.headers['x-liftwatch-signature'] === `sha256=${createHmac('sha256', SECRET).update(`${ts}.${raw}`).digest('hex')}`;
    if (ok) hits.push({ path: req.url ?? '', at: Date.now(), key: String(req.headers['idempotency-key']), body: JSON.parse(raw) as (typeof hits)[number]['body'] });
    res.writeHead(ok ? 204 : 401).end();
  });
});

/** Each lift's records come from that lift's own terminal (the broker's ACL, issue 4). */
const others = terminalsPerLift(() => lw);
const as = (liftId: string) => others.of(liftId);

let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
let client: MqttClient;
let hookUrl = '';
const put = async (path: string, body: unknown, method = 'PUT') => {
  const res = await lw.fetch(`${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json() as unknown;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
};
const now = Date.now();

beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  lw = await startTestLiftwatch();
  client = await terminal(lw, 'ALERT-1');
  await put('/api/organisations/mu-e2e', { kind: 'maintenanceUnit', name: 'E2E Lift Service', roles: { supervisor: ['sup'] } });
  await put('/api/organisations/d-e2e', { kind: 'district', name: 'E2E district', roles: { regulator: ['reg'] } });
  for (const id of ['crewA', 'crewB', 'sup']) await put(`/api/people/${id}`, { name: id, orgId: 'mu-e2e', channels: [{ kind: 'webhook', to: `${hookUrl}/p/${id}`, secret: SECRET }] });
  await put('/api/crew-lifts/ALERT-1', { maintenanceUnit: 'mu-e2e', district: 'd-e2e' });
  await put('/api/crew-lifts/ALERT-2', { maintenanceUnit: 'mu-e2e', district: 'd-e2e' });
  await put('/api/rota', { unitId: 'mu-e2e', startsAt: now - 60_000, endsAt: now + 3_600_000, primary: 'crewA', backup: 'crewB' }, 'POST');
  await put('/api/escalation-policies/mu-e2e/P1', {
    name: 'p1-fast', reminder: null,
    steps: [{ afterS: 0, unless: 'acknowledged', notify: ['primary'], label: 'at once' }, { afterS: 2, unless: 'acknowledged', notify: ['backup', 'supervisor'], label: 'not acknowledged within 2 s' }],
  });
});
afterAll(async () => {
  await client?.endAsync();
  await others.end();
  await lw?.stop();
  await new Promise<void>((r) => receiver.close(() => r()));
});

describe('alerting in the all-in-one process (real time)', () => {
  it('sends an entrapment to the on-call crew\'s webhook at once and escalates on the wall clock when nobody acknowledges', async () => {
    const published = Date.now();
    await client.publishAsync(liftTopic('ALERT-1', 'alarm'), JSON.stringify({ ...GOLDEN.alarm, liftId: 'ALERT-1', seq: 1, ts: published }), { qos: 1 });
    const first = await waitFor('the primary\'s webhook', () => hits.find((h) => h.path === '/p/crewA'));
    expect(first.body.alert).toMatchObject({ liftId: 'ALERT-1', cause: 'at once' });
    expect(first.at - published).toBeLessThan(1000);
    const opened = (await lw.get<{ alerts: AlertView[] }>(`/api/alerts?liftId=ALERT-1`)).alerts[0]!;
    const backup = await waitFor('the escalation to the backup', () => hits.find((h) => h.path === '/p/crewB'), 8000);
    expect(backup.at - opened.openedAt).toBeGreaterThanOrEqual(2000);
    expect(backup.at - opened.openedAt).toBeLessThan(3000);
    await waitFor('the escalation to the supervisor', () => hits.find((h) => h.path === '/p/sup'));
    // Each attempt: a line when it starts, a line with its outcome.
    await waitFor('three attempts recorded', async () => (await lw.get<{ attempts: NotificationAttempt[] }>(`/api/alerts/${opened.id}/notifications`)).attempts.length === 6);
    const { attempts } = await lw.get<{ attempts: NotificationAttempt[] }>(`/api/alerts/${opened.id}/notifications`);
    expect(attempts.map((a) => `${a.recipientId}:${a.outcome}`).sort()).toEqual(['crewA:sending', 'crewA:sent', 'crewB:sending', 'crewB:sent', 'sup:sending', 'sup:sent']);
    const { attempts: all } = await lw.get<{ attempts: NotificationAttempt[] }>(`/api/audit/notifications?after=0`);
    expect(all.length).toBeGreaterThanOrEqual(3);
  });

  it('keeps P2 faults quiet while a technician is checked in, and records the visit', async () => {
    const visit = await put('/api/lifts/ALERT-2/check-in', { technician: 'tech-Li', limitMin: 30 }, 'POST') as MaintenanceVisit;
    expect(visit).toMatchObject({ liftId: 'ALERT-2', technician: 'tech-Li', endedAt: null });
    await (await as('ALERT-2')).publishAsync(liftTopic('ALERT-2', 'fault'), JSON.stringify({ ...GOLDEN.fault, liftId: 'ALERT-2', seq: 1, ts: now, code: 'E09', passengersPresent: false }), { qos: 1 });
    expect((await lw.get<{ alerts: AlertView[] }>(`/api/alerts?liftId=ALERT-2`)).alerts).toHaveLength(0);
    const out = await put('/api/lifts/ALERT-2/check-out', { technician: 'tech-Li' }, 'POST') as MaintenanceVisit;
    expect(out).toMatchObject({ suppressed: 1, endReason: 'checked out by tech-Li' });
    const { visits } = await lw.get<{ visits: MaintenanceVisit[] }>(`/api/maintenance-visits?liftId=ALERT-2`);
    expect(visits[0]?.endedAt).not.toBeNull();
  });

  it('starts a visit when the terminal reports inspection mode, suppresses the visit\'s faults, and ends it when the terminal leaves inspection', async () => {
    const status = (seq: number, serviceMode: string) => JSON.stringify({ ...GOLDEN.status, liftId: 'ALERT-3', seq, ts: now + seq, serviceMode, speedMps: 0, direction: 'none', doorZone: true });
    await (await as('ALERT-3')).publishAsync(liftTopic('ALERT-3', 'status'), status(1, 'inspection'), { qos: 1 });
    const visit = await waitFor('the visit', async () => (await lw.get<{ visits: MaintenanceVisit[] }>(`/api/maintenance-visits?liftId=ALERT-3`)).visits[0]);
    expect(visit).toMatchObject({ source: 'terminal', endedAt: null });
    await (await as('ALERT-3')).publishAsync(liftTopic('ALERT-3', 'fault'), JSON.stringify({ ...GOLDEN.fault, liftId: 'ALERT-3', seq: 2, ts: now + 2, code: 'E07', passengersPresent: false }), { qos: 1 });
    expect((await lw.get<{ alerts: AlertView[] }>(`/api/alerts?liftId=ALERT-3`)).alerts).toHaveLength(0);
    await (await as('ALERT-3')).publishAsync(liftTopic('ALERT-3', 'status'), status(3, 'normal'), { qos: 1 });
    const ended = await waitFor('the end of the visit', async () => (await lw.get<{ visits: MaintenanceVisit[] }>(`/api/maintenance-visits?liftId=ALERT-3`)).visits.find((v) => v.endedAt !== null));
    expect(ended).toMatchObject({ suppressed: 1, endReason: 'terminal left inspection mode (normal)' });
  });

  it('assigns an alert, keeps notes in its audit, and makes the first to acknowledge the assignee', async () => {
    await (await as('ALERT-4')).publishAsync(liftTopic('ALERT-4', 'alarm'), JSON.stringify({ ...GOLDEN.alarm, liftId: 'ALERT-4', seq: 1, ts: now }), { qos: 1 });
    const alert = (await lw.get<{ alerts: AlertView[] }>(`/api/alerts?liftId=ALERT-4`)).alerts[0]!;
    expect(alert.assignee).toBeNull();
    const acked = await put(`/api/alerts/${alert.id}/acknowledge`, { actor: 'crewA' }, 'POST') as AlertView;
    expect(acked.assignee).toBe('crewA');
    expect(await put(`/api/alerts/${alert.id}/assign`, { actor: 'sup', assignee: 'crewB' }, 'POST')).toMatchObject({ assignee: 'crewB' });
    await put(`/api/alerts/${alert.id}/notes`, { actor: 'crewB', note: 'passengers out at 15:02, door operator reset' }, 'POST');
    const detail = await lw.get<{ audit: Array<{ action: string; actor: string; note: string }> }>(`/api/alerts/${alert.id}`);
    expect(detail.audit.map((a) => a.action)).toEqual(expect.arrayContaining(['opened', 'acknowledged', 'assigned', 'note']));
    expect(detail.audit.find((a) => a.action === 'note')).toMatchObject({ actor: 'crewB', note: 'passengers out at 15:02, door operator reset' });
  });

  it('answers 400 naming the field for a wrong rota shift', async () => {
    const res = await lw.fetch(`/api/rota`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ unitId: 'mu-e2e', startsAt: 10, endsAt: 5, primary: 'crewA', backup: 'crewB' }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/ends at 5, not after its start 10/);
  });
});
