import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../test-app.js';

// Login, logout, the current user and their own password (src/api/auth.ts).
const PASSWORD = 'gravel lantern orchard';
let t: TestApp;
beforeAll(async () => {
  t = await testApp({ loginFreeFailures: 3 });
  for (const id of ['ann', 'bob', 'cai', 'off']) await t.ports.deps.users.upsert(id, { name: id, role: 'crew', orgId: 'mu-A', areaCode: null, disabled: id === 'off', password: PASSWORD });
});
afterAll(() => t.close());

const login = (username: string, password: string, from = '127.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/login', payload: { username, password }, remoteAddress: from });

describe('POST /api/login', () => {
  it('opens a session: a token, the user without their password hash, and an HttpOnly, SameSite=Strict cookie', async () => {
    const res = await login('ann', PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ token: string; expiresAt: number; user: Record<string, unknown> }>();
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'token', 'user']);
    expect(body.user).toEqual({ id: 'ann', name: 'ann', role: 'crew', orgId: 'mu-A', areaCode: null, disabled: false, mustChangePassword: false });
    expect(res.headers['set-cookie']).toBe(`lw_session=${body.token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200`);
    expect((await t.call(body.token, 'GET', '/api/me')).json()).toMatchObject({ id: 'ann' });
  });

  it('refuses a wrong password, an unknown or a disabled user alike', async () => {
    for (const [username, password] of [['ann', 'not it at all'], ['nobody', PASSWORD], ['off', PASSWORD]]) {
      const res = await login(username!, password!, '127.0.0.9');
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: { code: 'LW_ERR_UNAUTHENTICATED', message: 'user name or password is wrong (or the user is disabled): check both and try again' } });
    }
  });

  it('says which field of the body is wrong', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'ann' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'LW_ERR_REQUEST_INVALID', message: 'request body must have required property \'password\'' } });
  });

  it('delays failed logins of one address at one account, with Retry-After; other addresses are not held up', async () => {
    for (let i = 0; i < 3; i++) expect((await login('bob', 'wrong guess', '127.0.0.2')).statusCode).toBe(401);
    const held = await login('bob', PASSWORD, '127.0.0.2');
    expect(held.statusCode).toBe(429);
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    expect(held.json()).toMatchObject({ error: { code: 'LW_ERR_RATE_LIMITED', message: expect.stringMatching(/too many failed logins for "bob" from 127\.0\.0\.2: wait \d+ s/) } });
    expect((await login('bob', PASSWORD, '127.0.0.3')).statusCode).toBe(200);
  });

  it('refuses an expired one-time password, saying who can set a new one', async () => {
    await t.ports.deps.users.setPassword('cai', 'temporary pass phrase', { expiresAt: Date.now() - 1 });
    const res = await login('cai', 'temporary pass phrase');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'LW_ERR_PASSWORD_EXPIRED', message: expect.stringMatching(/expired at .*: ask an admin to set a new one \(PUT \/api\/users\/cai\)/) } });
  });
});

describe('POST /api/me/password and /api/logout', () => {
  it('lets a user set their own password: the old one and its sessions stop working, a new session starts', async () => {
    await t.ports.deps.users.upsert('dan', { name: 'Dan', role: 'crew', orgId: 'mu-A', areaCode: null, disabled: false, password: PASSWORD });
    const token = login('dan', PASSWORD).then((r) => r.json<{ token: string }>().token);
    const change = async (currentPassword: string, newPassword: string) => t.call(await token, 'POST', '/api/me/password', { currentPassword, newPassword });
    expect((await change('not my password', 'quiet harbour bicycle')).json()['error']).toMatchObject({ code: 'LW_ERR_UNAUTHENTICATED', message: expect.stringMatching(/current password is wrong/) });
    expect((await change(PASSWORD, PASSWORD)).json()['error']).toMatchObject({ code: 'LW_ERR_PASSWORD_WEAK', message: 'the new password is the current one: choose another' });
    expect((await change(PASSWORD, 'dan-12345')).json()['error']).toMatchObject({ code: 'LW_ERR_PASSWORD_WEAK' });
    const ok = await change(PASSWORD, 'quiet harbour bicycle');
    expect(ok.status).toBe(200);
    expect(ok.json()).toMatchObject({ user: { id: 'dan', mustChangePassword: false } });
    expect(t.ports.published).toContainEqual({ kind: 'sessions', userId: 'dan' }); // every node ends dan's live streams
    expect((await t.call(await token, 'GET', '/api/me')).status).toBe(401);
    expect((await t.call(ok.json<{ token: string }>().token, 'GET', '/api/me')).status).toBe(200);
    expect((await login('dan', PASSWORD)).statusCode).toBe(401);
    expect((await login('dan', 'quiet harbour bicycle', '127.0.0.4')).statusCode).toBe(200);
  });

  it('logout closes the session and clears the cookie', async () => {
    const token = (await login('ann', PASSWORD)).json<{ token: string }>().token;
    const out = await t.call(token, 'POST', '/api/logout');
    expect(out.json()).toEqual({ ok: true });
    expect(out.headers['set-cookie']).toBe('lw_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
    expect((await t.call(token, 'GET', '/api/me')).status).toBe(401);
  });
});
