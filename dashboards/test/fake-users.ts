import { randomBytes } from 'node:crypto';
import { lwError } from '@liftwatch/contract';
import { hashPassword } from '../src/auth/passwords.js';
import type { AuditEntry, User } from '../src/auth/schemas.js';
import type { StoredUser, UserStore } from '../src/auth/user-store.js';

/**
 * The users port in memory, with the rules of the real stores: a new user needs a password, a
 * user other than admin an organisation, and a change closes the user's sessions.
 */
export interface FakeUsers extends UserStore {
  /** Stores a user as given (see `storedUser`). */
  put(user: StoredUser): void;
  /** Opens a session of the user and returns its token. */
  session(userId: string, ttlMs?: number): string;
  readonly audits: AuditEntry[];
}

export function fakeUsers(): FakeUsers {
  const users = new Map<string, StoredUser>();
  const sessions = new Map<string, { userId: string; expiresAt: number }>();
  const audits: AuditEntry[] = [];
  const view = ({ passwordHash: _h, passwordExpiresAt: _e, ...u }: StoredUser): User => u;
  const closeSessions = (userId: string) => {
    for (const [token, s] of sessions) if (s.userId === userId) sessions.delete(token);
  };
  const openSession = (userId: string, ttlMs: number) => {
    const token = randomBytes(16).toString('base64url');
    sessions.set(token, { userId, expiresAt: Date.now() + ttlMs });
    return { token, expiresAt: Date.now() + ttlMs };
  };
  return {
    audits,
    put: (user) => void users.set(user.id, user),
    get: (id) => users.get(id),
    list: () => [...users.values()].sort((a, b) => a.id.localeCompare(b.id)),
    count: () => users.size,
    async upsert(id, input) {
      const existing = users.get(id);
      if (!existing && input.password === undefined) throw lwError('LW_ERR_REQUEST_INVALID', `user ${JSON.stringify(id)} is new: give a password (at least 10 characters)`);
      if (input.role !== 'admin' && !input.orgId) throw lwError('LW_ERR_REQUEST_INVALID', `a ${input.role} user needs an orgId (their maintenance unit, use unit or district)`);
      const passwordHash = input.password === undefined ? existing!.passwordHash : await hashPassword(input.password);
      const user: StoredUser = {
        id, name: input.name, role: input.role, orgId: input.orgId ?? null, areaCode: input.areaCode ?? null, disabled: input.disabled,
        mustChangePassword: input.password === undefined ? existing!.mustChangePassword : false, passwordHash,
        passwordExpiresAt: input.password === undefined ? existing!.passwordExpiresAt : null,
      };
      users.set(id, user);
      if (existing) closeSessions(id);
      return view(user);
    },
    async setPassword(id, password, oneTime) {
      const user = users.get(id);
      if (!user) throw lwError('LW_ERR_NOT_FOUND', `user ${JSON.stringify(id)} does not exist: create it with PUT /api/users/${id}`);
      Object.assign(user, { passwordHash: await hashPassword(password), mustChangePassword: oneTime !== undefined, passwordExpiresAt: oneTime?.expiresAt ?? null });
      closeSessions(id);
      return view(user);
    },
    openSession,
    session: (userId, ttlMs = 3_600_000) => openSession(userId, ttlMs).token,
    sessionUser(token, now = Date.now()) {
      const s = sessions.get(token);
      const user = s && s.expiresAt > now ? users.get(s.userId) : undefined;
      return user && !user.disabled ? view(user) : undefined;
    },
    closeSession: (token) => void sessions.delete(token),
    audit: (entry) => void audits.push({ id: audits.length + 1, ...entry }),
    auditList: ({ after, limit }) => audits.filter((a) => a.id > after).slice(0, limit),
  };
}

/**
 * A user as stored, without hashing a password: for tests that open sessions directly. The hash
 * matches no password, so such a user cannot log in.
 */
export function storedUser(id: string, role: User['role'], orgId: string | null, extra: Partial<StoredUser> = {}): StoredUser {
  return { id, name: id, role, orgId, areaCode: null, disabled: false, mustChangePassword: false, passwordHash: 'none', passwordExpiresAt: null, ...extra };
}
