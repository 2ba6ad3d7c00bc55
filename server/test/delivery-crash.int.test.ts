import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN, liftTopic, type AlertView, type NotificationAttempt } from '@liftwatch/contract';
import { mosquittoPub, tempDir, waitFor } from '@liftwatch/test-kit';
import { authed, login, type Authed } from './helpers.js';

/**
 * A webhook delivery in flight when the process is killed (kill -9): the receiver holds the request,
 * the platform dies, and after the restart the delivery goes again with the same idempotency key.
 * The notification log keeps both attempts: the first without an outcome (unknown: it may have
 * arrived), the second sent.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PASSWORD = 'crash-test-password';
const dir = tempDir();
const held: ServerResponse[] = [];
const requests: Array<{ key: string; at: number }> = [];
let hold = true;
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    requests.push({ key: String(req.headers['idempotency-key']), at: Date.now() });
    if (hold) held.push(res); // in flight: no answer until the process that sent it is gone
    else res.writeHead(204).end();
  });
});
let platform: ChildProcess | undefined;

/** The all-in-one process (npm start) on the test's data dir; resolves with its URLs once it runs. */
async function startPlatform(): Promise<{ child: ChildProcess; httpUrl: string; mqttPort: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', '--host', '127.0.0.1', '--mqtt-port', '0', '--http-port', '0', '--data-dir', dir.path,
    '--mqtt-allow-anonymous', 'true', '--admin-password', PASSWORD, '--models', 'false'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const m = await waitFor('the platform to start', () => /web (http:\S+)\s+MQTT mqtt:\/\/\S+:(\d+)/.exec(out) ?? undefined, 60_000);
  return { child, httpUrl: m[1]!, mqttPort: Number(m[2]) };
}

beforeAll(async () => { await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r)); });
afterAll(async () => {
  platform?.kill('SIGKILL');
  for (const res of held) res.destroy();
  receiver.closeAllConnections();
  await new Promise<void>((r) => receiver.close(() => r()));
  dir.remove();
});

describe('a webhook delivery in flight at a kill -9', () => {
  it('is sent again after the restart with the same key, and the log shows both attempts, the first with no outcome', async () => {
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const first = await startPlatform();
    platform = first.child;
    let api: Authed = authed(first.httpUrl, await login(first.httpUrl, 'admin', PASSWORD));
    const put = async (path: string, body: unknown, method = 'PUT') => {
      const res = await api.fetch(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    };
    await put('/api/organisations/mu-crash', { kind: 'maintenanceUnit', name: 'Crash Lift Service' });
    for (const id of ['crewA', 'crewB']) await put(`/api/people/${id}`, { name: id, orgId: 'mu-crash', channels: [{ kind: 'webhook', to: hookUrl, secret: 's' }] });
    await put('/api/crew-lifts/CRASH-1', { maintenanceUnit: 'mu-crash' });
    await put('/api/rota', { unitId: 'mu-crash', startsAt: Date.now() - 60_000, endsAt: Date.now() + 3_600_000, primary: 'crewA', backup: 'crewB' }, 'POST');

    await mosquittoPub({ port: first.mqttPort, topic: liftTopic('CRASH-1', 'alarm'), message: JSON.stringify({ ...GOLDEN.alarm, liftId: 'CRASH-1', seq: 1, ts: Date.now() }) });
    await waitFor('the delivery to reach the receiver', () => requests.length === 1, 20_000);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    for (const res of held.splice(0)) res.destroy();
    hold = false;

    const second = await startPlatform();
    platform = second.child;
    api = authed(second.httpUrl, await login(second.httpUrl, 'admin', PASSWORD));
    await waitFor('the delivery again after the restart', () => requests.length >= 2, 20_000);
    expect(new Set(requests.map((r) => r.key)).size).toBe(1); // the receiver can keep one

    const [alert] = (await api.get<{ alerts: AlertView[] }>('/api/alerts?liftId=CRASH-1')).alerts;
    const attempts = await waitFor('the second attempt\'s outcome', async () => {
      const { attempts: all } = await api.get<{ attempts: NotificationAttempt[] }>(`/api/alerts/${alert!.id}/notifications`);
      const mine = all.filter((a) => a.recipientId === 'crewA' && a.attempt > 0);
      return mine.some((a) => a.outcome === 'sent') ? mine : undefined;
    });
    expect(attempts.map((a) => [a.attempt, a.outcome])).toEqual([[1, 'sending'], [2, 'sending'], [2, 'sent']]);
    expect(new Set(attempts.map((a) => a.jobId)).size).toBe(1);
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
    platform = undefined;
  });
});
