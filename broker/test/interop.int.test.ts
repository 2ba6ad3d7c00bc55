import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liftTopic } from '@liftwatch/contract';
import { mosquittoPub, mosquittoSub } from '@liftwatch/test-kit';
import { startTestBroker } from './helpers.js';

let b: Awaited<ReturnType<typeof startTestBroker>>;
beforeAll(async () => {
  b = await startTestBroker();
});
afterAll(async () => {
  await b?.close();
});

/** Debian's python3 (where python3-paho-mqtt is), not one a version manager put first on PATH. */
const PYTHON = process.env['LIFTWATCH_PYTHON'] ?? '/usr/bin/python3';
const PAHO_SCRIPT = fileURLToPath(new URL('./clients/paho_terminal.py', import.meta.url));

function paho(args: string[]): Promise<{ connack: number | null; published: boolean; config: { topic: string; payload: string; retain: boolean } | null; suback: number[] | null }> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, [PAHO_SCRIPT, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`paho terminal failed: ${err.message} ${stderr}`));
      else resolve(JSON.parse(stdout.trim()));
    });
  });
}

describe('clients written by others', () => {
  it('mosquitto_pub publishes with a terminal token; a wrong token is refused', async () => {
    const creds = await b.issue('M-1');
    await mosquittoPub({ port: b.address.port, topic: liftTopic('M-1', 'status'), message: '{"seq":1}', ...creds });
    expect(b.received).toContainEqual({ topic: liftTopic('M-1', 'status'), payload: '{"seq":1}', clientId: 'T-M-1' });
    await expect(mosquittoPub({ port: b.address.port, topic: liftTopic('M-1', 'status'), message: '{"seq":2}', ...creds, password: 'lwt_wrong' }))
      .rejects.toThrow(/mosquitto_pub failed/);
    expect(b.received.some((r) => r.payload === '{"seq":2}')).toBe(false);
  });

  it('mosquitto_sub, as a terminal, gets its retained config; as the ingest account, it reads every lift', async () => {
    const dash = await b.connect(await b.issue(null, 'dashboards'));
    await dash.publishAsync(liftTopic('M-2', 'config'), '{"statusIntervalS":10}', { qos: 1, retain: true });
    expect(await mosquittoSub({ port: b.address.port, topic: liftTopic('M-2', 'config'), ...(await b.issue('M-2')) })).toEqual(['{"statusIntervalS":10}']);

    const creds = await b.issue(null, 'ingest');
    const subscribed = new Promise<void>((resolve) => b.broker.aedes.on('subscribe', (_subs, client) => { if (client?.id === creds.clientId) resolve(); }));
    const ingest = mosquittoSub({ port: b.address.port, topic: 'lift/v1/+/trip', ...creds });
    await subscribed; // mosquitto_sub has subscribed (aedes tells once the subscription is in place)
    const t = await b.connect(await b.issue('M-3'));
    await t.publishAsync(liftTopic('M-3', 'trip'), '{"seq":7}', { qos: 1 });
    expect(await ingest).toEqual(['{"seq":7}']);
    await t.endAsync();
    await dash.endAsync();
  });

  it('mosquitto_sub as a terminal subscribing to # gets nothing of other lifts', async () => {
    const sub = mosquittoSub({ port: b.address.port, topic: '#', ...(await b.issue('M-4')), timeoutS: 2 }).then((lines) => lines, (err: Error) => err.message);
    const other = await b.connect(await b.issue('M-5'));
    await other.publishAsync(liftTopic('M-5', 'alarm'), '{"secret":true}', { qos: 1 });
    const result = await sub;
    expect(JSON.stringify(result)).not.toContain('secret');
    await other.endAsync();
  });

  it('a Python Paho terminal connects with its token, publishes at QoS 1, is refused # and gets its config', async () => {
    const dash = await b.connect(await b.issue(null, 'dashboards', 'svc-dash-2'));
    await dash.publishAsync(liftTopic('PY-1', 'config'), '{"statusIntervalS":30}', { qos: 1, retain: true });
    const creds = await b.issue('PY-1');
    const out = await paho(['127.0.0.1', String(b.address.port), creds.clientId, creds.password, 'PY-1']);
    expect(out).toEqual({ connack: 0, published: true, suback: [128, 1], config: { topic: liftTopic('PY-1', 'config'), payload: '{"statusIntervalS":30}', retain: true } });
    expect(b.received).toContainEqual({ topic: liftTopic('PY-1', 'status'), payload: '{"liftId": "PY-1", "seq": 1, "from": "paho"}', clientId: 'T-PY-1' });
    const wrong = await paho(['127.0.0.1', String(b.address.port), creds.clientId, 'lwt_wrong', 'PY-1']);
    expect(wrong.connack).toBe(4);
    await dash.endAsync();
  });
});
