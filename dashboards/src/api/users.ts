import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { checkPasswordStrength } from '../auth/password-strength.js';
import { AuditEntry, User, UserInput } from '../auth/schemas.js';
import type { UserStore } from '../auth/user-store.js';
import { ownCrewLogin } from './own-unit.js';

/** User administration and the audit of writes (admins). */
export const userRoutes: FastifyPluginAsyncTypebox<{ users: UserStore; passwordMinScore: number; sessionsClosed: (userId: string) => void }> = async (app, { users, passwordMinScore, sessionsClosed }) => {
  // A manager sees and sets the logins of their own unit's crew (own-unit.ts).
  app.get('/api/users', { config: { access: 'manage', scope: 'list' }, schema: { response: { 200: Type.Object({ users: Type.Array(User) }) } } },
    async (req) => ({ users: (await users.list()).filter((u) => req.lw!.user.role === 'admin' || (u.orgId === req.lw!.user.orgId && ['crew', 'manager'].includes(u.role))) }));

  app.put('/api/users/:id', {
    config: { access: 'manage', scope: 'none' },
    schema: { params: Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_.@-]{1,64}$' }) }), body: UserInput, response: { 200: User } },
  }, async (req) => {
    const { id } = req.params;
    if (req.lw!.user.role !== 'admin') ownCrewLogin(req.lw!.user, id, await users.get(id), req.body);
    if (req.body.password !== undefined) checkPasswordStrength(req.body.password, { userInputs: [id, req.body.name, 'liftwatch'], minScore: passwordMinScore, what: `the password of ${id}` });
    const user = await users.upsert(id, req.body);
    // A change closes the user's sessions (old rights must not outlive it), and with them their live streams.
    sessionsClosed(id);
    return user;
  });

  app.get('/api/audit', {
    config: { access: 'admin', scope: 'none' },
    schema: { querystring: Type.Object({ after: Type.Integer({ minimum: 0, default: 0 }), limit: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }) }), response: { 200: Type.Object({ entries: Type.Array(AuditEntry) }) } },
  }, async (req) => ({ entries: await users.auditList(req.query) }));
};
