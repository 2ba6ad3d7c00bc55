import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '@liftwatch/test-kit';
import { createAlerting } from '../src/alerting.js';
import { createWebhookChannel, WEBHOOK_HEADERS } from '../src/channels/webhook.js';
import { hmacHex, startHttpReceiver, type Received } from './receivers.js';
import { MODES, openTestState, stopTestPostgres, testDatabase, type Mode } from './test-state.js';

/**
 * Escalation with a controllable clock (the queue's `now` and `runDue()`), deliveries over a real
 * webhook receiver that checks the signature. Times are those of the P1 entrapment policy. Every
 * test runs over the state store as each mode of liftwatch runs it: on the all-in-one's SQLite file,
 * and on PostgreSQL as the nodes of a distributed deployment share it.
 */
const SECRET = 'k1';
const T0 = Date.UTC(2026, 5, 1, 8, 0, 0);
let receiver: Awaited<ReturnType<typeof startHttpReceiver>>;
const failing = new Set<string>();

beforeAll(async () => {
  receiver = await startHttpReceiver((r: Received) => {
    const ts = String(r.headers[WEBHOOK_HEADERS.timestamp]);
    if (r.headers[WEBHOOK_HEADERS.signature] !== `sha256=${hmacHex(SECRET, `${ts}.${r.raw}`)}`) return { status: 401, body: 'bad signature' };
    if (failing.has(r.path)) return { status: 503, body: 'receiver down for maintenance' };
    return { status: 200, body: { ok: true } };
  });
});
afterAll(async () => { await receiver?.close(); await stopTestPostgres(); });

let t = T0;
const now = () => t;
let where: { file: string; url?: string };

/** Starts alerting on the test's state (again after a close: a restart). */
async function open(mode: Mode) {
  const s = await openTestState(mode, where, now);
  const alerting = createAlerting({ state: s.state, now, queue: s.queue, channels: { webhook: createWebhookChannel() }, escalation: { deliveryAttempts: 3, deliveryBackoffMs: 1000 }, backend: { soleNode: s.soleNode } });
  alerting.start();
  await alerting.recovered();
  const settle = async () => {
    for (let i = 0; i < 2; i++) {
      await alerting.planned();
      await new Promise((r) => setImmediate(r));
      await s.queue.runDue();
    }
  };
  return { alerting, state: s.state, settle, close: async () => { await alerting.close(); await s.close(); } };
}
type Alerting = Awaited<ReturnType<typeof open>>['alerting'];

const hook = (id: string) => ({ kind: 'webhook' as const, to: `${receiver.url}/p/${id}`, secret: SECRET });
async function seedCrew(a: Alerting) {
  await a.crews.upsertOrg({ id: 'mu-1', kind: 'maintenanceUnit', name: 'West Lake Lift Service', roles: { supervisor: ['sup'], manager: ['mgr'] } });
  await a.crews.upsertOrg({ id: 'd-1', kind: 'district', name: 'Xihu district', roles: { regulator: ['reg'], reinforcement: ['res'] } });
  for (const id of ['crewA', 'crewB', 'sup', 'mgr', 'reg', 'res', 'night']) await a.crews.upsertPerson({ id, name: id, orgId: id === 'reg' || id === 'res' ? 'd-1' : 'mu-1', channels: [hook(id)] });
  for (const liftId of ['L1', 'L2', 'L3']) await a.crews.assignLift({ liftId, maintenanceUnit: 'mu-1', district: 'd-1' });
  await a.crews.addShift({ unitId: 'mu-1', startsAt: T0 - 3_600_000, endsAt: T0 + 8 * 3_600_000, primary: 'crewA', backup: 'crewB' });
  await a.crews.addShift({ unitId: 'mu-1', startsAt: T0 + 8 * 3_600_000, endsAt: T0 + 16 * 3_600_000, primary: 'night', backup: 'crewB' });
}

let seq = 0;
const raise = (a: Alerting, liftId: string, code: string, passengersPresent = true) =>
  a.raise({ liftId, code, reason: `test ${code}`, passengersPresent, evidence: { liftId, stream: 'alarm', seq: ++seq, ts: t, values: {} } });
const got = (id: string, alertId: number) => receiver.received.filter((r) => r.path === `/p/${id}` && (r.json as { alert: { alertId: number } }).alert.alertId === alertId);


