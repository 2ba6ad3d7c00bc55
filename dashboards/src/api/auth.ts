import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, lwError } from '@liftwatch/contract';
import { SESSION_COOKIE, tokenOf } from '../auth/guard.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import { checkPasswordStrength } from '../auth/password-strength.js';
import { DUMMY_HASH, verifyPassword } from '../auth/passwords.js';
import { PasswordChange, User } from '../auth/schemas.js';
import type { StoredUser, UserStore } from '../auth/user-store.js';

export interface AuthRouteOptions {
  users: UserStore; throttle: LoginThrottle; sessionTtlMs: number; passwordMinScore: number;
  /** Tells every node that a user's sessions were closed (their live streams end at once). */
  sessionsClosed: (userId: string) => void;
  /** The time zone the console shows times in (GET /api/me). */
  timeZone: string;
}

const Session = Type.Object({ token: Type.String(), expiresAt: Type.Integer(), user: User });
/** The current user, and the time zone the console shows times in (the server's, not the browser's). */
const Me = Type.Composite([User, Type.Object({ timeZone: Type.String({ description: 'IANA time zone of the times the console shows (the setting timeZone)' }) })]);

/** Login, logout, the current user and their own password. */
export const authRoutes: FastifyPluginAsyncTypebox<AuthRouteOptions> = async (app, { users, throttle, sessionTtlMs, passwordMinScore, sessionsClosed, timeZone }) => {
  /** A new session, also as an HttpOnly, SameSite=Strict cookie: scripts cannot read it and other sites cannot make the browser send it (CSRF). */
  const openSession = async (user: StoredUser, reply: FastifyReply) => {
    const session = await users.openSession(user.id, sessionTtlMs);
    reply.header('set-cookie', `${SESSION_COOKIE}=${session.token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(sessionTtlMs / 1000)}`);
    const { passwordHash: _hash, passwordExpiresAt: _expires, ...view } = user;
    return { token: session.token, expiresAt: session.expiresAt, user: view };
  };
  /** Waits out the throttle of this address at this account, then checks the password; a failure counts towards the next delay. */
  const checkPassword = async (req: FastifyRequest, reply: FastifyReply, username: string, password: string) => {
    const wait = throttle.waitFor(req.ip, username);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw lwError('LW_ERR_RATE_LIMITED', `too many failed logins for ${JSON.stringify(username)} from ${req.ip}: wait ${wait} s and try again (other addresses are not held up)`);
    }
    const user = await users.get(username);
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || user.disabled) {
      throttle.failed(req.ip, username);
      return undefined;
    }
    throttle.succeeded(req.ip, username);
    return user;
  };

  app.post('/api/login', {
    config: { access: 'public', scope: 'none' },
    schema: {
      body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      description: 'Opens a session. 401: wrong name or password; 429: too many failed logins of this address at this account, wait the seconds in Retry-After',
      response: { 200: Session, 401: ApiError, 429: ApiError },
    },
  }, async (req, reply) => {
    const user = await checkPassword(req, reply, req.body.username, req.body.password);
    if (!user) throw lwError('LW_ERR_UNAUTHENTICATED', 'user name or password is wrong (or the user is disabled): check both and try again');
    if (user.passwordExpiresAt !== null && Date.now() >= user.passwordExpiresAt) {
      throw lwError('LW_ERR_PASSWORD_EXPIRED', `the one-time password of ${JSON.stringify(user.id)} expired at ${new Date(user.passwordExpiresAt).toISOString()}: `
        + (user.id === 'admin' ? 'restart liftwatch to print a new one' : `ask an admin to set a new one (PUT /api/users/${user.id})`));
    }
    return openSession(user, reply);
  });

  app.post('/api/logout', { config: { access: 'self', scope: 'none' }, schema: { response: { 200: Type.Object({ ok: Type.Literal(true) }) } } }, async (req, reply) => {
    const token = tokenOf(req);
    if (token) await users.closeSession(token);
    reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
    return { ok: true as const };
  });

  app.get('/api/me', { config: { access: 'self', scope: 'none' }, schema: { response: { 200: Me } } }, async (req) => ({ ...req.lw!.user, timeZone }));

  // Every user sets their own password; a one-time one must be replaced here before anything else.
  app.post('/api/me/password', { config: { access: 'self', scope: 'none' }, schema: { body: PasswordChange, response: { 200: Session, 429: ApiError } } }, async (req, reply) => {
    const me = req.lw!.user;
    const { currentPassword, newPassword } = req.body;
    if (!(await checkPassword(req, reply, me.id, currentPassword))) throw lwError('LW_ERR_UNAUTHENTICATED', 'the current password is wrong: give the one you logged in with');
    if (newPassword === currentPassword) throw lwError('LW_ERR_PASSWORD_WEAK', 'the new password is the current one: choose another');
    checkPasswordStrength(newPassword, { userInputs: [me.id, me.name, currentPassword, 'liftwatch'], minScore: passwordMinScore, what: 'the new password' });
    await users.setPassword(me.id, newPassword);
    sessionsClosed(me.id);
    return openSession((await users.get(me.id))!, reply);
  });
};
