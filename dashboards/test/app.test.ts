import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testApp, twoUnits, type TestApp } from './test-app.js';

// What the app does for every route (src/app.ts): security headers, the JSON depth limit, and errors that say what to do.
let t: TestApp;
beforeAll(async () => {
  t = await testApp();
  await twoUnits(t);
});
afterAll(() => t.close());

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const expectSecurityHeaders = (headers: Record<string, unknown>) => {
  const csp = String(headers['content-security-policy'] ?? '');
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
};

describe('security headers', () => {
  it.each([
    ['the console', '/', null],
    ['an API route', '/api/lifts', 'admin'],
    ['an API route without a session', '/api/lifts', null],
    ['an unknown route', '/api/nothing-here', 'admin'],
    ['the API documentation', '/docs/', null],
    ['the OpenAPI document', '/docs/json', null],
  ])('on %s (%s)', async (_what, url, who) => {
    expectSecurityHeaders((await t.call(who, 'GET', url)).headers);
  });

  it('on the live stream', async () => {
    t.user('crew-h', 'crew', 'mu-A');
    const listening = t.ports.subscribers();
    const stream = t.app.inject({ method: 'GET', url: '/api/events', headers: { authorization: `Bearer ${t.token('crew-h')}` } });
    await vi.waitFor(() => expect(t.ports.subscribers()).toBe(listening + 1));
    await t.call('admin', 'PUT', '/api/users/crew-h', { name: 'crew-h', role: 'crew', orgId: 'mu-A', disabled: true });
    expectSecurityHeaders((await stream).headers);
  });
});

describe('a JSON body nested deeper than the limit', () => {
  it.each([['PUT', '/api/people/p-deep'], ['PUT', '/api/organisations/o-deep'], ['POST', '/api/rota']] as const)('%s %s: 400 LW_ERR_PAYLOAD_TOO_DEEP, whole body or one field', async (method, url) => {
    for (const body of [`{"name":${nested(10_000)}}`, nested(10_000)]) {
      const r = await t.call('admin', method, url, body, { 'content-type': 'application/json' });
      expect(r.status).toBe(400);
      expect(r.json()['error']).toMatchObject({ code: 'LW_ERR_PAYLOAD_TOO_DEEP', message: expect.stringMatching(/deeper than 32 levels/) });
    }
  });

  it('within the limit a body is parsed as usual', async () => {
    expect((await t.call('admin', 'PUT', '/api/organisations/o-ok', JSON.stringify({ kind: 'maintenanceUnit', name: 'Unit OK' }), { 'content-type': 'application/json' })).status).toBe(200);
    expect((await t.call('admin', 'PUT', '/api/organisations/o-bad', '{"kind":', { 'content-type': 'application/json' })).json()['error']).toMatchObject({ code: 'LW_ERR_REQUEST_INVALID' });
  });

  it('the limit is a setting (maxJsonDepth)', async () => {
    const strict = await testApp({ maxJsonDepth: 8 });
    try {
      const r = await strict.call('admin', 'PUT', '/api/organisations/o-strict', `{"name":${nested(8)}}`, { 'content-type': 'application/json' });
      expect(r.status).toBe(400);
      expect(r.json()['error']).toMatchObject({ message: expect.stringMatching(/deeper than 8 levels/) });
    } finally {
      await strict.close();
    }
  });
});

describe('failures of the ports', () => {
  it('a database that cannot be written is a 503 with the reason and what to do; anything else a 500', async () => {
    const alerts = t.ports.deps.alerts as { list: (...args: never[]) => unknown };
    const list = alerts.list;
    try {
      alerts.list = () => { throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }); };
      const full = await t.call('admin', 'GET', '/api/alerts');
      expect(full.status).toBe(503);
      expect(full.json()['error']).toEqual({ code: 'LW_ERR_STORAGE', message: 'the database cannot be written (SQLITE_FULL: database or disk is full): free disk space; GET /readyz says when this node can write again' });
      alerts.list = () => { throw new Error('the store fell over'); };
      const broken = await t.call('admin', 'GET', '/api/alerts');
      expect(broken.status).toBe(500);
      expect(broken.json()).toEqual({ error: { code: 'LW_ERR_INTERNAL', message: 'the store fell over' } });
    } finally {
      alerts.list = list;
    }
  });
});
