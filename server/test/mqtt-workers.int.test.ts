import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN, liftTopic, type AlertView, type LiftSummary, type MaintenanceVisit } from '@liftwatch/contract';
import { mosquittoPub, startRedis, waitFor } from '@liftwatch/test-kit';
import { credentials, startTestLiftwatch, terminal } from './helpers.js';

let redis: Awaited<ReturnType<typeof startRedis>>;
let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
let side: Database.Database;
const clients: MqttClient[] = [];
beforeAll(async () => {
  redis = await startRedis();
  lw = await startTestLiftwatch({ mqttWorkers: 2, redisUrl: redis.url });
  side = new Database(join(lw.dir.path, 'liftwatch.db'), { readonly: true });
});
afterAll(async () => {
  side?.close();
  for (const c of clients) await c.endAsync(true);
  await lw?.stop();
  await redis?.stop();
});

const stored = (liftId: string): Set<number> =>
  new Set((side.prepare('SELECT seq FROM records WHERE lift_id = ?').all(liftId) as Array<{ seq: number }>).map((r) => r.seq));
const killWorker = (pid: number) => process.kill(pid, 'SIGKILL');
const activeAlerts = async (liftId: string) => (await lw.get<{ alerts: AlertView[] }>(`/api/alerts?state=active&liftId=${liftId}`)).alerts;

