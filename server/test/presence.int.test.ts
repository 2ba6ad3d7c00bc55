import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { GOLDEN, liftTopic, type LiftSummary } from '@liftwatch/contract';
import { waitFor } from '@liftwatch/test-kit';
import { credentials, startTestLiftwatch } from './helpers.js';

let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
beforeAll(async () => {
  lw = await startTestLiftwatch();
});
afterAll(async () => {
  await lw?.stop();
});

const presenceOf = async (liftId: string) => (await lw.get<LiftSummary>(`/api/lifts/${liftId}`)).presence;
const status = (liftId: string, seq: number) => JSON.stringify({ ...GOLDEN.status, liftId, seq, ts: Date.now() });

describe('terminal presence', () => {
  it('online while records arrive, offline after a clean disconnect (no last will is sent then)', async () => {
    const c = await mqtt.connectAsync(lw.mqttUrl, { ...(await credentials(lw, 'PR-1')), protocolVersion: 4 });
    await c.publishAsync(liftTopic('PR-1', 'status'), status('PR-1', 1), { qos: 1 });
    expect(await presenceOf('PR-1')).toBe('online');
    await c.endAsync();
    await waitFor('PR-1 offline', async () => (await presenceOf('PR-1')) === 'offline');
  });

  it('offline through the last will when the connection dies abruptly', async () => {
    const offline = JSON.stringify({ state: 'offline', terminalId: 'T-PR-2' });
    const c = await mqtt.connectAsync(lw.mqttUrl, { ...(await credentials(lw, 'PR-2')), protocolVersion: 4, reconnectPeriod: 0, will: { topic: liftTopic('PR-2', 'presence'), payload: Buffer.from(offline), qos: 1, retain: true } });
    await c.publishAsync(liftTopic('PR-2', 'presence'), JSON.stringify({ state: 'online', ts: Date.now() }), { qos: 1, retain: true });
    expect(await presenceOf('PR-2')).toBe('online');
    c.stream.destroy(); // the TCP connection is cut, as when a terminal loses power
    await waitFor('PR-2 offline', async () => (await presenceOf('PR-2')) === 'offline');
    c.end(true);
  });

  it('a raw socket that sends garbage is dropped without touching the others', async () => {
    const c = await mqtt.connectAsync(lw.mqttUrl, { ...(await credentials(lw, 'PR-3')), protocolVersion: 4 });
    const port = Number(new URL(lw.mqttUrl).port);
    await new Promise<void>((resolve) => {
      const s = connect(port, '127.0.0.1', () => s.write(Buffer.from('GET / HTTP/1.1\r\n\r\n')));
      s.on('close', () => resolve());
      s.on('error', () => resolve());
    });
    await c.publishAsync(liftTopic('PR-3', 'status'), status('PR-3', 1), { qos: 1 });
    expect(await presenceOf('PR-3')).toBe('online');
    await c.endAsync();
  });
});
