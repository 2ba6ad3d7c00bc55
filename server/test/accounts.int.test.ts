import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authed, errorOf, login, postFrom, startTestLiftwatch } from './helpers.js';

// Passwords, own password changes, live streams that end with their sessions, write-only channel secrets.
let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
const PASSWORD = 'gravel lantern orchard';
const put = async (path: string, body: unknown) => {
  const res = await lw.fetch(path, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() as Record<string, unknown> };
};
const crew = (id: string, extra: Record<string, unknown> = {}) => ({ name: id, role: 'crew', orgId: 'mu-A', ...extra });

beforeAll(async () => {
  lw = await startTestLiftwatch({ models: false });
  expect((await put('/api/organisations/mu-A', { kind: 'maintenanceUnit', name: 'Unit A' })).status).toBe(200);
});
afterAll(async () => {
  await lw?.stop();
});

/** A live stream's reader: `until(text)` reads until `text` has come, `end()` until the server ends it. */
function streamOf(res: Response) {
  const reader = res.body!.getReader();
  let text = '';
  return {
    async until(wanted: string): Promise<string> {
      while (!text.includes(wanted)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before ${JSON.stringify(wanted)}: ${text}`);
        text += new TextDecoder().decode(value);
      }
      return text;
    },
    async end(): Promise<string> {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return text;
        text += new TextDecoder().decode(value);
      }
    },
  };
}
const openStream = async (token: string) => {
  const res = await fetch(`${lw.httpUrl}/api/events`, { headers: { cookie: `lw_session=${token}` } });
  expect(res.status).toBe(200);
  return res;
};

describe('passwords', () => {
  it.each([
    ['1234567890', /frequently used password/],
    ['aaaaaaaaaa', /Repeated characters/],
    ['fitter-0042', /personal/], // the user name
    ['          ', /only spaces/],
  ])('refuses %j for a new user, saying why and what to do', async (password, why) => {
    const r = await put('/api/users/fitter-0042', crew('fitter-0042', { password }));
    expect(r.status).toBe(400);
    expect(r.json['error']).toMatchObject({ code: 'LW_ERR_PASSWORD_WEAK', message: expect.stringMatching(why) });
    expect((r.json['error'] as { message: string }).message).toMatch(/choose a longer phrase of several unrelated words/);
  });

  it('lets a crew member change their own password; the old one and its sessions stop working', async () => {
    expect((await put('/api/users/crew-own', crew('crew-own', { password: PASSWORD }))).status).toBe(200);
    const token = await login(lw.httpUrl, 'crew-own', PASSWORD);
    const me = authed(lw.httpUrl, token);
    const change = (currentPassword: string, newPassword: string) => me.fetch('/api/me/password', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ currentPassword, newPassword }) });
    const wrong = await change('not my password', 'quiet harbour bicycle');
    expect(wrong.status).toBe(401);
    expect((await errorOf(wrong)).message).toMatch(/current password is wrong/);
    const weak = await change(PASSWORD, 'crew-own-1');
    expect((await errorOf(weak))).toMatchObject({ code: 'LW_ERR_PASSWORD_WEAK' });
    const ok = await change(PASSWORD, 'quiet harbour bicycle');
    expect(ok.status).toBe(200);
    const fresh = await ok.json() as { token: string; user: { id: string } };
    expect(fresh.user.id).toBe('crew-own');
    expect((await me.fetch('/api/me')).status).toBe(401); // the old session is closed
    expect((await authed(lw.httpUrl, fresh.token).fetch('/api/me')).status).toBe(200);
    await expect(login(lw.httpUrl, 'crew-own', PASSWORD)).rejects.toThrow(/401/);
    expect((await postFrom('127.0.0.4', `${lw.httpUrl}/api/login`, { username: 'crew-own', password: 'quiet harbour bicycle' })).status).toBe(200);
  });
});

describe('live streams end with their sessions', () => {
  it('closes a user\'s stream at once when an admin disables them', async () => {
    expect((await put('/api/users/crew-off', crew('crew-off', { password: PASSWORD }))).status).toBe(200);
    const token = await login(lw.httpUrl, 'crew-off', PASSWORD);
    const stream = streamOf(await openStream(token));
    await stream.until('event: hello');
    expect((await put('/api/users/crew-off', crew('crew-off', { disabled: true }))).status).toBe(200);
    // Ended by the change itself (its own reason), not by the periodic check of the session.
    expect(await stream.end()).toMatch(/event: closed\ndata: .*the session was closed \(user changed or disabled\)/);
    expect((await fetch(`${lw.httpUrl}/api/events`, { headers: { cookie: `lw_session=${token}` } })).status).toBe(401);
  });

  it('closes a user\'s stream at once when their password changes', async () => {
    expect((await put('/api/users/crew-pw', crew('crew-pw', { password: PASSWORD }))).status).toBe(200);
    const token = await login(lw.httpUrl, 'crew-pw', PASSWORD);
    const stream = streamOf(await openStream(token));
    await stream.until('event: hello');
    expect((await put('/api/users/crew-pw', crew('crew-pw', { password: 'violet canyon teapot' }))).status).toBe(200);
    expect(await stream.end()).toMatch(/event: closed\ndata: .*the session was closed \(user changed or disabled\)/);
    expect((await fetch(`${lw.httpUrl}/api/events`, { headers: { cookie: `lw_session=${token}` } })).status).toBe(401);
  });
});

describe('channel secrets are write-only', () => {
  const DING = 'https://oapi.dingtalk.com/robot/send?access_token=ding-token-77';
  const WECOM = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-key-77';
  const secrets = /ding-token-77|wecom-key-77|SEC-ding-77|hmac-key-77/;

  it('no route shows them, to crews or admins, and a PUT that leaves them out keeps them', async () => {
    const person = { name: 'Wang', orgId: 'mu-A', channels: [
      { kind: 'dingtalk', to: DING, secret: 'SEC-ding-77' }, { kind: 'wecom', to: WECOM }, { kind: 'webhook', to: 'http://127.0.0.1:9/hook', secret: 'hmac-key-77' },
    ] };
    const created = await put('/api/people/wang', person);
    expect(created.status).toBe(200);
    expect(JSON.stringify(created.json)).not.toMatch(secrets);
    expect((created.json['channels'] as unknown[])[0]).toEqual({ kind: 'dingtalk', to: 'https://oapi.dingtalk.com/robot/send?access_token=***', secretSet: true });
    expect((await put('/api/users/crew-read', crew('crew-read', { password: PASSWORD }))).status).toBe(200);
    const reader = authed(lw.httpUrl, await login(lw.httpUrl, 'crew-read', PASSWORD));
    const now = Date.now();
    expect((await lw.fetch('/api/rota', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ unitId: 'mu-A', startsAt: now - 60_000, endsAt: now + 3_600_000, primary: 'wang', backup: 'wang' }) })).status).toBe(200);
    expect((await put('/api/crew-lifts/LS-1', { maintenanceUnit: 'mu-A' })).status).toBe(200);
    for (const who of [reader, lw]) {
      for (const path of ['/api/people', '/api/on-call/LS-1']) {
        const res = await who.fetch(path);
        const text = await res.text();
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
        expect(text).toContain('"secretSet":true');
        expect(text).not.toMatch(secrets);
      }
    }
    // What a GET showed, sent back with another name: the stored secrets and URLs stay.
    const shown = (await lw.get<{ people: Array<Record<string, unknown>> }>('/api/people')).people.find((p) => p['id'] === 'wang')!;
    expect((await put('/api/people/wang', { ...shown, id: undefined, name: 'Wang Wei' })).status).toBe(200);
    const db = new Database(`${lw.dir.path}/liftwatch.db`, { readonly: true });
    try {
      const row = db.prepare<[string], { name: string; channels_json: string }>('SELECT name, channels_json FROM crew_people WHERE id = ?').get('wang')!;
      expect(row.name).toBe('Wang Wei');
      expect(JSON.parse(row.channels_json)).toEqual(person.channels);
    } finally {
      db.close();
    }
  });
});
