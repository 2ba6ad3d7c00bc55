import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../test-app.js';

// Provisioning terminals and service accounts over HTTP (src/api/terminals.ts): admins only.
let t: TestApp;
beforeAll(async () => {
  t = await testApp();
  t.user('crewA', 'crew', 'mu-A');
});
afterAll(() => t.close());

describe('the terminal registry', () => {
  it('adds a terminal and shows its token once, in the answer of add and rotate only', async () => {
    const added = await t.call('admin', 'POST', '/api/terminals', { liftId: 'L-1', terminalId: 'T-1' });
    expect(added.status).toBe(201);
    expect(added.json()).toEqual({ terminal: { terminalId: 'T-1', liftId: 'L-1', role: 'terminal', enabled: true, createdAt: expect.any(Number), rotatedAt: expect.any(Number) }, token: expect.any(String) });
    const token = added.json<{ token: string }>().token;
    for (const url of ['/api/terminals', '/api/terminals/T-1', '/api/terminals?liftId=L-1']) expect((await t.call('admin', 'GET', url)).body).not.toContain(token);
    const rotated = await t.call('admin', 'POST', '/api/terminals/T-1/rotate', {});
    expect(rotated.json<{ token: string }>().token).not.toBe(token);
  });

  it('adds many from CSV, enables and disables', async () => {
    const r = await t.call('admin', 'POST', '/api/terminals/csv', 'L-2,T-2\nL-3,T-3', { 'content-type': 'text/csv' });
    expect(r.status).toBe(201);
    expect(r.json<{ issued: Array<{ terminal: { terminalId: string } }> }>().issued.map((i) => i.terminal.terminalId)).toEqual(['T-2', 'T-3']);
    expect((await t.call('admin', 'POST', '/api/terminals/T-2/disable', {})).json()).toMatchObject({ terminalId: 'T-2', enabled: false });
    expect((await t.call('admin', 'POST', '/api/terminals/T-2/enable', {})).json()).toMatchObject({ enabled: true });
  });

  it('says what is wrong: a taken id, an unknown terminal, a wrong role', async () => {
    expect((await t.call('admin', 'POST', '/api/terminals', { terminalId: 'T-1' })).json()).toMatchObject({ error: { code: 'LW_ERR_CONFLICT' } });
    expect((await t.call('admin', 'GET', '/api/terminals/T-9')).json()).toEqual({ error: { code: 'LW_ERR_NOT_FOUND', message: 'terminal "T-9" is not registered: add it with POST /api/terminals' } });
    expect((await t.call('admin', 'POST', '/api/terminals', { role: 'king' })).json()['error']).toMatchObject({ message: expect.stringMatching(/^request body\/role must be equal to constant/) });
  });

  it('is for admins only', async () => {
    for (const [method, url] of [['GET', '/api/terminals'], ['GET', '/api/terminals/T-1'], ['POST', '/api/terminals'], ['POST', '/api/terminals/T-1/rotate']] as const) {
      expect({ url, status: (await t.call('crewA', method, url, method === 'POST' ? {} : undefined)).status }).toEqual({ url, status: 403 });
    }
  });
});
