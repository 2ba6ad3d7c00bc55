import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqttPacket from 'mqtt-packet';
import type { MqttClient } from 'mqtt';
import { liftTopic } from '@liftwatch/contract';
import { waitFor } from '@liftwatch/test-kit';
import { startTestBroker } from './helpers.js';
import { rawConnect, RawSession } from './raw-mqtt.js';

/*
 * Subscribers that stop reading: raw TCP sockets that subscribe to lift/# and then never read again,
 * while a terminal publishes megabytes. The broker must hold at most the configured backlog for them,
 * go on delivering to everyone else, drop their QoS 0 messages, then disconnect them, and live on.
 */
const BOUND_BYTES = 256 * 1024;
const PAYLOAD = Buffer.alloc(4096, 0x61);
const MESSAGES = 2000; // 8 MiB: more than the loopback socket buffers take in, many times the bound

let b: Awaited<ReturnType<typeof startTestBroker>>;
let terminal: MqttClient;
beforeAll(async () => {
  b = await startTestBroker({ limits: { publishesPerSecondPerClient: 1_000_000, maxOutgoingBytesPerClient: BOUND_BYTES, maxOutgoingMessagesPerClient: 1000, slowSubscriberGraceS: 1 } });
  terminal = await b.connect(await b.issue('SL-1'));
});
afterAll(async () => {
  await terminal?.endAsync();
  await b?.close();
});

/** A service account subscribed to lift/# that reads its CONNACK and SUBACK, then never reads again. */
async function stalledSubscriber(id: string, qos: 0 | 1, clean = true): Promise<RawSession & { password: string }> {
  const creds = await b.issue(null, 'ingest', id);
  const s = await RawSession.open(b.address.port);
  expect((await s.send(rawConnect({ clientId: id, user: id, password: creds.password, clean })).next(4)).toString('hex')).toMatch(/^200200/);
  await s.send(mqttPacket.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'lift/#', qos }] })).next(5);
  s.socket.pause();
  return Object.assign(s, { password: creds.password });
}

/** The stalled client's unsent bytes in the broker (aedes keeps connected clients by id). */
const backlogOf = (id: string) => (b.broker.aedes as unknown as { clients: Record<string, { conn: { writableLength: number } } | undefined> }).clients[id]?.conn.writableLength ?? 0;

/**
 * `MESSAGES` messages of 4 KiB, in batches of 20 (80 KiB, well within the bound) each followed by a
 * QoS 1 round trip, so that a subscriber that reads (in this same process) keeps up.
 */
async function publishAll(qos: 0 | 1, tag: string): Promise<void> {
  for (let i = 0; i < MESSAGES; i += 20) {
    await Promise.all(Array.from({ length: 20 }, (_, j) => terminal.publishAsync(liftTopic('SL-1', 'wave'), Buffer.concat([Buffer.from(`${tag}-${i + j}:`), PAYLOAD]), { qos })));
    await terminal.publishAsync(liftTopic('SL-1', 'status'), `${tag}-${i}`, { qos: 1 }); // its PUBACK: the broker has read all before it
  }
}

describe('a subscriber that never reads', () => {
  it('keeps its backlog within the bound while everyone else gets every message; drops its QoS 0 messages, then disconnects it', async () => {
    const healthy = await b.connect(await b.issue(null, 'dashboards', 'svc-healthy'));
    let delivered = 0;
    healthy.on('message', (topic) => void (topic === liftTopic('SL-1', 'wave') && delivered++));
    await healthy.subscribeAsync('lift/#', { qos: 0 });
    const stalled = await stalledSubscriber('svc-stalled', 0);
    const leaving = await stalledSubscriber('svc-leaving', 0);
    let largest = 0;
    const sampler = setInterval(() => { largest = Math.max(largest, backlogOf('svc-stalled')); }, 2);
    await publishAll(0, 'a');
    clearInterval(sampler);
    await waitFor('every message at the healthy subscriber', () => delivered === MESSAGES);
    expect(largest).toBeGreaterThan(0);
    expect(largest).toBeLessThanOrEqual(BOUND_BYTES + 2 * PAYLOAD.length);
    expect(b.broker.metrics().outgoingDropped).toBeGreaterThan(0);
    expect(b.logs).toContainEqual(expect.stringContaining('broker: client svc-stalled reads slower than its messages come: its QoS 0 messages are dropped'));

    leaving.end(); // the subscriber goes away by itself while at the bound: the broker lives on
    await waitFor('the grace to run out', () => b.gone.includes('svc-stalled'));
    expect(b.logs).toContainEqual('broker: disconnected client svc-stalled: its backlog stayed at the bound for 1000 ms (limit maxOutgoingBytesPerClient)');
    expect(b.broker.metrics().disconnectedForLimit['maxOutgoingBytesPerClient']).toBeGreaterThanOrEqual(1);
    await terminal.publishAsync(liftTopic('SL-1', 'status'), 'still served', { qos: 1 });
    expect(b.received).toContainEqual(expect.objectContaining({ payload: 'still served' }));
    stalled.end();
    await healthy.endAsync();
  });

  it('disconnects a QoS 1 subscriber when a QoS 1 message would pass the bound, and keeps its messages for its next connection', async () => {
    const id = 'svc-stalled-qos1';
    const stalled = await stalledSubscriber(id, 1, false);
    await publishAll(1, 'q');
    await waitFor('the disconnection', () => b.gone.includes(id));
    expect(b.logs).toContainEqual(expect.stringMatching(/^broker: disconnected client svc-stalled-qos1: a QoS 1 message would pass its outgoing bound/));
    stalled.end();
    const again = await b.connect({ clientId: id, username: id, password: stalled.password, clean: false });
    const seen = new Set<string>();
    again.on('message', (_topic, payload) => void seen.add(payload.toString('latin1').split(':')[0]!));
    await waitFor('every QoS 1 message after the reconnect', () => Array.from({ length: MESSAGES }, (_, i) => `q-${i}`).every((tag) => seen.has(tag)), 20_000);
    await again.endAsync();
  });
});
