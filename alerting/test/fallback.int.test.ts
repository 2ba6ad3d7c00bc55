import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAlerting } from '../src/alerting.js';
import { createWebhookChannel } from '../src/channels/webhook.js';
import { createSqliteJobQueue } from '../src/queue/sqlite-job-queue.js';
import { startHttpReceiver } from './receivers.js';

/**
 * A P1 always reaches someone: a step that reaches nobody goes to the duty contact of the lift's
 * unit, else of its district, else to the admins in the console (a log line, in the inbox). With a
 * controllable clock; duty contacts get a real webhook receiver.
 */
const T0 = Date.UTC(2026, 5, 1, 8, 0, 0);
let receiver: Awaited<ReturnType<typeof startHttpReceiver>>;
beforeAll(async () => { receiver = await startHttpReceiver(() => ({ status: 204, body: null })); });
afterAll(async () => { await receiver?.close(); });
beforeEach(() => { receiver.received.length = 0; });

let t = T0;
function open(admins: Array<{ id: string; name: string }> = [{ id: 'admin', name: 'Administrator' }]) {
  t = T0;
  const db = new Database(':memory:');
  const now = () => t;
  const queue = createSqliteJobQueue(db, { table: 'alert_jobs', now, pollMs: 3_600_000 });
  const lines: string[] = [];
  const alerting = createAlerting({ db, now, queue, channels: { webhook: createWebhookChannel() }, admins: () => admins, log: (l) => lines.push(l) });
  alerting.start();
  const settle = async () => { for (let i = 0; i < 3; i++) { await new Promise((r) => setImmediate(r)); await queue.runDue(); } };
  return { alerting, lines, settle, close: async () => { await alerting.close(); db.close(); } };
}
type Alerting = ReturnType<typeof open>['alerting'];

let seq = 0;
const raise = async (a: Alerting, liftId: string, code = 'E01') =>
  (await a.raise({ liftId, code, reason: `test ${code}`, passengersPresent: true, evidence: { liftId, stream: 'alarm', seq: ++seq, ts: t, values: {} } })).alert!;
const sent = async (a: Alerting, alertId: number) => (await a.notifications(alertId)).filter((n) => n.outcome === 'sent').map((n) => `${n.recipientId}:${n.channel}`);
const hook = (id: string) => ({ kind: 'webhook' as const, to: `${receiver.url}/p/${id}`, secret: 's' });

describe('a P1 always reaches someone', () => {
  it('a lift with no crew: the admins get it in the console, with a line in the log and the reason in the audit', async () => {
    const s = open();
    const alert = await raise(s.alerting, 'NOBODY-1');
    await s.settle();
    expect(await sent(s.alerting, alert.id)).toEqual(['admin:console']);
    expect(s.lines.some((l) => /notification for Administrator \(admin\) in the console: P1 E01 .* on lift NOBODY-1/.test(l))).toBe(true);
    const audit = (await s.alerting.get(alert.id))!.audit;
    expect(audit.find((a) => a.action === 'fallback')?.note).toMatch(/nobody of primary can be reached; notified the admins in the console \(admin\): lift NOBODY-1 belongs to no maintenance unit/);
    await s.close();
  });

  it('with no admin user either, the group "admins" still gets it: a line in the log and the notification log', async () => {
    const s = open([]);
    const alert = await raise(s.alerting, 'NOBODY-2');
    await s.settle();
    expect(await sent(s.alerting, alert.id)).toEqual(['admins:console']);
    expect(s.lines.some((l) => /notification for administrators \(admins\) in the console/.test(l))).toBe(true);
    await s.close();
  });

  it('a unit with nobody on call: its duty contact first, then the district\'s; the escalation step at 1 min falls back too', async () => {
    const s = open();
    const c = s.alerting.crew;
    await c.upsertOrg({ id: 'mu-1', kind: 'maintenanceUnit', name: 'unit', roles: { duty: ['unit-duty'] } });
    await c.upsertOrg({ id: 'mu-2', kind: 'maintenanceUnit', name: 'unit without duty' });
    await c.upsertOrg({ id: 'd-1', kind: 'district', name: 'district', roles: { duty: ['district-duty'] } });
    await c.upsertPerson({ id: 'unit-duty', name: 'Unit duty phone', orgId: 'mu-1', channels: [hook('unit-duty')] });
    await c.upsertPerson({ id: 'district-duty', name: 'District duty', orgId: 'd-1', channels: [hook('district-duty')] });
    await c.assignLift({ liftId: 'U-1', maintenanceUnit: 'mu-1', district: 'd-1' });
    await c.assignLift({ liftId: 'U-2', maintenanceUnit: 'mu-2', district: 'd-1' });
    const a1 = await raise(s.alerting, 'U-1');
    const a2 = await raise(s.alerting, 'U-2');
    await s.settle();
    expect(await sent(s.alerting, a1.id)).toEqual(['unit-duty:webhook']);
    expect(await sent(s.alerting, a2.id)).toEqual(['district-duty:webhook']);
    expect(receiver.received.map((r) => r.path).sort()).toEqual(['/p/district-duty', '/p/unit-duty']);
    t = T0 + 60_000; // not acknowledged within 1 min: backup + supervisor, nobody either
    await s.settle();
    expect(await sent(s.alerting, a1.id)).toEqual(['unit-duty:webhook', 'unit-duty:webhook']);
    await s.close();
  });

  it('a P2 with no crew falls back to nobody: the gap is in its audit', async () => {
    const s = open();
    const alert = await raise(s.alerting, 'NOBODY-3', 'E09');
    await s.settle();
    expect(alert.severity).toBe('P2');
    expect(await s.alerting.notifications(alert.id)).toEqual([]);
    expect((await s.alerting.get(alert.id))!.audit.some((a) => a.action === 'routingGap')).toBe(true);
    await s.close();
  });
});

