import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@liftwatch/test-kit';
import { startPostgres, startRedis, type RunningPostgres } from '@liftwatch/test-kit/servers';
import { openStateStore, type StateStore } from '@liftwatch/state-store';
import { createAlerting, type Alerting } from '../src/alerting.js';
import { createWebhookChannel, WEBHOOK_HEADERS } from '../src/channels/webhook.js';
import { createBullmqJobQueue } from '../src/queue/bullmq-job-queue.js';
import { hmacHex, startHttpReceiver, type Received } from './receivers.js';

/**
 * Several alerting nodes: two createAlerting over two connections to one PostgreSQL and
 * one BullMQ queue on one Redis, both started, as two processes would be. Real clock; the policy's
 * second step is due 1 s after the alert opens.
 */
const SECRET = 's3';
let pg: RunningPostgres;
let redis: Awaited<ReturnType<typeof startRedis>>;
let receiver: Awaited<ReturnType<typeof startHttpReceiver>>;
let url: string;
let queueName: string;
const stores: StateStore[] = [];
const nodes: Alerting[] = [];

/** A node with its connection open, not yet started. */
async function openNode(recoverEveryMs?: number): Promise<Alerting> {
  const state = await openStateStore({ url });
  stores.push(state);
  const queue = createBullmqJobQueue({ port: redis.port, name: queueName, concurrency: 8 });
  const alerting = createAlerting({ state, queue, channels: { webhook: createWebhookChannel() }, escalation: { deliveryAttempts: 3, deliveryBackoffMs: 200 }, ...(recoverEveryMs ? { recoverEveryMs } : {}) });
  nodes.push(alerting);
  return alerting;
}
async function startNode(): Promise<Alerting> {
  const alerting = await openNode();
  alerting.start();
  return alerting;
}

const hook = (id: string) => ({ kind: 'webhook' as const, to: `${receiver.url}/p/${id}`, secret: SECRET });
const got = (id: string, alertId: number) => receiver.received.filter((r) => r.path === `/p/${id}` && (r.json as { alert: { alertId: number } }).alert.alertId === alertId);
const ev = (liftId: string, seq: number) => ({ liftId, stream: 'alarm', seq, ts: Date.now(), values: {} });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let n1: Alerting;
let n2: Alerting;

beforeAll(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  receiver = await startHttpReceiver((r: Received) => {
    const ts = String(r.headers[WEBHOOK_HEADERS.timestamp]);
    if (r.headers[WEBHOOK_HEADERS.signature] !== `sha256=${hmacHex(SECRET, `${ts}.${r.raw}`)}`) return { status: 401, body: 'bad signature' };
    return { status: 200, body: { ok: true } };
  });
  url = await pg.newDatabase('alerting_nodes');
  queueName = `alerts-${randomUUID()}`;
  [n1, n2] = await Promise.all([startNode(), startNode()]);
  await n1.crews.upsertOrg({ id: 'mu-1', kind: 'maintenanceUnit', name: 'West Lake Lift Service', roles: { supervisor: ['sup'] } });
  for (const id of ['crewA', 'crewB', 'sup']) await n2.crews.upsertPerson({ id, name: id, orgId: 'mu-1', channels: [hook(id)] });
  for (const liftId of ['L1', 'L2', 'L3', 'L4', 'L5']) await n1.crews.assignLift({ liftId, maintenanceUnit: 'mu-1' });
  await n2.crews.addShift({ unitId: 'mu-1', startsAt: Date.now() - 3_600_000, endsAt: Date.now() + 3_600_000, primary: 'crewA', backup: 'crewB' });
  await n1.crews.setPolicy('mu-1', 'P1', {
    name: 'fast', reminder: null, steps: [
      { afterS: 0, unless: 'acknowledged', notify: ['primary'], label: 'crew at once' },
      { afterS: 1, unless: 'acknowledged', notify: ['backup', 'supervisor'], label: 'not acknowledged within 1 s' },
    ],
  });
}, 60_000);

afterAll(async () => {
  for (const n of nodes) await n.close();
  for (const s of stores) await s.close();
  await receiver?.close();
  await redis?.stop();
  await pg?.stop();
});

