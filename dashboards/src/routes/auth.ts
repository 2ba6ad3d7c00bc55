import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { lwError } from '@liftwatch/contract';
import { SESSION_COOKIE, tokenOf } from '../auth/guard.js';
import { DUMMY_HASH, verifyPassword } from '../auth/passwords.js';
import type { LoginLimiter } from '../auth/rate-limit.js';
import { AuditEntry, User, UserInput } from '../auth/schemas.js';
import type { UserStore } from '../auth/user-store.js';

export interface AuthRouteOptions { users: UserStore; limiter: LoginLimiter; sessionTtlMs: number }

/** Login, logout, the current user, user administration and the audit of writes (issue 8 §2). */
export const authRoutes: FastifyPluginAsyncTypebox<AuthRouteOptions> = async (app, { users, limiter, sessionTtlMs }) => {
  app.post('/api/login', {
    config: { access: 'public' },
    schema: {
      body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ token: Type.String(), expiresAt: Type.Integer(), user: User }) },
    },
  }, async (req, reply) => {
    const { username, password } = req.body;
    const keys = [`ip:${req.ip}`, `user:${username}`];
    const wait = Math.max(...keys.map((k) => limiter.blockedFor(k)));
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw lwError('LW_ERR_RATE_LIMITED', `too many failed logins for ${JSON.stringify(username)} or from ${req.ip}: wait ${wait} s and try again`);
    }
    const user = await users.get(username);
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || user.disabled) {
      for (const k of keys) limiter.fail(k);
      throw lwError('LW_ERR_UNAUTHENTICATED', 'user name or password is wrong (or the user is disabled): check both and try again');
    }
    limiter.clear(`user:${username}`);
    const session = await users.openSession(user.id, sessionTtlMs);
    // HttpOnly + SameSite=Strict: scripts cannot read it and other sites cannot make the browser send it (CSRF).
    reply.header('set-cookie', `${SESSION_COOKIE}=${session.token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(sessionTtlMs / 1000)}`);
    const { passwordHash: _hash, ...view } = user;
    return { token: session.token, expiresAt: session.expiresAt, user: view };
  });

  app.post('/api/logout', { config: { access: 'read' } }, async (req, reply) => {
    const token = tokenOf(req);
    if (token) await users.closeSession(token);
    reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
    return { ok: true };
  });

  app.get('/api/me', { config: { access: 'read' }, schema: { response: { 200: User } } }, async (req) => req.lw!.user);

  app.get('/api/users', { config: { access: 'admin' }, schema: { response: { 200: Type.Object({ users: Type.Array(User) }) } } }, async () => ({ users: await users.list() }));
  app.put('/api/users/:id', {
    config: { access: 'admin' },
    schema: { params: Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_.@-]{1,64}$' }) }), body: UserInput, response: { 200: User } },
  }, async (req) => users.upsert(req.params.id, req.body));

  app.get('/api/audit', {
    config: { access: 'admin' },
    schema: { querystring: Type.Object({ after: Type.Integer({ minimum: 0, default: 0 }), limit: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }) }), response: { 200: Type.Object({ entries: Type.Array(AuditEntry) }) } },
  }, async (req) => ({ entries: await users.auditList(req.query) }));
};
