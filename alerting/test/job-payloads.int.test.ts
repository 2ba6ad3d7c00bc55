import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectedMessageCounts } from '@liftwatch/contract';
import { openStateStore } from '@liftwatch/state-store';
import { startRedis, waitFor } from '@liftwatch/test-kit';
import { createAlerting } from '../src/alerting.js';
import { createWebhookChannel } from '../src/channels/webhook.js';
import { createBullmqJobQueue } from '../src/queue/bullmq-job-queue.js';
import { startHttpReceiver } from './receivers.js';

let redis: Awaited<ReturnType<typeof startRedis>>;
let receiver: Awaited<ReturnType<typeof startHttpReceiver>>;
beforeAll(async () => { [redis, receiver] = await Promise.all([startRedis(), startHttpReceiver(() => ({ status: 200, body: { ok: true } }))]); });
afterAll(async () => { await Promise.all([redis?.stop(), receiver?.close()]); });

describe('alert jobs taken from the queue are checked against their schema', () => {
  it('a job whose payload does not match is failed at once with the reason, logged and counted; the alerts go on', async () => {
    const name = `alerts-${randomUUID()}`;
    const state = await openStateStore({ url: 'sqlite::memory:' });
    const lines: string[] = [];
    const queue = createBullmqJobQueue({ port: redis.port, name });
    const alerting = createAlerting({ state, queue, channels: { webhook: createWebhookChannel({ timeoutMs: 2000 }) }, log: (l) => lines.push(l) });
    // Another node (another version, another program) queues jobs this one cannot read.
    const other = createBullmqJobQueue({ port: redis.port, name });
    try {
      await alerting.crews.upsertOrg({ id: 'mu', kind: 'maintenanceUnit', name: 'unit' });
      await alerting.crews.upsertPerson({ id: 'crewA', name: 'A', orgId: 'mu', channels: [{ kind: 'webhook', to: `${receiver.url}/a`, secret: 's' }] });
      await alerting.crews.addShift({ unitId: 'mu', startsAt: Date.now() - 1000, endsAt: Date.now() + 3_600_000, primary: 'crewA', backup: 'crewA' });
      await alerting.crews.assignLift({ liftId: 'J-1', maintenanceUnit: 'mu' });
      const alert = (await alerting.raise({ liftId: 'J-1', code: 'E01', reason: 'alarm button', passengersPresent: true, evidence: { liftId: 'J-1', stream: 'alarm', seq: 1, ts: Date.now(), values: {} } })).alert!;
      const before = rejectedMessageCounts()['alert-jobs'];
      await other.addBulk([
        { id: 'dlv.bad', kind: 'deliver', payload: { alertId: alert.id, cause: 'step0', label: 'x', recipient: { id: 'crewA', name: 'A' }, to: { kind: 'pigeon', to: 'roof' } }, runAt: Date.now(), maxAttempts: 5, backoffMs: 100 },
        { id: 'esc.bad', kind: 'escalate', payload: { alertId: String(alert.id) }, runAt: Date.now(), maxAttempts: 5, backoffMs: 100 },
      ]);
      alerting.start();
      await waitFor('the on-call crew notified', () => receiver.received.length > 0, 15_000);
      await waitFor('both bad jobs failed', async () => (await Promise.all(['dlv.bad', 'esc.bad'].map((id) => queue.state(id)))).every((s) => s?.state === 'failed'), 10_000);
      const bad = await queue.state('dlv.bad');
      expect(bad).toMatchObject({ state: 'failed', attempts: 1 }); // not retried: every try would fail the same way
      expect(bad?.lastError).toMatch(/^job dlv\.bad: an alert job taken from the queue does not match its schema and is dropped: deliver\.to\.kind: expected one of "webhook", .*got "pigeon"/);
      expect((await queue.state('esc.bad'))?.lastError).toMatch(/escalate\.alertId: expected integer, got "\d+"/);
      expect(rejectedMessageCounts()['alert-jobs']).toBe(before + 2);
      expect(lines.filter((l) => l.includes('does not match its schema'))).toHaveLength(before === 0 ? 1 : 0);
      expect(receiver.received.every((r) => (r.json as { alert: { alertId: number } }).alert.alertId === alert.id)).toBe(true);
    } finally {
      await other.close();
      await alerting.close();
      await state.close();
    }
  });
});
