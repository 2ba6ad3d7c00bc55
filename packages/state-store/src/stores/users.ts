import { lwError } from '@liftwatch/contract';
import type { StateDb } from '../open.js';
import type { UsersTable } from '../tables.js';

export const USER_ROLES = ['admin', 'manager', 'crew', 'useUnit', 'regulator'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface UserRecord { id: string; name: string; role: UserRole; orgId: string | null; areaCode: string | null; disabled: boolean; mustChangePassword: boolean }
export interface UserWrite {
  name: string; role: UserRole; orgId: string | null; areaCode: string | null; disabled: boolean;
  /** A hash made by the caller (dashboards' scrypt); undefined keeps the current one. Required for a new user. A new one is the user's own: no forced change, no expiry. */
  passwordHash?: string | undefined;
}
export interface AuditLine { id: number; at: number; actor: string; role: string; method: string; route: string; url: string; status: number; ip: string }

type UserRow = Omit<UsersTable, 'must_change_password'> & { must_change_password: number };
const toUser = (r: UserRow): UserRecord => ({
  id: r.id, name: r.name, role: r.role as UserRole, orgId: r.org_id, areaCode: r.area_code, disabled: r.disabled === 1, mustChangePassword: r.must_change_password === 1,
});

/** Users of the console and API, their sessions (stored as the token's SHA-256 only) and the audit of every write. */
export function createUsers({ db, write }: StateDb) {
  return {
    async get(id: string): Promise<(UserRecord & { passwordHash: string; passwordExpiresAt: number | null }) | undefined> {
      const r = await db.selectFrom('dash_users').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? { ...toUser(r), passwordHash: r.password_hash, passwordExpiresAt: r.password_expires_at === null ? null : Number(r.password_expires_at) } : undefined;
    },
    list: async (): Promise<UserRecord[]> => (await db.selectFrom('dash_users').selectAll().orderBy('id').execute()).map(toUser),
    count: async (): Promise<number> => Number((await db.selectFrom('dash_users').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    /** Creates or changes a user; a change closes the user's sessions, so old rights do not outlive it. */
    async upsert(id: string, input: UserWrite, now = Date.now()): Promise<UserRecord> {
      if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(id)) throw lwError('LW_ERR_REQUEST_INVALID', `user id ${JSON.stringify(id)} is not valid: give 1–64 of A–Z a–z 0–9 _ . @ -`);
      if (!(USER_ROLES as readonly string[]).includes(input.role)) throw lwError('LW_ERR_REQUEST_INVALID', `user ${id}: role ${JSON.stringify(input.role)} is not one of ${USER_ROLES.join(', ')}`);
      if (input.role !== 'admin' && !input.orgId) throw lwError('LW_ERR_REQUEST_INVALID', `a ${input.role} user needs an orgId (their maintenance unit, use unit or district)`);
      return write(async (trx) => {
        const existing = await trx.selectFrom('dash_users').select('id').where('id', '=', id).executeTakeFirst();
        if (!existing && !input.passwordHash) throw lwError('LW_ERR_REQUEST_INVALID', `user ${JSON.stringify(id)} is new: give a password (at least 10 characters)`);
        const row = { name: input.name, role: input.role, org_id: input.orgId, area_code: input.areaCode, disabled: input.disabled ? 1 : 0, updated_at: now };
        await trx.insertInto('dash_users').values({ id, ...row, password_hash: input.passwordHash ?? '', created_at: now })
          .onConflict((oc) => oc.column('id').doUpdateSet({ ...row, ...(input.passwordHash ? { password_hash: input.passwordHash, must_change_password: 0, password_expires_at: null } : {}) }))
          .execute();
        if (existing) await trx.deleteFrom('dash_sessions').where('user_id', '=', id).execute();
        return toUser(await trx.selectFrom('dash_users').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
      });
    },
    /**
     * A new password hash for an existing user; `oneTime`: it stops working at `expiresAt` and must be
     * replaced at the first login. Closes the user's sessions.
     */
    async setPassword(id: string, passwordHash: string, oneTime?: { expiresAt: number }, now = Date.now()): Promise<UserRecord> {
      return write(async (trx) => {
        const r = await trx.updateTable('dash_users').where('id', '=', id)
          .set({ password_hash: passwordHash, must_change_password: oneTime ? 1 : 0, password_expires_at: oneTime?.expiresAt ?? null, updated_at: now }).executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw lwError('LW_ERR_NOT_FOUND', `user ${JSON.stringify(id)} does not exist: create it with PUT /api/users/${id}`);
        await trx.deleteFrom('dash_sessions').where('user_id', '=', id).execute();
        return toUser(await trx.selectFrom('dash_users').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
      });
    },
    async openSession(tokenSha256: string, userId: string, ttlMs: number, now = Date.now()): Promise<{ expiresAt: number }> {
      await write(async (trx) => {
        await trx.deleteFrom('dash_sessions').where('expires_at', '<=', now).execute();
        await trx.insertInto('dash_sessions').values({ token_sha256: tokenSha256, user_id: userId, created_at: now, expires_at: now + ttlMs }).execute();
      });
      return { expiresAt: now + ttlMs };
    },
    /** The user of a live session, unless the user is disabled. */
    async sessionUser(tokenSha256: string, now = Date.now()): Promise<UserRecord | undefined> {
      const r = await db.selectFrom('dash_sessions').innerJoin('dash_users', 'dash_users.id', 'dash_sessions.user_id').selectAll('dash_users')
        .where('dash_sessions.token_sha256', '=', tokenSha256).where('dash_sessions.expires_at', '>', now).executeTakeFirst();
      return r && r.disabled === 0 ? toUser(r) : undefined;
    },
    async closeSession(tokenSha256: string): Promise<void> {
      await db.deleteFrom('dash_sessions').where('token_sha256', '=', tokenSha256).execute();
    },
    /** Appends a line to the audit of writes (append-only: the database refuses updates and deletes). */
    async audit(entry: Omit<AuditLine, 'id'>): Promise<void> {
      await db.insertInto('dash_audit').values(entry).execute();
    },
    auditList: ({ after, limit }: { after: number; limit: number }): Promise<AuditLine[]> =>
      db.selectFrom('dash_audit').selectAll().where('id', '>', after).orderBy('id').limit(limit).execute(),
  };
}
