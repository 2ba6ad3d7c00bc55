import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStateStore } from '@liftwatch/state-store';
import { waitFor } from '@liftwatch/test-kit';
import { createAlerting } from '../src/alerting.js';
import { createWebhookChannel } from '../src/channels/webhook.js';
import { createBullmqJobQueue } from '../src/queue/bullmq-job-queue.js';
import { startHttpReceiver } from './receivers.js';
import { startRedis } from './redis-server.js';

let redis: Awaited<ReturnType<typeof startRedis>>;
let receiver: Awaited<ReturnType<typeof startHttpReceiver>>;
beforeAll(async () => {
  [redis, receiver] = await Promise.all([startRedis(), startHttpReceiver(() => ({ status: 200, body: { ok: true } }))]);
  receiver.state.delayMs = 60; // a receiver that takes its time, so Redis dies while deliveries are in flight
});
afterAll(async () => { await Promise.all([redis?.stop(), receiver?.close()]); });

describe('distributed mode: escalation and delivery on BullMQ', () => {
  it('loses no notification when Redis is restarted in the middle of the deliveries, and the receiver can keep one of each', async () => {
    const state = await openStateStore({ url: 'sqlite::memory:' });
    const queue = createBullmqJobQueue({ port: redis.port, name: `alerts-${randomUUID()}`, concurrency: 4, lockDurationMs: 2000, stalledIntervalMs: 1000 });
    const alerting = createAlerting({ state, queue, channels: { webhook: createWebhookChannel({ timeoutMs: 2000 }) }, escalation: { deliveryAttempts: 8, deliveryBackoffMs: 200 } });
    await alerting.crews.upsertOrg({ id: 'mu', kind: 'maintenanceUnit', name: 'unit' });
    await alerting.crews.upsertPerson({ id: 'crewA', name: 'A', orgId: 'mu', channels: [{ kind: 'webhook', to: `${receiver.url}/a`, secret: 's' }] });
    await alerting.crews.upsertPerson({ id: 'crewB', name: 'B', orgId: 'mu', channels: [] });
    await alerting.crews.addShift({ unitId: 'mu', startsAt: Date.now() - 1000, endsAt: Date.now() + 3_600_000, primary: 'crewA', backup: 'crewB' });
    alerting.start();
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) {
      const liftId = `R-${i}`;
      await alerting.crews.assignLift({ liftId, maintenanceUnit: 'mu' });
      ids.push((await alerting.raise({ liftId, code: 'E01', reason: 'alarm button', passengersPresent: true, evidence: { liftId, stream: 'alarm', seq: 1, ts: Date.now(), values: {} } })).alert!.id);
    }
    const alertsReceived = () => new Set(receiver.received.map((r) => (r.json as { alert: { alertId: number } }).alert.alertId));
    await waitFor('the first deliveries', () => alertsReceived().size >= 3, 15_000, 5);
    expect(alertsReceived().size).toBeLessThan(20);
    await redis.restart();
    await waitFor('a notification of every alert', () => alertsReceived().size === 20, 40_000);
    expect([...alertsReceived()].sort((a, b) => a - b)).toEqual(ids);
    const keys = receiver.received.map((r) => r.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(20); // one key per notification, however many sends
    await waitFor('every attempt recorded as sent', async () => (await Promise.all(ids.map((id) => alerting.crews.notifications(id)))).every((ns) => ns.some((n) => n.outcome === 'sent')), 10_000);
    await alerting.close();
    await state.close();
  });
});
