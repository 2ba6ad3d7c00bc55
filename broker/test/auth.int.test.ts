import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MqttClient } from 'mqtt';
import { liftTopic } from '@liftwatch/contract';
import { waitFor } from '@liftwatch/test-kit';
import { refusal, startTestBroker } from './helpers.js';
import { rawConnect, RawSession } from './raw-mqtt.js';

let b: Awaited<ReturnType<typeof startTestBroker>>;
let bystander: MqttClient;
const status = (liftId: string, seq: number) => JSON.stringify({ liftId, seq });

beforeAll(async () => {
  b = await startTestBroker({ limits: { maxPacketBytes: 64 * 1024, publishesPerSecondPerClient: 100 } });
  bystander = await b.connect(await b.issue('BY-1'));
});
afterAll(async () => {
  await bystander?.endAsync();
  await b?.close();
});

/** The bystander's round trip still works: what other clients must not notice. */
async function bystanderStillServed(seq: number) {
  expect(bystander.connected).toBe(true);
  await bystander.publishAsync(liftTopic('BY-1', 'status'), status('BY-1', seq), { qos: 1 });
  expect(b.received).toContainEqual({ topic: liftTopic('BY-1', 'status'), payload: status('BY-1', seq), clientId: 'T-BY-1' });
}

describe('authentication', () => {
  it('lets a terminal in with its token, and its QoS 1 publish reaches ingest before PUBACK', async () => {
    const c = await b.connect(await b.issue('A-1'));
    await c.publishAsync(liftTopic('A-1', 'status'), status('A-1', 1), { qos: 1 });
    expect(b.received).toContainEqual({ topic: liftTopic('A-1', 'status'), payload: status('A-1', 1), clientId: 'T-A-1' });
    await c.endAsync();
  });

  it('refuses a wrong token (CONNACK 4) with a log line naming the client, and others go on', async () => {
    const creds = await b.issue('A-2');
    const r = await refusal(b.connect({ ...creds, password: `${creds.password}x` }));
    expect(r.code).toBe(4); // MQTT 3.1.1 §3.2.2.3: bad user name or password
    expect(b.logs).toContainEqual(expect.stringMatching(/refused connection of client "T-A-2" from 127\.0\.0\.1: wrong token for terminal T-A-2/));
    await bystanderStillServed(2);
  });

  it('refuses an unknown client id and a client without credentials', async () => {
    expect((await refusal(b.connect({ clientId: 'T-GHOST', username: 'T-GHOST', password: 'lwt_guess' }))).code).toBe(4);
    expect(b.logs).toContainEqual(expect.stringContaining('client id "T-GHOST" is not a registered terminal'));
    expect((await refusal(b.connect({ clientId: 'T-ANON' }))).code).toBe(5); // not authorized
    expect(b.logs).toContainEqual(expect.stringContaining('no token and no client certificate, and anonymous access is off'));
    expect(b.broker.metrics().connectionsRefused).toMatchObject({ badCredentials: expect.any(Number), notAuthorized: expect.any(Number) });
  });

  it('refuses a token presented under another terminal\'s id', async () => {
    const a3 = await b.issue('A-3');
    await b.issue('A-4');
    expect((await refusal(b.connect({ clientId: 'T-A-4', username: 'T-A-4', password: a3.password }))).code).toBe(4);
    expect((await refusal(b.connect({ ...a3, username: 'T-A-4' }))).code).toBe(4);
  });

  it('drops a connected terminal when it is disabled, and refuses it afterwards', async () => {
    const creds = await b.issue('A-5');
    const c = await b.connect(creds);
    await b.registry.setEnabled('T-A-5', false);
    await waitFor('the connection to close', () => !c.connected);
    expect((await refusal(b.connect(creds))).code).toBe(4);
    c.end(true);
  });
});

