import { describe, expect, it } from 'vitest';
import { tempDir, waitFor } from '@liftwatch/test-kit';
import { makeConfig } from '../src/config.js';
import { startLiftwatch } from '../src/liftwatch.js';
import { authed, errorOf, login } from './helpers.js';

/** Starts liftwatch on a data dir, keeping what it logs and what it tells the operator at the terminal. */
async function start(dataDir: string, over: Record<string, unknown> = {}) {
  const logged: string[] = [];
  const told: string[] = [];
  const running = await startLiftwatch(makeConfig({ host: '127.0.0.1', mqttPort: 0, httpPort: 0, dataDir, ...over }), (l) => logged.push(l), { tell: (t) => told.push(t) });
  const oneTime = /^ {6}(\S+)$/m.exec(told.join(''))?.[1];
  return { running, logged, told, oneTime };
}
const post = (url: string, body: unknown, token?: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });

describe('the first admin', () => {
  it('gets a one-time password on the terminal only, must replace it at the first login, and keeps the new one', async () => {
    const dir = tempDir();
    try {
      const first = await start(dir.path);
      expect(first.oneTime).toMatch(/^[\w-]{24}$/);
      expect(first.told.join('')).toMatch(/Log in to the console as admin with it before .*you will then choose your own password/s);
      expect(first.logged.join('\n')).not.toContain(first.oneTime); // never in the JSON log
      expect(first.logged).toContainEqual(expect.stringMatching(/created user "admin" with a one-time password, printed on the terminal \(not logged\): valid until \d{4}-/));
      const http = first.running.httpUrl;

      const res = await post(`${http}/api/login`, { username: 'admin', password: first.oneTime });
      const session = await res.json() as { token: string; user: { mustChangePassword: boolean } };
      expect(session.user.mustChangePassword).toBe(true);
      const oneTimeSession = authed(http, session.token);
      const refused = await oneTimeSession.fetch('/api/lifts');
      expect(refused.status).toBe(403);
      expect((await errorOf(refused))).toMatchObject({ code: 'LW_ERR_PASSWORD_CHANGE_REQUIRED', message: expect.stringMatching(/POST \/api\/me\/password/) });
      expect((await oneTimeSession.get<{ mustChangePassword: boolean }>('/api/me')).mustChangePassword).toBe(true);

      const weak = await post(`${http}/api/me/password`, { currentPassword: first.oneTime, newPassword: 'admin12345' }, session.token);
      expect(weak.status).toBe(400);
      expect((await errorOf(weak))).toMatchObject({ code: 'LW_ERR_PASSWORD_WEAK' });
      const changed = await post(`${http}/api/me/password`, { currentPassword: first.oneTime, newPassword: 'lantern orchard gravel 42' }, session.token);
      expect(changed.status).toBe(200);
      const fresh = await changed.json() as { token: string; user: { mustChangePassword: boolean } };
      expect(fresh.user.mustChangePassword).toBe(false);
      expect((await oneTimeSession.fetch('/api/me')).status).toBe(401); // the one-time session is closed
      expect((await authed(http, fresh.token).fetch('/api/lifts')).status).toBe(200);
      await expect(login(http, 'admin', first.oneTime!)).rejects.toThrow(/401/);
      await first.running.close();

      const second = await start(dir.path);
      expect(second.told).toEqual([]); // not again
      expect(second.logged.filter((l) => l.includes('created user'))).toEqual([]);
      await expect(login(second.running.httpUrl, 'admin', 'lantern orchard gravel 42')).resolves.toBeTruthy();
      await second.running.close();
    } finally {
      dir.remove();
    }
  });

  it('refuses an expired one-time password, saying to restart, and the restart prints a new one (the old one stops working)', async () => {
    const dir = tempDir();
    try {
      const first = await start(dir.path, { adminOneTimePasswordHours: 0.0003 }); // about a second
      const expired = await waitFor('the one-time password to expire', async () => {
        const res = await post(`${first.running.httpUrl}/api/login`, { username: 'admin', password: first.oneTime });
        return res.status === 401 ? await res.json() as { error: { code: string; message: string } } : undefined;
      });
      expect(expired.error).toMatchObject({ code: 'LW_ERR_PASSWORD_EXPIRED', message: expect.stringMatching(/expired at .*restart liftwatch to print a new one/) });
      await first.running.close();

      const second = await start(dir.path);
      expect(second.oneTime).toMatch(/^[\w-]{24}$/);
      expect(second.oneTime).not.toBe(first.oneTime);
      expect(second.logged).toContainEqual(expect.stringMatching(/"admin" has not chosen a password yet: a new one-time password is printed on the terminal \(not logged\)/));
      expect((await post(`${second.running.httpUrl}/api/login`, { username: 'admin', password: first.oneTime })).status).toBe(401);
      const res = await post(`${second.running.httpUrl}/api/login`, { username: 'admin', password: second.oneTime });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { user: { mustChangePassword: boolean } }).user.mustChangePassword).toBe(true);
      await second.running.close();
    } finally {
      dir.remove();
    }
  });

  it.each([
    ['short', /has 5 characters: give at least 10/],
    ['1234567890', /too easy to guess/],
    ['adminadmin', /too easy to guess/],
  ])('refuses a configured admin password %j, saying why', async (adminPassword, why) => {
    const dir = tempDir();
    try {
      await expect(startLiftwatch(makeConfig({ host: '127.0.0.1', mqttPort: 0, httpPort: 0, dataDir: dir.path, adminPassword })))
        .rejects.toMatchObject({ code: 'LW_ERR_CONFIG_INVALID', message: expect.stringMatching(why) });
    } finally {
      dir.remove();
    }
  });
});
