import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, twoUnits, type TestApp } from '../test-app.js';

// The guard acts on what each route declares: its access level, and what of its URL is scoped.
let t: TestApp;
let alertB = 0;
beforeAll(async () => {
  t = await testApp();
  await twoUnits(t);
  t.ports.raise('LA-1', 'E02');
  alertB = t.ports.raise('LB-1', 'E02').id;
});
afterAll(() => t.close());

describe('the guard', () => {
  it('scope lift: another unit\'s lift answers 404 as if it did not exist, on every route that names it', async () => {
    for (const url of ['/api/lifts/LB-1', '/api/lifts/LB-1/records', '/api/crew-lifts/LB-1', '/api/on-call/LB-1', '/api/lift-registry/LB-1']) {
      const r = await t.call('crewA', 'GET', url);
      expect({ url, status: r.status }).toEqual({ url, status: 404 });
      expect(r.json()['error']).toEqual({ code: 'LW_ERR_NOT_FOUND', message: 'lift "LB-1" does not exist or is not in your scope (crew of mu-A)' });
    }
    expect((await t.call('crewA', 'GET', '/api/lifts/LA-1')).status).toBe(200);
    expect((await t.call('admin', 'GET', '/api/lifts/LB-1')).status).toBe(200);
  });

  it('scope alert: an alert on another unit\'s lift answers 404; an unknown one is left to the route', async () => {
    const r = await t.call('crewA', 'POST', `/api/alerts/${alertB}/acknowledge`, { note: 'mine?' });
    expect(r.status).toBe(404);
    expect(r.json()['error']).toEqual({ code: 'LW_ERR_NOT_FOUND', message: `alert ${alertB} does not exist or is not in your scope` });
    expect((await t.ports.deps.alerts.get(alertB))!.state).toBe('open');
    expect((await t.call('crewA', 'GET', '/api/alerts/999')).json()['error']).toMatchObject({ message: 'alert 999 does not exist' });
  });

  it('scope org: another organisation\'s rota or policy answers 403 naming it', async () => {
    const r = await t.call('mgrA', 'PUT', '/api/escalation-policies/mu-B/P1', { preset: '1-3-5' });
    expect(r.status).toBe(403);
    expect(r.json()['error']).toEqual({ code: 'LW_ERR_FORBIDDEN', message: 'organisation "mu-B" is not yours (mu-A)' });
    expect((await t.call('crewA', 'GET', '/api/rota/mu-B')).status).toBe(403);
    expect((await t.call('crewA', 'GET', '/api/rota/mu-A')).status).toBe(200);
    expect((await t.call('mgrA', 'PUT', '/api/escalation-policies/mu-A/P1', { preset: '1-3-5' })).status).toBe(200);
  });

  it('access: a role without the level a route declares gets 403 naming the role, the route and the level', async () => {
    const r = await t.call('regA', 'POST', '/api/lifts/LA-1/check-in', {});
    expect(r.status).toBe(403);
    expect(r.json()['error']).toEqual({ code: 'LW_ERR_FORBIDDEN', message: 'a regulator user may not POST /api/lifts/:liftId/check-in (needs act rights)' });
    expect((await t.call('crewA', 'GET', '/api/terminals')).status).toBe(403);
    expect((await t.call('crewA', 'PUT', '/api/escalation-policies/mu-A/P1', { preset: '1-3-5' })).status).toBe(403);
  });

  it('without a session a route that is not public answers 401 with what to do; an expired session says so', async () => {
    const r = await t.call(null, 'GET', '/api/lifts');
    expect(r.status).toBe(401);
    expect(r.json()['error']).toMatchObject({ code: 'LW_ERR_UNAUTHENTICATED', message: expect.stringMatching(/^no session: log in with POST \/api\/login/) });
    expect((await t.call('not-a-token', 'GET', '/api/lifts')).json()['error']).toMatchObject({ message: expect.stringMatching(/^the session has expired or was closed/) });
    expect((await t.call(null, 'GET', '/healthz')).status).toBe(200);
  });

  it('an unknown URL under /api is admin-only: 401 without a session, 403 for others, 404 for admins', async () => {
    expect((await t.call(null, 'GET', '/api/no-such-route')).status).toBe(401);
    expect((await t.call('crewA', 'GET', '/api/no-such-route')).status).toBe(403);
    expect((await t.call('admin', 'GET', '/api/no-such-route')).json()['error']).toEqual({ code: 'LW_ERR_NOT_FOUND', message: 'no route GET /api/no-such-route: see GET /api for the routes' });
    expect((await t.call(null, 'GET', '/no-such-page')).status).toBe(404);
  });

  it('a user with a one-time password may use only the routes of access self until they set their own', async () => {
    t.user('fresh', 'crew', 'mu-A', { mustChangePassword: true });
    const r = await t.call('fresh', 'GET', '/api/lifts');
    expect(r.status).toBe(403);
    expect(r.json()['error']).toMatchObject({ code: 'LW_ERR_PASSWORD_CHANGE_REQUIRED', message: expect.stringMatching(/set your own first with POST \/api\/me\/password/) });
    expect((await t.call('fresh', 'GET', '/api/me')).status).toBe(200);
    expect((await t.call('fresh', 'POST', '/api/me/password', { currentPassword: 'x' })).status).toBe(400); // let through, then validated
    expect((await t.call('fresh', 'POST', '/api/logout')).status).toBe(200);
  });

  it('audits every write with the user, the route pattern and the status, refused ones too', async () => {
    await t.call('crewA', 'POST', `/api/alerts/${alertB}/notes`, { note: 'not mine' });
    await t.call(null, 'PUT', '/api/users/someone', {});
    expect(t.ports.deps.users.audits).toContainEqual(expect.objectContaining({ actor: 'crewA', role: 'crew', method: 'POST', route: '/api/alerts/:id/notes', status: 404 }));
    expect(t.ports.deps.users.audits).toContainEqual(expect.objectContaining({ actor: 'anonymous', method: 'PUT', route: '/api/users/:id', status: 401 }));
    expect(t.ports.deps.users.audits.filter((a) => a.method === 'GET')).toEqual([]);
  });
});
