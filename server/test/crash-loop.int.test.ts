import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { GOLDEN, liftTopic, MAX_LOG_LINE_CHARS, type DeadLetterView } from '@liftwatch/contract';
import { tempDir, waitFor } from '@liftwatch/test-kit';
import { authed, login, TEST_ADMIN_PASSWORD, type Authed } from './helpers.js';

/**
 * The crash loop of a poison message, on the real command line: a terminal with a persistent
 * session publishes JSON nested 10,000 levels deep at QoS 1. It used to kill the process before
 * the PUBACK, so the terminal sent it again after every restart, and every restart crashed again.
 * Now it is a dead letter, acknowledged, and nothing comes back after a restart.
 */
const MAIN = new URL('../src/main.ts', import.meta.url).pathname;
const TSX = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname;
const dir = tempDir();
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  dir.remove();
});

interface Process { child: ChildProcess; mqttUrl: string; httpUrl: string; output: () => string; exited: Promise<string> }

/** `npm start` on the test's data dir and loopback ports (0: free ones); resolves when it says it is running. */
async function startProcess(mqttPort: number, httpPort: number): Promise<Process> {
  const child = spawn(TSX, [MAIN, '--host', '127.0.0.1', '--mqtt-port', String(mqttPort), '--http-port', String(httpPort), '--data-dir', dir.path,
    '--admin-password', TEST_ADMIN_PASSWORD, '--models', 'false'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout.on('data', (b: Buffer) => { output += b.toString(); });
  child.stderr.on('data', (b: Buffer) => { output += b.toString(); });
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(`liftwatch exited (code ${code}, signal ${signal}):\n${output.slice(-3000)}`)));
  const running = await Promise.race([
    waitFor('the start-up line', () => /liftwatch is running: web (\S+)\s+MQTT (\S+)/.exec(output) ?? undefined, 60_000),
    exited.then((why) => { throw new Error(why); }),
  ]);
  return { child, httpUrl: running[1]!, mqttUrl: running[2]!, output: () => output, exited };
}

/** Fails with the process's own last words if it dies before `p` settles. */
const orDeath = <T>(p: Promise<T>, lw: Process): Promise<T> => Promise.race([p, lw.exited.then((why): never => { throw new Error(why); })]);

async function stillUp(lw: Process): Promise<void> {
  expect(lw.child.exitCode).toBeNull();
  expect((await fetch(`${lw.httpUrl}/healthz`)).status).toBe(200);
}

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('a poison message from a terminal with a persistent session', () => {
  it('is a dead letter, acknowledged; the process stays up, and after a restart nothing is sent again', { timeout: 180_000 }, async () => {
    const first = await startProcess(0, 0);
    let admin: Authed = authed(first.httpUrl, await login(first.httpUrl, 'admin', TEST_ADMIN_PASSWORD));
    const issued = await (await admin.fetch('/api/terminals', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ liftId: 'PZ-1' }) })).json() as { token: string };
    const client: MqttClient = await mqtt.connectAsync(first.mqttUrl, { clientId: 'T-PZ-1', username: 'T-PZ-1', password: issued.token, clean: false, protocolVersion: 4, reconnectPeriod: 200 });
    try {
      const whole = nested(10_000); // 20 KB
      const inField = JSON.stringify({ ...GOLDEN.status, liftId: 'PZ-1', seq: 1, ts: Date.now() }).replace('"floor":', `"floor":${nested(5_000)},"x":`);
      await orDeath(client.publishAsync(liftTopic('PZ-1', 'status'), whole, { qos: 1 }), first); // PUBACK
      await orDeath(client.publishAsync(liftTopic('PZ-1', 'status'), inField, { qos: 1 }), first);
      await stillUp(first);
      const dead = await admin.get<{ total: number; deadLetters: DeadLetterView[] }>('/api/dead-letters?limit=10');
      expect(dead.total).toBe(2);
      for (const d of dead.deadLetters) {
        expect(d).toMatchObject({ code: 'LW_ERR_PAYLOAD_TOO_DEEP', clientId: 'T-PZ-1', topic: liftTopic('PZ-1', 'status') });
        expect(d.reason).toMatch(/deeper than 32 levels/);
      }

      // Restart on the same data dir and ports; the terminal reconnects with the same client id on its own.
      first.child.kill('SIGTERM');
      await first.exited;
      const mqttPort = Number(new URL(first.mqttUrl).port);
      const second = await startProcess(mqttPort, Number(new URL(first.httpUrl).port));
      admin = authed(second.httpUrl, await login(second.httpUrl, 'admin', TEST_ADMIN_PASSWORD));
      await orDeath(waitFor('the terminal back', () => client.connected, 30_000), second);
      // Anything the terminal still held would go out before this record: it is acknowledged, and nothing else came.
      const good = JSON.stringify({ ...GOLDEN.status, liftId: 'PZ-1', seq: 2, ts: Date.now() });
      await orDeath(client.publishAsync(liftTopic('PZ-1', 'status'), good, { qos: 1 }), second);
      await stillUp(second);
      expect((await admin.get<{ total: number }>('/api/dead-letters?limit=1')).total).toBe(2);
      expect((await admin.get<{ recordsTotal: number }>('/api/lifts/PZ-1')).recordsTotal).toBe(1);

      // The log never carries the payload, and every line is bounded.
      for (const out of [first.output(), second.output()]) {
        expect(out).not.toContain('['.repeat(100));
        for (const line of out.split('\n')) expect(line.length).toBeLessThan(MAX_LOG_LINE_CHARS + 200);
      }
      second.child.kill('SIGTERM');
      await second.exited;
    } finally {
      client.end(true);
    }
  });
});
