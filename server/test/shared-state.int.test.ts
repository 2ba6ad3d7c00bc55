import { execFile } from 'node:child_process';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, waitFor } from '@liftwatch/test-kit';
import { startPostgres, startRedis, type RunningPostgres } from '@liftwatch/test-kit/servers';
import { makeConfig } from '../src/config.js';
import { startLiftwatch } from '../src/liftwatch.js';
import { authed, login, startTestLiftwatch, TEST_ADMIN_PASSWORD } from './helpers.js';

let pg: RunningPostgres;
/** Nodes that raise or escalate alerts over PostgreSQL share the alert queue in Redis. */
let redis: Awaited<ReturnType<typeof startRedis>>;
beforeAll(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
});
afterAll(async () => {
  await pg?.stop();
  await redis?.stop();
});

const connect = (url: string, terminalId: string, token: string) =>
  mqtt.connectAsync(url, { clientId: terminalId, username: terminalId, password: token, reconnectPeriod: 0, connectTimeout: 5_000 });

describe('two nodes over one PostgreSQL (--state-url)', () => {
  it('share users, sessions, the audit of writes and the terminal registry', async () => {
    const stateUrl = await pg.newDatabase('two_nodes');
    const a = await startTestLiftwatch({ stateUrl, alertRedisUrl: redis.url });
    const b = await startTestLiftwatch({ stateUrl, roles: 'broker,dashboards' });
    try {
      // A session opened on node A is valid on node B.
      expect((await authed(b.httpUrl, a.token).get<{ id: string }>('/api/me')).id).toBe('admin');
      // A terminal provisioned on node A connects to node B's broker.
      const res = await a.fetch('/api/terminals', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ liftId: 'PG-1' }) });
      expect(res.status).toBe(201);
      const { token } = (await res.json()) as { token: string };
      const c = await connect(b.mqttUrl, 'T-PG-1', token);
      expect(c.connected).toBe(true);
      await c.endAsync();
      // Disabled on node B: node A refuses it.
      expect((await b.fetch('/api/terminals/T-PG-1/disable', { method: 'POST' })).status).toBe(200);
      await expect(connect(a.mqttUrl, 'T-PG-1', token)).rejects.toThrow(/Bad username or password|Not authorized/i);
      // The audit of writes made on both nodes is one trail.
      const { entries } = await a.get<{ entries: Array<{ route: string; method: string }> }>('/api/audit?after=0&limit=100');
      expect(entries.map((e) => `${e.method} ${e.route}`)).toEqual(expect.arrayContaining(['POST /api/terminals', 'POST /api/terminals/:terminalId/disable']));
      // The terminals CLI with --state-url provisions into the same registry.
      const out = await new Promise<string>((resolve, reject) => {
        execFile(process.execPath, ['--import', 'tsx', 'server/src/terminals-cli.ts', 'add', 'PG-CLI', '--state-url', stateUrl],
          { cwd: new URL('../../', import.meta.url).pathname, timeout: 30_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message} ${stderr}`)) : resolve(stdout)));
      });
      const cliToken = /token (lwt_\S+)/.exec(out)?.[1];
      expect(cliToken).toBeDefined();
      await (await connect(b.mqttUrl, 'T-PG-CLI', cliToken!)).endAsync();
      // Neither node has the rows in its own SQLite database.
      const { default: Database } = await import('better-sqlite3');
      const local = new Database(`${a.dir.path}/liftwatch.db`, { readonly: true });
      const tables = local.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('broker_terminals', 'dash_users')`).all();
      local.close();
      expect(tables).toEqual([]);
    } finally {
      await b.stop();
      await a.stop();
    }
  });

  it('a simulator node (roles none) provisions its terminals in the shared registry and they publish through another node', async () => {
    const stateUrl = await pg.newDatabase('simulator_node');
    const a = await startTestLiftwatch({ stateUrl, alertRedisUrl: redis.url });
    const dir = tempDir();
    const sim = await startLiftwatch(makeConfig({ host: '127.0.0.1', mqttPort: 0, httpPort: 0, dataDir: dir.path, stateUrl, roles: 'none', simulate: 3, simulateBrokerUrl: a.mqttUrl }));
    try {
      expect(sim.mqttUrl).toBe('');
      await waitFor('the simulated lifts to reach node A', async () => {
        const { lifts } = await a.get<{ lifts: Array<{ liftId: string }> }>('/api/lifts?limit=10');
        return lifts.length === 3;
      }, 30_000, 250);
    } finally {
      await sim.close();
      dir.remove();
      await a.stop();
    }
  });
});

describe('roles', () => {
  it('a node without broker and dashboards has no MQTT listener and answers only /healthz, /readyz and /metrics', async () => {
    const dir = tempDir();
    const lw = await startLiftwatch(makeConfig({ host: '127.0.0.1', mqttPort: 0, httpPort: 0, dataDir: dir.path, adminPassword: TEST_ADMIN_PASSWORD, roles: 'ingest,alerting' }));
    try {
      expect(lw.mqttUrl).toBe('');
      expect((await fetch(`${lw.httpUrl}/healthz`)).status).toBe(200);
      const ready = await fetch(`${lw.httpUrl}/readyz`);
      expect({ status: ready.status, body: await ready.json() }).toEqual({ status: 200, body: { ready: true, checks: [{ name: 'store', ok: true, detail: 'the store takes writes' }] } });
      expect(await (await fetch(`${lw.httpUrl}/metrics`)).text()).toContain('process_resident_memory_bytes');
      const res = await fetch(`${lw.httpUrl}/api/lifts`);
      expect(res.status).toBe(404);
      expect(await res.text()).toMatch(/without the dashboards role/);
      await expect(login(lw.httpUrl, 'admin', TEST_ADMIN_PASSWORD)).rejects.toThrow(/404/);
    } finally {
      await lw.close();
      dir.remove();
    }
  });

  it('an unknown role, simulating without a broker and a wrong state URL stop start-up with a line that names them', async () => {
    expect(() => makeConfig({ roles: 'broker,sql' })).toThrow(/setting roles is "broker,sql": "sql" is not a role; give a comma-separated list of broker, ingest, alerting, dashboards, or none/);
    const dir = tempDir();
    try {
      await expect(startLiftwatch(makeConfig({ host: '127.0.0.1', mqttPort: 0, httpPort: 0, dataDir: dir.path, roles: 'dashboards', simulate: 2 })))
        .rejects.toThrow(/--simulate 2 needs a broker: add broker to --roles \(now "dashboards"\) or give --simulate-broker-url/);
      await expect(startLiftwatch(makeConfig({ host: '127.0.0.1', mqttPort: 0, httpPort: 0, dataDir: dir.path, stateUrl: 'mysql://db/liftwatch' })))
        .rejects.toMatchObject({ code: 'LW_ERR_CONFIG_INVALID', message: expect.stringMatching(/state URL "mysql:\/\/db\/liftwatch" is neither/) });
      // Alerting over PostgreSQL without Redis: each node would fire each escalation timer.
      const stateUrl = await pg.newDatabase('no_redis');
      await expect(startLiftwatch(makeConfig({ host: '127.0.0.1', mqttPort: 0, httpPort: 0, dataDir: dir.path, stateUrl, roles: 'alerting' })))
        .rejects.toMatchObject({ code: 'LW_ERR_CONFIG_INVALID', message: expect.stringMatching(/this node runs alerting, but no Redis is given for the alert queue: give --redis-url \(or --alert-redis-url\)/) });
    } finally {
      dir.remove();
    }
  });
});