describe('two alerting nodes over one PostgreSQL and one Redis', () => {
  it('the same alert raised on both at once is one alert with two occurrences, and its 1 s step fires exactly once', async () => {
    const [a, b] = await Promise.all([
      n1.raise({ liftId: 'L1', code: 'E01', reason: 'alarm button', passengersPresent: true, evidence: ev('L1', 1) }),
      n2.raise({ liftId: 'L1', code: 'E01', reason: 'alarm button', passengersPresent: true, evidence: ev('L1', 2) }),
    ]);
    expect(a.alert!.id).toBe(b.alert!.id);
    expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
    const id = a.alert!.id;
    expect(await n2.get(id)).toMatchObject({ occurrences: 2, state: 'open', severity: 'P1' });
    await waitFor('the 1 s step', () => got('sup', id).length > 0, 10_000);
    await sleep(1500); // time for a second node to deliver again, if it would
    expect(got('crewA', id)).toHaveLength(1);
    expect(got('crewB', id)).toHaveLength(1);
    expect(got('sup', id)).toHaveLength(1);
    const audit = (await n1.get(id))!.audit.map((l) => l.action);
    expect(audit.filter((x) => x === 'policy')).toHaveLength(1);
    expect(audit.filter((x) => x === 'escalated')).toHaveLength(1);
    expect(audit.filter((x) => x === 'notified')).toHaveLength(1);
    const sent = (await n2.crews.notifications(id)).filter((n) => n.outcome === 'sent');
    expect(sent.map((n) => n.recipientId).sort()).toEqual(['crewA', 'crewB', 'sup']);
  });

  it('an alert acknowledged on node 1 before the step is not escalated by the timer, whichever node runs it', async () => {
    const { alert } = await n2.raise({ liftId: 'L2', code: 'E01', reason: 'alarm button', passengersPresent: true, evidence: ev('L2', 1) });
    await n1.transition(alert!.id, 'acknowledged', 'crewA', 'on my way');
    await expect(n2.transition(alert!.id, 'acknowledged', 'crewB')).rejects.toThrow(/is acknowledged; it can move to onSite, resolved, falseAlarm, not to acknowledged/);
    await waitFor('the step to run', async () => (await n1.get(alert!.id))!.audit.some((l) => l.action === 'escalationSkipped'), 10_000);
    await sleep(500);
    const audit = (await n2.get(alert!.id))!.audit;
    expect(audit.filter((l) => l.action === 'escalationSkipped')).toHaveLength(1);
    expect(audit.filter((l) => l.action === 'escalated')).toHaveLength(0);
    expect(got('crewB', alert!.id)).toHaveLength(0);
    expect(got('sup', alert!.id)).toHaveLength(0);
    expect(await n2.get(alert!.id)).toMatchObject({ state: 'acknowledged', assignee: 'crewA' });
  });

  it('a visit checked in on node 1 keeps a P3 raised on node 2 quiet, and is counted there', async () => {
    const visit = await n1.crews.checkIn('L3', 'tech-Li', 600_000);
    const r = await n2.raise({ liftId: 'L3', code: 'D01', reason: 'door operator wear', evidence: ev('L3', 1) });
    expect(r).toMatchObject({ alert: undefined, created: false, suppressedBy: visit.id });
    expect((await n1.crews.visits('L3'))[0]).toMatchObject({ id: visit.id, suppressed: 1 });
    await n2.crews.checkOut('L3', 'tech-Li');
    expect((await n1.raise({ liftId: 'L3', code: 'D01', reason: 'door operator wear', evidence: ev('L3', 2) })).created).toBe(true);
  });

  it('two nodes starting at once plan an alert left unplanned by a crash once: one policy line, one delivery', async () => {
    const raw = await openStateStore({ url });
    stores.push(raw);
    const { alertId } = await raw.alerts.raise({ liftId: 'L4', code: 'E01', severity: 'P1', reason: 'opened, then the node died', evidence: ev('L4', 1), at: Date.now() });
    const [c, d] = await Promise.all([openNode(), openNode()]);
    c.start(); // at the same moment: both recoveries find the alert unplanned
    d.start();
    const planned = await Promise.all([c.recovered(), d.recovered()]);
    expect(planned.sort()).toEqual([0, 1]);
    await waitFor('the 1 s step of the recovered alert', () => got('sup', alertId).length > 0, 10_000);
    await sleep(1500);
    expect(got('crewA', alertId)).toHaveLength(1);
    expect(got('sup', alertId)).toHaveLength(1);
    const audit = (await c.get(alertId))!.audit.map((l) => l.action);
    expect(audit.filter((x) => x === 'policy')).toHaveLength(1);
    expect(audit.filter((x) => x === 'escalated')).toHaveLength(1);
  });

  it('a running node takes over the plan of a node that died after claiming it, once the claim\'s lease is over', async () => {
    const raw = await openStateStore({ url });
    stores.push(raw);
    const { alertId } = await raw.alerts.raise({ liftId: 'L5', code: 'E01', severity: 'P1', reason: 'opened; its node died while planning', evidence: ev('L5', 1), at: Date.now() });
    // Claimed 59 s ago by a node that then died: the 60 s lease runs out in about a second.
    expect(await raw.alerts.claimPlan(alertId, 'dead-node', Date.now() - 59_000, 60_000)).toBe(true);
    const e = await openNode(200);
    e.start();
    expect(await e.recovered()).toBe(0); // the claim holds at start …
    expect(got('crewA', alertId)).toHaveLength(0);
    await waitFor('the crew notified by the node that took over (… a later look does not)', () => got('crewA', alertId).length > 0, 10_000);
    expect((await e.get(alertId))!.audit.filter((l) => l.action === 'policy')).toHaveLength(1);
  });
});
