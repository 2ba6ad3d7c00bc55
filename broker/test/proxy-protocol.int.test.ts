import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki, startHaproxy, tempDir, waitFor, type RunningHaproxy } from '@liftwatch/test-kit';
import { startTestBroker } from './helpers.js';
import { rawConnect, RawSession } from './raw-mqtt.js';

/*
 * Behind Debian's HAProxy (mode tcp, as in docker-compose) with send-proxy / send-proxy-v2: the broker
 * sees each client's own address, so its per-address limits and its logs do. Clients come from
 * different loopback addresses (127.0.0.2, 127.0.0.3: all of 127.0.0.0/8 is loopback); HAProxy itself
 * connects from 127.0.0.1, the only address the broker trusts to send a PROXY header.
 */
const CONNACK_ACCEPTED = '20020000';

describe.each(['v1', 'v2'] as const)('PROXY protocol %s from HAProxy', (version) => {
  let b: Awaited<ReturnType<typeof startTestBroker>>;
  let lb: RunningHaproxy;
  beforeAll(async () => {
    b = await startTestBroker({ proxyProtocolFrom: '127.0.0.1', limits: { connectionsPerSecondPerAddress: 2 } }); // bursts up to 10
    lb = await startHaproxy([b.address.port], { sendProxy: version, checkMs: 100 });
  });
  afterAll(async () => {
    await lb?.stop();
    await b?.close();
  });

  it('takes HAProxy\'s health checks (a header, then a close) without a word in the log', async () => {
    await new Promise((r) => setTimeout(r, 500)); // a few checks at 100 ms
    expect(b.logs).toEqual([]);
  });

  it('holds the per-address connection limit to the flooding client: another client behind the same proxy still gets in', async () => {
    const flood = await Promise.all(Array.from({ length: 30 }, () => RawSession.open(lb.port, '127.0.0.2')));
    await waitFor('the flood to be cut to the limit', () => flood.filter((s) => s.closed).length >= 30 - 10);
    const creds = await b.issue(`PX-${version}`);
    const other = await RawSession.open(lb.port, '127.0.0.3');
    expect((await other.send(rawConnect({ clientId: creds.clientId, user: creds.username, password: creds.password })).next(4)).toString('hex')).toBe(CONNACK_ACCEPTED);
    expect(b.logs).toContainEqual(expect.stringContaining('refused connection from 127.0.0.2: more than 2 new connections a second (limit connectionsPerSecondPerAddress'));
    expect(b.logs.some((l) => l.includes('refused connection from 127.0.0.1'))).toBe(false);
    for (const s of [...flood, other]) s.end();
  });

  it('logs the client\'s address, not the proxy\'s', async () => {
    const s = await RawSession.open(lb.port, '127.0.0.3');
    await s.send(rawConnect({ clientId: 'T-NOBODY', user: 'T-NOBODY', password: 'lwt_wrong' })).untilClosed();
    expect(b.logs).toContainEqual(expect.stringMatching(/refused connection of client "T-NOBODY" from 127\.0\.0\.3: /));
  });
});

describe('PROXY protocol: whom the broker believes', () => {
  let b: Awaited<ReturnType<typeof startTestBroker>>;
  const dir = tempDir('liftwatch-proxy-pki-');
  beforeAll(async () => {
    const pki = makeTestPki(dir.path);
    b = await startTestBroker({ proxyProtocolFrom: '127.0.0.1', tlsPort: 0, tls: pki.server });
  });
  afterAll(async () => {
    await b?.close();
    dir.remove();
  });

  it('closes a connection from a trusted proxy that does not start with a PROXY header, with a log line', async () => {
    const creds = await b.issue('PX-3');
    const s = await RawSession.open(b.address.port, '127.0.0.1');
    expect((await s.send(rawConnect({ clientId: creds.clientId, user: creds.username, password: creds.password })).untilClosed()).length).toBe(0);
    await waitFor('the log line', () => b.logs.find((l) => l.includes('closed connection from proxy 127.0.0.1: no PROXY protocol header')));
  });

  it('does not read a PROXY header from an address it does not trust: the connection fails as MQTT', async () => {
    const s = await RawSession.open(b.address.port, '127.0.0.2');
    expect((await s.send(Buffer.from('PROXY TCP4 203.0.113.9 10.0.0.2 40000 1883\r\n')).untilClosed()).length).toBe(0);
    expect(b.logs).toContainEqual(expect.stringContaining('refused connection from 127.0.0.2: the first packet is not a CONNECT'));
  });

  it('reads the header before the TLS handshake on the TLS listener', async () => {
    const s = await RawSession.open(b.address.tlsPort!, '127.0.0.1');
    s.socket.write('PROXY TCP4 203.0.113.9 10.0.0.2 40000 8883\r\n');
    const tls = tlsConnect({ socket: s.socket, rejectUnauthorized: false });
    tls.on('error', () => {});
    await new Promise((resolve) => tls.once('secureConnect', resolve));
    tls.write(rawConnect({ clientId: 'T-TLS-NOBODY', user: 'T-TLS-NOBODY', password: 'lwt_wrong' }));
    await waitFor('the refusal to be logged', () => b.logs.find((l) => l.includes('refused connection of client "T-TLS-NOBODY" from 203.0.113.9: ')));
    tls.destroy();
  });
});