describe('authorisation', () => {
  it('disconnects a terminal that publishes to another lift\'s topic; nothing reaches ingest', async () => {
    const c = await b.connect(await b.issue('P-1'));
    const before = b.received.length;
    c.publish(liftTopic('BY-1', 'alarm'), status('BY-1', 99), { qos: 1 });
    await waitFor('the connection to close', () => !c.connected);
    expect(b.received.length).toBe(before);
    expect(b.logs).toContainEqual('broker: disconnected client T-P-1: terminal T-P-1 speaks for lift P-1 and may not publish to lift/v1/BY-1/alarm, a topic of lift BY-1 (LW_ERR_TOPIC_FORBIDDEN)');
    c.end(true);
    await bystanderStillServed(3);
  });

  it('refuses an unknown stream and a stream only the platform sends', async () => {
    for (const topic of ['lift/v1/P-2/bogus', liftTopic('P-2', 'cmd')]) {
      const c = await b.connect(await b.issue('P-2', 'terminal', `T-P-2-${topic.length}`));
      c.publish(topic, '{}', { qos: 1 });
      await waitFor('the connection to close', () => !c.connected);
      c.end(true);
    }
    expect(b.received.some((r) => r.topic.startsWith('lift/v1/P-2/'))).toBe(false);
  });

  it('answers a terminal subscribing to # with failure 0x80, keeps it connected, and grants its own config', async () => {
    const c = await b.connect(await b.issue('S-1'));
    // mqtt.js rejects a SUBACK holding a failure code; the packet is on the error.
    const err = await c.subscribeAsync(['#', liftTopic('S-2', 'config'), liftTopic('S-1', 'config'), liftTopic('S-1', 'cmd')], { qos: 1 }).catch((e: unknown) => e) as { packet?: { granted: number[] } };
    expect(err.packet?.granted).toEqual([128, 128, 1, 1]); // MQTT 3.1.1 §3.9.3
    expect(c.connected).toBe(true);
    expect(b.logs).toContainEqual(expect.stringContaining('refused subscription of client T-S-1: terminal T-S-1 may subscribe only to its own lift\'s config and cmd topics, not to "#"'));
    await c.endAsync();
  });

  it('delivers a retained config from the dashboards account to the terminal that subscribes later, and only to it', async () => {
    const dash = await b.connect(await b.issue(null, 'dashboards'));
    const config = JSON.stringify({ schemaVersion: 1, statusIntervalS: 5 });
    await dash.publishAsync(liftTopic('R-1', 'config'), config, { qos: 1, retain: true });
    const t = await b.connect(await b.issue('R-1'));
    const got = new Promise<{ topic: string; payload: string; retain: boolean }>((resolve) => t.once('message', (topic, payload, packet) => resolve({ topic, payload: payload.toString(), retain: packet.retain })));
    await t.subscribeAsync(liftTopic('R-1', 'config'), { qos: 1 });
    expect(await got).toEqual({ topic: liftTopic('R-1', 'config'), payload: config, retain: true });
    expect(b.received.some((r) => r.topic === liftTopic('R-1', 'config'))).toBe(false); // config is not telemetry
    await t.endAsync();
    await dash.endAsync();
  });

  it('lets an ingest account read every lift\'s records through a wildcard, and forbids its publishing', async () => {
    const svc = await b.connect(await b.issue(null, 'ingest'));
    const [g] = await svc.subscribeAsync('lift/v1/+/+', { qos: 1 });
    expect(g?.qos).toBe(1);
    const seen = new Promise<string>((resolve) => svc.on('message', (topic) => topic.startsWith('lift/v1/BY-1/') && resolve(topic)));
    await bystander.publishAsync(liftTopic('BY-1', 'trip'), '{"x":1}', { qos: 1 });
    expect(await seen).toBe(liftTopic('BY-1', 'trip'));
    svc.publish(liftTopic('BY-1', 'status'), '{}', { qos: 1 });
    await waitFor('the ingest account to be dropped', () => !svc.connected);
    svc.end(true);
  });
});

describe('last wills', () => {
  it('publishes a terminal\'s last will when its connection dies', async () => {
    const offline = JSON.stringify({ state: 'offline', terminalId: 'T-W-1' });
    const c = await b.connect({ ...(await b.issue('W-1')), will: { topic: liftTopic('W-1', 'presence'), payload: Buffer.from(offline), qos: 1, retain: true } });
    c.stream.destroy();
    await waitFor('the last will', () => b.received.find((r) => r.topic === liftTopic('W-1', 'presence')));
    expect(b.received.find((r) => r.topic === liftTopic('W-1', 'presence'))).toEqual({ topic: liftTopic('W-1', 'presence'), payload: offline, clientId: 'T-W-1' });
    await waitFor('presence to hear the client is gone', () => b.gone.includes('T-W-1'));
    c.end(true);
  });

  it('refuses at CONNECT a last will on another lift\'s topic', async () => {
    const r = await refusal(b.connect({ ...(await b.issue('W-2')), will: { topic: liftTopic('BY-1', 'presence'), payload: Buffer.from('{}'), qos: 1, retain: true } }));
    expect(r.code).toBe(5);
    expect(b.logs).toContainEqual(expect.stringContaining('last will refused: terminal T-W-2 speaks for lift W-2 and may not publish to lift/v1/BY-1/presence'));
  });
});