describe.each(MODES)('escalation over the state store (%s)', (_name, mode) => {
  let dir: ReturnType<typeof tempDir>;
  afterEach(() => dir.remove());
  beforeEach(async () => {
    t = T0;
    receiver.received.length = 0;
    failing.clear();
    dir = tempDir();
    where = { file: join(dir.path, 'alerts.db'), ...(mode === 'postgres' ? { url: await testDatabase() } : {}) };
  });

  describe('P1 entrapment escalation (controllable clock)', () => {
    it('notifies the on-call crew at once, escalates to backup and supervisor at exactly 1 minute, reminds until acknowledged, then manager and regulator at 30 minutes', async () => {
      const s = await open(mode);
      await seedCrew(s.alerting);
      const { alert } = await raise(s.alerting, 'L1', 'E01');
      await s.settle();
      expect(got('crewA', alert!.id)).toHaveLength(1);
      expect(got('crewB', alert!.id)).toHaveLength(0);

      t = T0 + 59_999;
      await s.settle();
      expect(got('crewA', alert!.id)).toHaveLength(2); // the 30 s reminder
      expect(got('crewB', alert!.id)).toHaveLength(0);
      expect(got('sup', alert!.id)).toHaveLength(0);

      t = T0 + 60_000;
      await s.settle();
      expect(got('crewB', alert!.id)).toHaveLength(1);
      expect(got('sup', alert!.id)).toHaveLength(1);
      const body = got('sup', alert!.id)[0]!.json as { alert: { cause: string; severity: string; liftId: string } };
      expect(body.alert).toMatchObject({ severity: 'P1', liftId: 'L1', cause: 'P1: not acknowledged within 1 min' });

      t = T0 + 75_000;
      await s.alerting.transition(alert!.id, 'acknowledged', 'crewA', 'on my way');
      const reminders = got('crewA', alert!.id).length;
      t = T0 + 1_799_999;
      await s.settle();
      expect(got('crewA', alert!.id)).toHaveLength(reminders); // no reminder after the acknowledgement
      expect(got('mgr', alert!.id)).toHaveLength(0);
      t = T0 + 1_800_000;
      await s.settle();
      expect(got('mgr', alert!.id)).toHaveLength(1);
      expect(got('reg', alert!.id)).toHaveLength(1);

      const audit = (await s.alerting.get(alert!.id))!.audit.map((a) => `${a.action}: ${a.note}`);
      expect(audit).toEqual(expect.arrayContaining([expect.stringMatching(/^escalated: P1: not acknowledged within 1 min/), expect.stringMatching(/^escalated: P1: nobody on site within 30 min/)]));
      // Every attempt is written when it starts and again with its outcome.
      const outcomes = (await s.alerting.crews.notifications(alert!.id)).map((n) => n.outcome);
      expect(outcomes.filter((o) => o === 'sending')).toHaveLength(outcomes.length / 2);
      expect(outcomes.filter((o) => o !== 'sending').every((o) => o === 'sent')).toBe(true);
      await s.close();
    });

    it('after a stop of 10 minutes sends one reminder, not the 19 it missed, and the next on its schedule', async () => {
      const s = await open(mode);
      await seedCrew(s.alerting);
      const { alert } = await raise(s.alerting, 'L1', 'E01');
      await s.settle();
      expect(got('crewA', alert!.id)).toHaveLength(1);
      t = T0 + 600_000; // every alerting node was down since the alert opened
      for (let i = 0; i < 5; i++) await s.settle();
      expect(got('crewA', alert!.id)).toHaveLength(2); // the first notification and one reminder
      expect(got('crewB', alert!.id)).toHaveLength(1); // the 1-minute step, late but once
      t = T0 + 629_999;
      await s.settle();
      expect(got('crewA', alert!.id)).toHaveLength(2);
      t = T0 + 630_000; // 21 × 30 s: the schedule goes on from the alert's opening
      await s.settle();
      expect(got('crewA', alert!.id)).toHaveLength(3);
      await s.close();
    });

    it('does not escalate an alert acknowledged within the minute', async () => {
      const s = await open(mode);
      await seedCrew(s.alerting);
      const { alert } = await raise(s.alerting, 'L1', 'E01');
      await s.settle();
      t = T0 + 40_000;
      await s.alerting.transition(alert!.id, 'acknowledged', 'crewA');
      t = T0 + 61_000;
      await s.settle();
      expect(got('crewB', alert!.id)).toHaveLength(0);
      expect((await s.alerting.get(alert!.id))!.audit.some((a) => a.action === 'escalationSkipped')).toBe(true);
      await s.close();
    });

    it('fires the 1-minute step at its second after the process was down across it', async () => {
      const first = await open(mode);
      await seedCrew(first.alerting);
      const { alert } = await raise(first.alerting, 'L1', 'E01');
      await first.settle();
      await first.close(); // the process stops 0 s after the alert opened …
      t = T0 + 45_000;
      const second = await open(mode); // … and starts again at 45 s: nothing is due yet
      await second.settle();
      expect(got('crewB', alert!.id)).toHaveLength(0);
      t = T0 + 60_000;
      await second.settle();
      expect(got('crewB', alert!.id)).toHaveLength(1);
      await second.close();
    });

    it('plans the escalation of an alert that opened just before a crash, at the next start', async () => {
      const first = await open(mode);
      await seedCrew(first.alerting);
      await first.close();
      const raw = await openTestState(mode, where, now);
      const { alertId } = await raw.state.alerts.raise({ liftId: 'L1', code: 'E01', severity: 'P1', reason: 'opened, then the process died', evidence: { liftId: 'L1', stream: 'alarm', seq: 1, ts: t, values: {} }, at: t });
      await raw.close();
      t = T0 + 5_000;
      const second = await open(mode);
      await second.settle();
      expect(got('crewA', alertId)).toHaveLength(1);
      t = T0 + 60_000;
      await second.settle();
      expect(got('crewB', alertId)).toHaveLength(1);
      await second.close();
    });

    it('routes to whoever is on call now: the night shift gets an alert that opens at night', async () => {
      const s = await open(mode);
      await seedCrew(s.alerting);
      t = T0 + 9 * 3_600_000;
      const { alert } = await raise(s.alerting, 'L2', 'E01');
      await s.settle();
      expect(got('night', alert!.id)).toHaveLength(1);
      expect(got('crewA', alert!.id)).toHaveLength(0);
      await s.close();
    });

    it('runs the 1-3-5 preset for a unit that chose it', async () => {
      const s = await open(mode);
      await seedCrew(s.alerting);
      await s.alerting.crews.setPolicy('mu-1', 'P1', { preset: '1-3-5' });
      const { alert } = await raise(s.alerting, 'L3', 'E01');
      await s.settle();
      expect(got('crewA', alert!.id).length + got('crewB', alert!.id).length).toBe(2); // response team at once
      t = T0 + 60_000;
      await s.settle();
      expect(got('res', alert!.id)).toHaveLength(1);
      await s.alerting.transition(alert!.id, 'acknowledged', 'crewA');
      t = T0 + 180_000;
      await s.settle();
      expect(got('res', alert!.id)).toHaveLength(2); // not on site within 3 min: reinforcement called
      await s.alerting.transition(alert!.id, 'onSite', 'res');
      t = T0 + 300_000;
      await s.settle();
      expect(got('reg', alert!.id)).toHaveLength(1); // on site but not resolved within 5 min
      await s.close();
    });
  });

  describe('dedup, failures, preferences', () => {
    it('gives a flapping fault one alert with a count, and one notification', async () => {
      const s = await open(mode);
      await seedCrew(s.alerting);
      const results = await Promise.all(Array.from({ length: 8 }, () => raise(s.alerting, 'L1', 'E09', false)));
      await s.settle();
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const alert = (await s.alerting.get(results[0]!.alert!.id))!;
      expect(alert.occurrences).toBe(8);
      expect(alert.lastSeenAt).toBe(T0);
      expect(got('crewA', alert.id)).toHaveLength(1);
      // The lift's open alerts, kept as alerts change (the console's count): one, until it is resolved.
      expect(s.alerting.openAlerts().get('L1')).toBe(1);
      await s.alerting.transition(alert.id, 'resolved', 'crewA', '', { outcome: 'no-fault-found' });
      expect(s.alerting.openAlerts().get('L1')).toBeUndefined();
      await s.close();
    });

    it('keeps an alert that began and cleared in history closed with its real times and notifies nobody; one still raised opens now, saying when it began', async () => {
      const s = await open(mode);
      await seedCrew(s.alerting);
      const DAY = 86_400_000;
      const evidence = (ts: number) => ({ liftId: 'L2', stream: 'door', seq: ++seq, ts, values: {} });
      const past = await s.alerting.recordHistory({
        liftId: 'L2', code: 'D01', reason: 'door model predicts wear', evidence: evidence(T0 - 10 * DAY), openedAt: T0 - 10 * DAY, clearedAt: T0 - 9 * DAY, clearNote: 'score fell',
      });
      await s.settle();
      expect(past).toMatchObject({ state: 'resolved', openedAt: T0 - 10 * DAY, conditionClearedAt: T0 - 9 * DAY });
      expect((await s.alerting.get(past!.id))!.audit.map((l) => [l.at, l.action, l.actor])).toEqual([
        [T0 - 10 * DAY, 'opened', 'history'], [T0 - 9 * DAY, 'conditionCleared', 'history'], [T0 - 9 * DAY, 'resolved', 'history'],
      ]);
      expect(receiver.received).toEqual([]);
      expect((await s.alerting.list({ state: 'active' })).map((a) => a.id)).not.toContain(past!.id);
      expect((await s.alerting.list({ liftId: 'L2' })).map((a) => a.id)).toContain(past!.id);

      const began = T0 - 2 * DAY;
      const { alert } = await s.alerting.raise({ liftId: 'L2', code: 'D01', reason: 'door model predicts wear', evidence: evidence(began), beganAt: began });
      await s.settle();
      expect(alert).toMatchObject({ state: 'open', openedAt: t });
      expect(got('crewA', alert!.id)).toHaveLength(1);
      expect((await s.alerting.get(alert!.id))!.audit.find((l) => l.action === 'conditionBegan')).toMatchObject({ at: began, note: expect.stringMatching(/scored late/) as unknown });
      await s.close();
    });

    it('retries a failing webhook with backoff and finally marks it failed with the reason', async () => {
      const s = await open(mode);
      await seedCrew(s.alerting);
      failing.add('/p/crewA');
      const { alert } = await raise(s.alerting, 'L1', 'E01');
      await s.settle();
      t += 1000;
      await s.settle();
      t += 2000;
      await s.settle();
      const attempts = (await s.alerting.crews.notifications(alert!.id)).filter((n) => n.recipientId === 'crewA' && n.cause.startsWith('P1: on-call'));
      expect(attempts.map((a) => a.outcome)).toEqual(['sending', 'retrying', 'sending', 'retrying', 'sending', 'failed']);
      expect(attempts.map((a) => a.attempt)).toEqual([1, 1, 2, 2, 3, 3]);
      expect(attempts[5]!.detail).toMatch(/answered 503: "receiver down for maintenance"/);
      expect((await s.alerting.get(alert!.id))!.audit.find((a) => a.action === 'deliveryFailed')?.note).toMatch(/webhook to crewA failed after 3 attempt/);
      await s.close();
    });

    it('keeps quiet hours and severity choices for P2–P4 but never for P1', async () => {
      const s = await open(mode);
      await seedCrew(s.alerting);
      // 08:00 UTC is 16:00 in China; quiet 12:00–18:00 local.
      await s.alerting.crews.upsertPerson({ id: 'crewA', name: 'crewA', orgId: 'mu-1', channels: [hook('crewA')], quietHours: { from: '12:00', to: '18:00', utcOffsetMin: 480 } });
      const p2 = (await raise(s.alerting, 'L1', 'E09', false)).alert!;
      const p1 = (await raise(s.alerting, 'L2', 'E01')).alert!;
      await s.settle();
      expect(got('crewA', p2.id)).toHaveLength(0);
      expect((await s.alerting.crews.notifications(p2.id))[0]).toMatchObject({ outcome: 'suppressed', detail: 'quiet hours of crewA (12:00–18:00)' });
      expect(got('crewA', p1.id)).toHaveLength(1);
      await s.close();
    });

    it('writes a routing gap into the audit when nobody is on call', async () => {
      const s = await open(mode);
      const { alert } = await raise(s.alerting, 'NOWHERE-1', 'E01');
      await s.settle();
      expect((await s.alerting.get(alert!.id))!.audit.find((a) => a.action === 'routingGap')?.note).toMatch(/lift NOWHERE-1 belongs to no maintenance unit/);
      await s.close();
    });
  });

  describe('quiet during maintenance', () => {
    it('suppresses P2–P4 during a technician\'s visit, records it, never suppresses P1, and ends at check-out or the time limit', async () => {
      const s = await open(mode);
      await seedCrew(s.alerting);
      const visit = await s.alerting.crews.checkIn('L1', 'tech-Li', 600_000);
      expect(visit).toMatchObject({ liftId: 'L1', technician: 'tech-Li', source: 'checkIn', startedAt: T0, endsBy: T0 + 600_000, endedAt: null });
      const burst = await Promise.all(Array.from({ length: 5 }, () => raise(s.alerting, 'L1', 'E08', false)));
      expect(burst.every((r) => r.alert === undefined && r.suppressedBy === visit.id)).toBe(true);
      expect((await raise(s.alerting, 'L1', 'E01')).created).toBe(true); // P1 is never quiet
      t = T0 + 120_000;
      const ended = await s.alerting.crews.checkOut('L1', 'tech-Li');
      expect(ended).toMatchObject({ endedAt: T0 + 120_000, endReason: 'checked out by tech-Li', suppressed: 5 });
      expect((await raise(s.alerting, 'L1', 'E08', false)).created).toBe(true);

      await s.alerting.terminalMode('L2', 'inspection');
      expect((await raise(s.alerting, 'L2', 'E07', false)).suppressedBy).toBeDefined();
      t += 4 * 3_600_000 + 1; // the 4 h limit
      expect((await raise(s.alerting, 'L2', 'E07', false)).created).toBe(true);
      expect((await s.alerting.crews.visits('L2'))[0]).toMatchObject({ source: 'terminal', endReason: 'time limit of 240 min reached', suppressed: 1 });
      await s.close();
    });
  });
});