describe('MQTT workers: several processes share the listeners, one writer stores for all', () => {
  it('a worker killed mid-stream loses no acknowledged record: every PUBACKed seq (mqtt.js and mosquitto_pub) is in the store', async () => {
    expect(lw.mqttWorkers().map((w) => w.index)).toEqual([1, 2]);
    const ready = (await (await fetch(`${lw.httpUrl}/readyz`)).json()) as { checks: Array<{ name: string; ok: boolean; detail: string }> };
    expect(ready.checks.find((c) => c.name === 'mqtt-workers')).toEqual({ name: 'mqtt-workers', ok: true, detail: '2 of 2 MQTT workers listening' });
    const lifts = ['KW-1', 'KW-2', 'KW-3', 'KW-4', 'KW-5', 'KW-6'];
    const acked = new Map<string, number[]>(lifts.map((l) => [l, []]));
    for (const liftId of lifts) clients.push(await terminal(lw, liftId)); // connections go to the workers in turn
    let killedAt = Infinity;
    let total = 0;
    // Enough once 300 more records were acknowledged after the kill and mosquitto_pub got one through since
    // (on a loaded machine its runs are slow to start: a count of records alone can end the stream before one).
    const mpAcked: number[] = [];
    let mpAtKill = Infinity;
    const enough = () => total >= killedAt + 300 && mpAcked.length > mpAtKill;
    const stream = lifts.map(async (liftId, i) => {
      const client = clients[i]!;
      for (let seq = 1; !enough(); seq++) {
        const record = { ...GOLDEN.door, liftId, seq, ts: Date.now() };
        await client.publishAsync(liftTopic(liftId, 'door'), JSON.stringify(record), { qos: 1 }); // resolves at PUBACK, resent after a reconnect
        acked.get(liftId)!.push(seq);
        total++;
      }
    });
    // mosquitto_pub: one message per run, exit 0 only after PUBACK; a run cut by the kill is not counted.
    const creds = await credentials(lw, 'KW-MP');
    const mp = (async () => {
      for (let seq = 1; !enough(); seq++) {
        const record = { ...GOLDEN.door, liftId: 'KW-MP', seq, ts: Date.now() };
        await mosquittoPub({ port: lw.mqttPort, topic: liftTopic('KW-MP', 'door'), message: JSON.stringify(record), qos: 1, ...creds }).then(() => mpAcked.push(seq), () => {});
      }
    })();
    await waitFor('records flowing through both workers, mosquitto_pub\'s too', () => total >= 200 && mpAcked.length > 0, 30_000);
    const victim = lw.mqttWorkers()[0]!;
    killedAt = total;
    mpAtKill = mpAcked.length;
    killWorker(victim.pid);
    await Promise.all([...stream, mp]);

    for (const liftId of lifts) {
      const inStore = stored(liftId);
      const lost = acked.get(liftId)!.filter((seq) => !inStore.has(seq));
      expect(lost, `acknowledged seqs of ${liftId} missing from the store`).toEqual([]);
    }
    const mpStored = stored('KW-MP');
    expect(mpAcked.filter((seq) => !mpStored.has(seq))).toEqual([]);
    // The dead worker was replaced.
    await waitFor('a new worker in its place', () => lw.mqttWorkers().find((w) => w.index === victim.index && w.pid !== victim.pid && w.listening), 30_000);
  });

  it("a lift's rule memory follows its terminal to another worker (an open E02 is not raised again), and a P1 reaches alerting from either worker", async () => {
    const liftId = 'KW-RULES';
    const client = await terminal(lw, liftId);
    clients.push(client);
    const movingOpen = (seq: number, more: Record<string, unknown> = {}) =>
      JSON.stringify({ ...GOLDEN.status, liftId, seq, ts: Date.now(), speedMps: 0.6, doorZone: false, carDoor: 'open', ...more });
    await client.publishAsync(liftTopic(liftId, 'status'), movingOpen(1), { qos: 1 });
    const [e02] = await activeAlerts(liftId);
    expect(e02?.code).toBe('E02');
    expect(e02?.occurrences).toBe(1);

    // Every worker is killed in turn but one: whichever held the terminal, it now speaks through another process.
    const before = lw.mqttWorkers();
    for (const w of before.slice(1)) killWorker(w.pid);
    await waitFor('the killed workers replaced', () => {
      const now = lw.mqttWorkers();
      return now.length === before.length && now.every((w) => w.listening && !before.slice(1).some((b) => b.pid === w.pid));
    }, 30_000);
    killWorker(before[0]!.pid);
    // The car still moves with its door open: the same condition, seen by a worker that did not see it open.
    await client.publishAsync(liftTopic(liftId, 'status'), movingOpen(2), { qos: 1 });
    expect(stored(liftId)).toEqual(new Set([1, 2]));
    const alerts = await activeAlerts(liftId);
    expect(alerts.map((a) => [a.code, a.occurrences])).toEqual([['E02', 1]]);

    // A new P1 (overtravel past the top final limit) through the worker that holds the terminal now.
    await client.publishAsync(liftTopic(liftId, 'status'), movingOpen(3, { finalLimitUp: true }), { qos: 1 });
    const codes = (await activeAlerts(liftId)).map((a) => a.code).sort();
    expect(codes).toEqual(['E02', 'E05']);
    // The dead workers' "offline" does not outlive the terminal's reconnection to a live one.
    await waitFor('the lift online', async () => (await lw.get<LiftSummary>(`/api/lifts/${liftId}`)).presence === 'online');
  });

  it('a maintenance visit the terminal started in one worker is ended by its status through another', async () => {
    const liftId = 'KW-MODE';
    const client = await terminal(lw, liftId);
    clients.push(client);
    const status = (seq: number, serviceMode: string) => JSON.stringify({ ...GOLDEN.status, liftId, seq, ts: Date.now(), serviceMode, speedMps: 0, direction: 'none', doorZone: true });
    const visits = async () => (await lw.get<{ visits: MaintenanceVisit[] }>(`/api/maintenance-visits?liftId=${liftId}`)).visits;
    await client.publishAsync(liftTopic(liftId, 'status'), status(1, 'inspection'), { qos: 1 });
    expect(await waitFor('the visit', async () => (await visits())[0])).toMatchObject({ source: 'terminal', endedAt: null });
    for (const w of lw.mqttWorkers()) killWorker(w.pid); // the terminal comes back through a new worker
    await client.publishAsync(liftTopic(liftId, 'status'), status(2, 'inspection'), { qos: 1 });
    await client.publishAsync(liftTopic(liftId, 'status'), status(3, 'normal'), { qos: 1 });
    const ended = await waitFor('the end of the visit', async () => (await visits()).find((v) => v.endedAt !== null));
    expect(ended).toMatchObject({ endReason: 'terminal left inspection mode (normal)' });
    expect(await visits()).toHaveLength(1);
  });

  it('subscriptions, retained messages and live messages reach clients on every worker (shared through Redis)', async () => {
    const account = async (terminalId: string, role: 'dashboards' | 'ingest') => {
      const { token } = await lw.terminals.add({ terminalId, role });
      const c = await mqtt.connectAsync(lw.mqttUrl, { clientId: terminalId, username: terminalId, password: token, protocolVersion: 4, reconnectPeriod: 200 });
      clients.push(c);
      return c;
    };
    // Consecutive connections go to the workers in turn, so these five are spread over both.
    const dash = await account('KW-DASH', 'dashboards');
    const config = (liftId: string) => JSON.stringify({ schemaVersion: 1, liftId, statusIntervalS: 10 });
    for (const liftId of ['KW-SUB-1', 'KW-SUB-2']) await dash.publishAsync(liftTopic(liftId, 'config'), config(liftId), { qos: 1, retain: true });
    const reader = await account('KW-READ', 'ingest');
    const seen: string[] = [];
    reader.on('message', (topic) => seen.push(topic));
    await reader.subscribeAsync('lift/v1/+/door', { qos: 1 });

    const got = new Map<string, string[]>();
    for (const liftId of ['KW-SUB-1', 'KW-SUB-2']) {
      const t = await terminal(lw, liftId);
      clients.push(t);
      t.on('message', (topic, payload) => got.set(liftId, [...(got.get(liftId) ?? []), `${topic} ${payload.toString()}`]));
      await t.subscribeAsync([liftTopic(liftId, 'config'), liftTopic(liftId, 'cmd')], { qos: 1 });
      await t.publishAsync(liftTopic(liftId, 'door'), JSON.stringify({ ...GOLDEN.door, liftId, seq: 1, ts: Date.now() }), { qos: 1 });
    }
    for (const liftId of ['KW-SUB-1', 'KW-SUB-2']) await dash.publishAsync(liftTopic(liftId, 'cmd'), JSON.stringify({ liftId, cmd: 'ping' }), { qos: 1 });

    for (const liftId of ['KW-SUB-1', 'KW-SUB-2']) {
      await waitFor(`the retained config and the cmd at ${liftId}`, () => (got.get(liftId)?.length ?? 0) >= 2);
      expect(got.get(liftId)).toEqual([`${liftTopic(liftId, 'config')} ${config(liftId)}`, `${liftTopic(liftId, 'cmd')} ${JSON.stringify({ liftId, cmd: 'ping' })}`]);
    }
    await waitFor('the door records at the ingest account', () => seen.length >= 2);
    expect(seen.sort()).toEqual([liftTopic('KW-SUB-1', 'door'), liftTopic('KW-SUB-2', 'door')]);

    // The platform's own downlink (the primary has no broker of its own: it publishes through a worker).
    const pushed = await lw.fetch('/api/terminal-config', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ target: { liftIds: ['KW-SUB-1', 'KW-SUB-2'] }, settings: { statusIdleS: 20 } }) });
    expect(pushed.status).toBe(201);
    for (const liftId of ['KW-SUB-1', 'KW-SUB-2']) {
      const pushedConfig = await waitFor(`the pushed config at ${liftId}`, () => got.get(liftId)?.[2]);
      expect(pushedConfig).toMatch(new RegExp(`^${liftTopic(liftId, 'config')} .*"statusIdleS":20`));
    }
  });

  it('each worker process runs its entry bundled in plain JavaScript, without a TypeScript loader', async () => {
    // The tests above kill workers: wait until both places are held by a listening process again.
    const workers = await waitFor('two listening workers', () => {
      const now = lw.mqttWorkers().filter((w) => w.listening);
      return now.length === 2 ? now : undefined;
    }, 30_000);
    for (const w of workers) {
      const args = readFileSync(`/proc/${w.pid}/cmdline`, 'utf8').split('\0');
      expect(args.join(' ')).toMatch(/node_modules\/\.cache\/liftwatch-bundles\/worker-main-[0-9a-f]{12}\.mjs/);
      expect(args).not.toContain('tsx');
    }
  });
});
