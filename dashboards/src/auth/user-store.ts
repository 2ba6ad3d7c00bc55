import { createHash, randomBytes } from 'node:crypto';
import type { StateStore } from '@liftwatch/state-store';
import { hashPassword } from './passwords.js';
import type { AuditEntry, User, UserInput } from './schemas.js';

type Awaitable<T> = T | Promise<T>;

/** A user as stored: with the password hash and when the password stops working (null: never). */
export type StoredUser = User & { passwordHash: string; passwordExpiresAt: number | null };

/** Users, sessions and the audit of writes, as the API and the console use them. */
export interface UserStore {
  get(id: string): Awaitable<StoredUser | undefined>;
  list(): Awaitable<User[]>;
  count(): Awaitable<number>;
  /** Creates or changes a user; a password given here is the user's own (no forced change, no expiry). Closes the user's sessions. */
  upsert(id: string, input: UserInput): Promise<User>;
  /**
   * A new password for an existing user. `oneTime`: it stops working at `expiresAt` and must be
   * replaced at the first login (the first admin's printed password). Closes the user's sessions.
   */
  setPassword(id: string, password: string, oneTime?: { expiresAt: number }): Promise<User>;
  /** A new session; the token is returned once and stored only as its SHA-256. */
  openSession(userId: string, ttlMs: number): Awaitable<{ token: string; expiresAt: number }>;
  sessionUser(token: string, now?: number): Awaitable<User | undefined>;
  closeSession(token: string): Awaitable<void>;
  audit(entry: Omit<AuditEntry, 'id'>): Awaitable<void>;
  auditList(opts: { after: number; limit: number }): Awaitable<AuditEntry[]>;
}

export const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * The user store over the state store's users (packages/state-store: the all-in-one's SQLite file,
 * or the PostgreSQL every dashboards node shares). Passwords are hashed and session tokens made here;
 * the state store keeps only the hash and each token's SHA-256.
 */
export function createUserStore(users: StateStore['users']): UserStore {
  return {
    get: (id) => users.get(id),
    list: () => users.list(),
    count: () => users.count(),
    async upsert(id, input) {
      const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
      return users.upsert(id, { name: input.name, role: input.role, orgId: input.orgId ?? null, areaCode: input.areaCode ?? null, disabled: input.disabled, passwordHash });
    },
    setPassword: async (id, password, oneTime) => users.setPassword(id, await hashPassword(password), oneTime),
    async openSession(userId, ttlMs) {
      const token = randomBytes(32).toString('base64url');
      const { expiresAt } = await users.openSession(sha256(token), userId, ttlMs);
      return { token, expiresAt };
    },
    sessionUser: (token, now) => users.sessionUser(sha256(token), now),
    closeSession: (token) => users.closeSession(sha256(token)),
    audit: (entry) => users.audit(entry),
    auditList: (opts) => users.auditList(opts),
  };
}
