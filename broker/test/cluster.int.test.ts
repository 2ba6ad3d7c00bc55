import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liftTopic } from '@liftwatch/contract';
import { openStateStore, type StateStore } from '@liftwatch/state-store';
import { startRedis, waitFor } from '@liftwatch/test-kit';
import { startTestBroker } from './helpers.js';

let redis: Awaited<ReturnType<typeof startRedis>>;
/** One registry store for both nodes, as a cluster needs (see the broker README). */
let registry: StateStore;
let a: Awaited<ReturnType<typeof startTestBroker>>;
let b: Awaited<ReturnType<typeof startTestBroker>>;
beforeAll(async () => {
  redis = await startRedis();
  registry = await openStateStore({ url: 'sqlite::memory:' });
  a = await startTestBroker({ redisUrl: redis.url }, registry);
  b = await startTestBroker({ redisUrl: redis.url }, registry);
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await redis?.stop();
  await registry?.close();
});

describe('two broker nodes sharing one Redis', () => {
  it('a message published on one node reaches a subscriber on the other', async () => {
    const dash = await a.connect(await a.issue(null, 'dashboards')); // the platform on node A
    const terminal = await b.connect(await b.issue('CL-1')); // the terminal on node B
    await terminal.subscribeAsync(liftTopic('CL-1', 'cmd'), { qos: 1 }); // node B acknowledges once its subscription is in Redis
    const got = new Promise<string>((resolve) => terminal.once('message', (_t, p) => resolve(p.toString())));
    await dash.publishAsync(liftTopic('CL-1', 'cmd'), '{"cmd":"reboot"}', { qos: 1 });
    expect(await got).toBe('{"cmd":"reboot"}');

    const svc = await b.connect(await b.issue(null, 'ingest')); // an ingest account on node B
    await svc.subscribeAsync('lift/v1/+/alarm', { qos: 1 }); // ... and once its filter is announced to node A
    const seen = new Promise<string>((resolve) => svc.once('message', (t) => resolve(t)));
    const t2 = await a.connect(await a.issue('CL-1', 'terminal', 'T-CL-1b')); // a second terminal of the lift, on node A
    await t2.publishAsync(liftTopic('CL-1', 'alarm'), '{"seq":1}', { qos: 1 }); // the terminal's record, on node A
    expect(await seen).toBe(liftTopic('CL-1', 'alarm'));
    expect(a.received.some((r) => r.topic === liftTopic('CL-1', 'alarm'))).toBe(true); // ingested once, where it arrived
    expect(b.received.some((r) => r.topic === liftTopic('CL-1', 'alarm'))).toBe(false);
    for (const c of [dash, terminal, svc, t2]) await c.endAsync();
  });

  it('a retained message stored through one node is delivered by the other', async () => {
    const dash = await a.connect(await a.issue(null, 'dashboards', 'svc-dash-ret'));
    await dash.publishAsync(liftTopic('CL-2', 'config'), '{"statusIntervalS":20}', { qos: 1, retain: true });
    const terminal = await b.connect(await b.issue('CL-2'));
    const got = new Promise<{ payload: string; retain: boolean }>((resolve) => terminal.once('message', (_t, p, packet) => resolve({ payload: p.toString(), retain: packet.retain })));
    await terminal.subscribeAsync(liftTopic('CL-2', 'config'), { qos: 1 });
    expect(await got).toEqual({ payload: '{"statusIntervalS":20}', retain: true });
    await terminal.endAsync();
    await dash.endAsync();
  });

  it('a terminal disabled or rotated through one node is dropped by the node it is connected to', async () => {
    const creds = await a.issue('CL-3');
    const t = await b.connect(creds); // connected to node B
    await a.registry.setEnabled('T-CL-3', false); // disabled through node A (its API, or the CLI's registry)
    await waitFor('node B to drop the disabled terminal', () => !t.connected, 15_000);
    expect(b.logs.some((l) => l.includes('disconnected client T-CL-3: its token was disabled'))).toBe(true);
    t.end(true);

    await a.registry.setEnabled('T-CL-3', true);
    const again = await b.connect(creds);
    await a.registry.rotate('T-CL-3');
    await waitFor('node B to drop the rotated terminal', () => !again.connected, 15_000);
    again.end(true);
  });
});