describe('who was notified and who is next', () => {
  it('names the delivery with its channel, time and outcome, and the next step with the people it will reach', async () => {
    const s = open();
    const c = s.alerting.crew;
    await c.upsertOrg({ id: 'mu-1', kind: 'maintenanceUnit', name: 'unit', roles: { supervisor: ['sup'] } });
    for (const [id, name] of [['crewA', 'Wang Wei'], ['crewB', 'Li Na'], ['sup', 'Zhang Min']] as const) await c.upsertPerson({ id, name, orgId: 'mu-1', channels: [hook(id)] });
    await c.assignLift({ liftId: 'L-1', maintenanceUnit: 'mu-1' });
    await c.addShift({ unitId: 'mu-1', startsAt: T0 - 3_600_000, endsAt: T0 + 3_600_000, primary: 'crewA', backup: 'crewB' });
    const alert = await raise(s.alerting, 'L-1');
    await s.settle();
    t = T0 + 5_000;
    const view = (await s.alerting.escalation(alert.id))!;
    expect(view.policy).toBe('p1-entrapment');
    expect(view.notified).toEqual([expect.objectContaining({ recipientId: 'crewA', recipientName: 'Wang Wei', channel: 'webhook', firstAt: T0, attempts: 1, unknown: 0, outcome: 'sent', fallback: false })]);
    expect(view.next).toMatchObject({ at: T0 + 60_000, roles: ['backup', 'supervisor'], fallback: null, people: [{ id: 'crewB', name: 'Li Na', role: 'backup' }, { id: 'sup', name: 'Zhang Min', role: 'supervisor' }] });
    expect(view.reminder).toMatchObject({ at: T0 + 30_000, people: [{ id: 'crewA', role: 'primary' }] });
    await s.alerting.transition(alert.id, 'acknowledged', 'crewA');
    const after = (await s.alerting.escalation(alert.id))!;
    expect(after.next).toMatchObject({ at: T0 + 1_800_000, roles: ['manager', 'regulator'], fallback: 'admins', people: [{ id: 'admin', role: 'admin' }] });
    expect(after.reminder).toBeNull();
    await s.close();
  });

  it('marks a fallback delivery as one', async () => {
    const s = open();
    const alert = await raise(s.alerting, 'NOBODY-4');
    await s.settle();
    const view = (await s.alerting.escalation(alert.id))!;
    expect(view.notified).toEqual([expect.objectContaining({ recipientId: 'admin', recipientName: 'Administrator', channel: 'console', outcome: 'sent', fallback: true })]);
    expect(view.next).toMatchObject({ fallback: 'admins' });
    await s.close();
  });
});
