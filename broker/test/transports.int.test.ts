import { Socket } from 'node:net';
import type { MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { liftTopic } from '@liftwatch/contract';
import { makeTestPki, tempDir } from '@liftwatch/test-kit';
import { refusal, startTestBroker } from './helpers.js';

const dir = tempDir('liftwatch-pki-');
let pki: ReturnType<typeof makeTestPki>;
let b: Awaited<ReturnType<typeof startTestBroker>>;
let tlsUrl: string;
let wsUrl: string;
beforeAll(async () => {
  pki = makeTestPki(dir.path);
  b = await startTestBroker({ tlsPort: 0, tls: { key: pki.server.key, cert: pki.server.cert, ca: pki.ca }, wsPort: 0 });
  tlsUrl = `mqtts://127.0.0.1:${b.address.tlsPort}`;
  wsUrl = `ws://127.0.0.1:${b.address.wsPort}`;
});
afterAll(async () => {
  await b?.close();
  dir.remove();
});

describe('MQTT over TLS', () => {
  it('round trip with a token, the server certificate checked against the test CA', async () => {
    const c = await b.connect({ ...(await b.issue('TLS-1')), ca: pki.ca, rejectUnauthorized: true }, tlsUrl);
    await c.publishAsync(liftTopic('TLS-1', 'status'), '{"over":"tls"}', { qos: 1 });
    expect(b.received).toContainEqual({ topic: liftTopic('TLS-1', 'status'), payload: '{"over":"tls"}', clientId: 'T-TLS-1' });
    await c.endAsync();
  });

  it('authenticates a terminal by a client certificate whose CN is its id, without a token', async () => {
    await b.issue('TLS-2');
    const c = await b.connect({ clientId: 'T-TLS-2', ca: pki.ca, ...pki.client('T-TLS-2') }, tlsUrl);
    await c.publishAsync(liftTopic('TLS-2', 'door'), '{"by":"cert"}', { qos: 1 });
    expect(b.received).toContainEqual({ topic: liftTopic('TLS-2', 'door'), payload: '{"by":"cert"}', clientId: 'T-TLS-2' });
    await c.endAsync();
  });

  it('refuses a certificate for another id, for an unregistered terminal, or signed by nobody we trust', async () => {
    await b.issue('TLS-3');
    const cert3 = pki.client('T-TLS-3');
    expect((await refusal(b.connect({ clientId: 'T-TLS-2', ca: pki.ca, ...cert3 }, tlsUrl))).code).toBe(5);
    expect(b.logs).toContainEqual(expect.stringContaining('client certificate is for "T-TLS-3" but the client id is "T-TLS-2"'));
    expect((await refusal(b.connect({ clientId: 'T-TLS-9', ca: pki.ca, ...pki.client('T-TLS-9') }, tlsUrl))).code).toBe(5);
    expect((await refusal(b.connect({ clientId: 'T-TLS-3', ca: pki.ca, ...pki.forged('T-TLS-3') }, tlsUrl))).code).toBe(5);
  });
});

describe('MQTT over WebSocket', () => {
  it('round trip with a token, and a retained config delivered over WebSocket', async () => {
    const dash = await b.connect(await b.issue(null, 'dashboards'));
    await dash.publishAsync(liftTopic('WS-1', 'config'), '{"statusIntervalS":15}', { qos: 1, retain: true });
    const c = await b.connect(await b.issue('WS-1'), wsUrl);
    await c.publishAsync(liftTopic('WS-1', 'trip'), '{"over":"ws"}', { qos: 1 });
    expect(b.received).toContainEqual({ topic: liftTopic('WS-1', 'trip'), payload: '{"over":"ws"}', clientId: 'T-WS-1' });
    const got = new Promise<string>((resolve) => c.once('message', (_t, p) => resolve(p.toString())));
    await c.subscribeAsync(liftTopic('WS-1', 'config'), { qos: 1 });
    expect(await got).toBe('{"statusIntervalS":15}');
    await c.endAsync();
    await dash.endAsync();
  });

  it('refuses a wrong token over WebSocket too', async () => {
    const creds = await b.issue('WS-2');
    expect((await refusal(b.connect({ ...creds, password: 'lwt_wrong' }, wsUrl))).code).toBe(4);
  });
});

describe('TCP_NODELAY', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('turns Nagle off on the broker\'s end of every connection, TCP and TLS, so a QoS 1 delivery does not wait ~40 ms for a delayed ACK', async () => {
    // aedes writes a PUBLISH to a subscriber in several small writes; with Nagle's algorithm on, the second
    // waits for the subscriber's delayed ACK. What that costs is measured in bench/, on a quiet machine; the
    // test proves the cause is gone: the broker asks for TCP_NODELAY on each socket it accepts.
    const setNoDelay = vi.spyOn(Socket.prototype, 'setNoDelay'); // observed, still called through
    const noDelayFor = (client: MqttClient) => {
      const localPort = (client.stream as Socket).localPort;
      const i = setNoDelay.mock.contexts.findIndex((s) => (s as Socket).remotePort === localPort && (s as Socket).localPort !== localPort);
      return i === -1 ? 'never set' : setNoDelay.mock.calls[i]![0] ?? true;
    };
    const overTcp = await b.connect(await b.issue('ND-1'));
    const overTls = await b.connect({ ...(await b.issue('ND-2')), ca: pki.ca, rejectUnauthorized: true }, tlsUrl);
    expect([noDelayFor(overTcp), noDelayFor(overTls)]).toEqual([true, true]);
    // and the messages still flow: two back to back reach the subscriber in order
    await overTcp.subscribeAsync(liftTopic('ND-1', 'cmd'), { qos: 1 });
    const dash = await b.connect(await b.issue(null, 'dashboards', 'svc-dash-nd'));
    const got: string[] = [];
    const both = new Promise<void>((resolve) => overTcp.on('message', (_t, p) => { if (got.push(JSON.parse(p.toString()).cmd) === 2) resolve(); }));
    dash.publish(liftTopic('ND-1', 'cmd'), JSON.stringify({ cmd: 'ping' }), { qos: 1 });
    dash.publish(liftTopic('ND-1', 'cmd'), JSON.stringify({ cmd: 'pong' }), { qos: 1 });
    await both;
    expect(got).toEqual(['ping', 'pong']);
    for (const c of [overTcp, overTls, dash]) await c.endAsync();
  });
});
