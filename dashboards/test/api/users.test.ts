import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../test-app.js';

// User administration and the audit of writes (src/api/users.ts): admins only.
let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const crew = (id: string, extra: Record<string, unknown> = {}) => ({ name: id, role: 'crew', orgId: 'mu-A', ...extra });

describe('PUT /api/users/:id', () => {
  it.each([
    ['1234567890', /frequently used password/],
    ['aaaaaaaaaa', /Repeated characters/],
    ['fitter-0042', /personal/], // the user name
    ['          ', /only spaces/],
  ])('refuses the password %j for a new user, saying why and what to do', async (password, why) => {
    const r = await t.call('admin', 'PUT', '/api/users/fitter-0042', crew('fitter-0042', { password }));
    expect(r.status).toBe(400);
    expect(r.json()['error']).toMatchObject({ code: 'LW_ERR_PASSWORD_WEAK', message: expect.stringMatching(why) });
    expect(r.json<{ error: { message: string } }>().error.message).toMatch(/choose a longer phrase of several unrelated words/);
  });

  it('says what a new user lacks, and which field is wrong', async () => {
    expect((await t.call('admin', 'PUT', '/api/users/newbie', crew('newbie'))).json()).toEqual({ error: { code: 'LW_ERR_REQUEST_INVALID', message: 'user "newbie" is new: give a password (at least 10 characters)' } });
    expect((await t.call('admin', 'PUT', '/api/users/newbie', { ...crew('newbie', { password: 'quiet harbour bicycle' }), orgId: null })).json()['error'])
      .toMatchObject({ message: 'a crew user needs an orgId (their maintenance unit, use unit or district)' });
    expect((await t.call('admin', 'PUT', '/api/users/newbie', crew('newbie', { role: 'boss' }))).json()['error']).toMatchObject({ code: 'LW_ERR_REQUEST_INVALID', message: expect.stringMatching(/^request body\/role must be equal to constant/) });
    expect((await t.call('admin', 'PUT', '/api/users/has%20space', crew('x'))).json()['error']).toMatchObject({ message: expect.stringMatching(/^request params\/id must match pattern/) });
  });

  it('a change closes the user\'s sessions and tells every node to end their live streams', async () => {
    expect((await t.call('admin', 'PUT', '/api/users/ann', crew('ann', { password: 'quiet harbour bicycle' }))).status).toBe(200);
    const token = t.ports.deps.users.session('ann');
    expect((await t.call(token, 'GET', '/api/me')).status).toBe(200);
    const r = await t.call('admin', 'PUT', '/api/users/ann', crew('ann', { name: 'Ann Li' }));
    expect(r.json()).toEqual({ id: 'ann', name: 'Ann Li', role: 'crew', orgId: 'mu-A', areaCode: null, disabled: false, mustChangePassword: false });
    expect((await t.call(token, 'GET', '/api/me')).status).toBe(401);
    expect(t.ports.published.at(-1)).toEqual({ kind: 'sessions', userId: 'ann' });
  });
});

describe('GET /api/users and /api/audit', () => {
  it('lists users without their password hashes, even though the store holds them', async () => {
    const stored = await t.ports.deps.users.list();
    expect(JSON.stringify(stored)).toContain('passwordHash'); // the fake hands out stored users as they are
    const r = await t.call('admin', 'GET', '/api/users');
    expect(r.status).toBe(200);
    expect(r.body).not.toMatch(/passwordHash|passwordExpiresAt|scrypt/);
    expect(r.json<{ users: Array<{ id: string }> }>().users.map((u) => u.id)).toContain('admin');
  });

  it('pages the audit of writes with after and limit', async () => {
    const all = (await t.call('admin', 'GET', '/api/audit?limit=5000')).json<{ entries: Array<{ id: number; actor: string; route: string }> }>().entries;
    expect(all.length).toBeGreaterThan(3);
    expect(all[0]).toMatchObject({ actor: 'admin', route: '/api/users/:id' });
    expect((await t.call('admin', 'GET', `/api/audit?after=${all[1]!.id}&limit=1`)).json()).toEqual({ entries: [all[2]] });
    expect((await t.call('admin', 'GET', '/api/audit?limit=0')).json()['error']).toMatchObject({ message: 'request querystring/limit must be >= 1' });
  });
});