describe('limits', () => {
  it('closes a connection whose packet is larger than maxPacketBytes before reading it, and others go on', async () => {
    const c = await b.connect(await b.issue('L-1'));
    c.publish(liftTopic('L-1', 'wave'), Buffer.alloc(100 * 1024, 0x41), { qos: 1 });
    await waitFor('the connection to close', () => !c.connected);
    expect(b.logs).toContainEqual(expect.stringMatching(/disconnected client T-L-1: publish of 1024\d\d bytes is larger than 65536 \(limit maxPacketBytes\)/));
    expect(b.received.some((r) => r.topic === liftTopic('L-1', 'wave'))).toBe(false);
    c.end(true);
    await bystanderStillServed(4);
  });

  it('holds a client that publishes too fast to its rate, logs it, and the others are not slowed', async () => {
    const c = await b.connect(await b.issue('L-2'));
    const t0 = Date.now();
    const flood = Promise.all(Array.from({ length: 300 }, (_, i) => c.publishAsync(liftTopic('L-2', 'status'), status('L-2', i), { qos: 1 })));
    const held = 'broker: client T-L-2: publishes more than 100 messages a second: its messages are held back to that rate (limit publishesPerSecondPerClient)';
    await waitFor('the flood to be held back', () => b.logs.includes(held));
    await bystanderStillServed(5);
    // served while the flood still waits its turn: not behind it
    expect(b.received.filter((r) => r.clientId === 'T-L-2').length).toBeLessThan(300);
    await flood;
    // 100/s with a burst of 200: the last 100 take at least a second.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(b.received.filter((r) => r.clientId === 'T-L-2')).toHaveLength(300);
    expect(b.logs.filter((l) => l === held)).toHaveLength(1);
    await c.endAsync();
  });
});

describe('a connection flood from one address', () => {
  let f: Awaited<ReturnType<typeof startTestBroker>>;
  beforeAll(async () => {
    f = await startTestBroker({ limits: { connectionsPerSecondPerAddress: 4 } }); // bursts up to 20
  });
  afterAll(async () => {
    await f?.close();
  });
  afterEach(() => { vi.useRealTimers(); });

  it('is cut to the limit with one log line, the broker keeps serving its clients, and lets the address in again later', async () => {
    // The limiter's clock (Date) stands still through the flood, so no token comes back meanwhile however
    // slow the machine; timers run as ever.
    vi.useFakeTimers({ toFake: ['Date'] });
    const early = await f.connect(await f.issue('F-1')); // takes 1 of the burst of 20
    // 60 connections, each sending a CONNECT of an unknown client: one the broker takes is answered (a refusing
    // CONNACK) and closed; one cut by the limit is closed without a word.
    const flood = await Promise.all(Array.from({ length: 60 }, () => RawSession.open(f.address.port)));
    for (const [i, s] of flood.entries()) s.send(rawConnect({ clientId: `T-NOBODY-${i}` }));
    await waitFor('every connection of the flood answered or cut', () => flood.every((s) => s.closed));
    const cut = flood.filter((s) => s.received.length === 0).length;
    expect(cut).toBe(60 - 19);
    expect(f.broker.metrics().connectionsRefused['connectionsPerSecondPerAddress']).toBe(cut);
    expect(f.logs.filter((l) => l.includes('limit connectionsPerSecondPerAddress'))).toHaveLength(1);
    await early.publishAsync(liftTopic('F-1', 'status'), status('F-1', 1), { qos: 1 });
    expect(f.received).toHaveLength(1);
    vi.setSystemTime(Date.now() + 600); // two tokens come back
    const later = await f.connect(await f.issue('F-2'));
    expect(later.connected).toBe(true);
    await later.endAsync();
    await early.endAsync();
  });
});
