import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_CODES } from '@liftwatch/contract';
import { testApp, type TestApp } from '../test-app.js';

// Liveness, readiness, metrics, the route list, statistics, fault codes, dead letters and models (src/api/system.ts).
let t: TestApp;
beforeAll(async () => {
  t = await testApp();
  t.user('crewA', 'crew', 'mu-A');
});
afterAll(() => t.close());

describe('operations routes', () => {
  it('/healthz says the process answers; /readyz answers 503 with the reason when a check fails', async () => {
    expect((await t.call(null, 'GET', '/healthz')).json()).toEqual({ ok: true });
    expect((await t.call(null, 'GET', '/readyz')).json()).toEqual({ ready: true, checks: [] });
    const down = { ready: false, checks: [{ name: 'store', ok: false, detail: 'the store cannot write: disk full' }] };
    t.ports.setReadiness(down);
    const r = await t.call(null, 'GET', '/readyz');
    expect(r.status).toBe(503);
    expect(r.json()).toEqual(down);
    t.ports.setReadiness({ ready: true, checks: [] });
  });

  it('/metrics is the Prometheus text, without a session', async () => {
    const r = await t.call(null, 'GET', '/metrics');
    expect(r.headers['content-type']).toBe('text/plain; version=0.0.4');
    expect(r.body).toBe('# TYPE liftwatch_up gauge\nliftwatch_up 1\n');
  });

  it('GET /api lists the routes of the ports this node has', async () => {
    const { routes } = (await t.call('crewA', 'GET', '/api')).json<{ routes: string[] }>();
    expect(routes).toContain('GET /api/lifts');
    expect(routes).toContain('GET /api/on-call/:liftId');
    expect(routes).toContain('GET /api/models (admin)');
  });
});

describe('admin statistics and diagnostics', () => {
  it('/api/stats counts lifts and dead letters with what the node\'s parts report, and is for admins', async () => {
    expect((await t.call('admin', 'GET', '/api/stats')).json()).toEqual({
      ingest: { messages: 0, recordsAccepted: 0, duplicates: 0, rejected: 0, rejectedByCode: {}, alertsRaised: 0, refusedBusy: 0, droppedQos0: 0 },
      mqttClients: 0, broker: { publishesIn: 0 }, lifts: 0, deadLetters: 0,
    });
    expect((await t.call('crewA', 'GET', '/api/stats')).status).toBe(403);
  });

  it('/api/models is the serving\'s report with the precision the crews\' findings measure, for admins', async () => {
    expect((await t.call('admin', 'GET', '/api/models')).json()).toEqual({ registryDir: '/models', models: [], precision: { models: [], rules: [], interval: 'wilson-95' } });
    expect((await t.call('crewA', 'GET', '/api/models')).status).toBe(403);
  });

  it('/api/dead-letters pages what ingest refused; its limit is checked', async () => {
    expect((await t.call('admin', 'GET', '/api/dead-letters')).json()).toEqual({ total: 0, deadLetters: [] });
    expect((await t.call('admin', 'GET', '/api/dead-letters/terminals')).json()).toEqual({ terminals: [] });
    expect((await t.call('admin', 'GET', '/api/dead-letters?limit=1001')).json()['error']).toMatchObject({ message: 'request querystring/limit must be <= 1000' });
  });

  it('/api/fault-codes is the code table, row for row', async () => {
    const { codes } = (await t.call('crewA', 'GET', '/api/fault-codes')).json<{ codes: unknown[] }>();
    expect(codes).toEqual(JSON.parse(JSON.stringify(FAULT_CODES)));
  });
});
