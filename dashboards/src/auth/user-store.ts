import { createHash, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { lwError } from '@liftwatch/contract';
import { hashPassword } from './passwords.js';
import type { AuditEntry, User, UserInput } from './schemas.js';

type Awaitable<T> = T | Promise<T>;

/**
 * Users, sessions and the audit of writes: in the process's SQLite database (createUserStore), or in
 * the shared state store (PostgreSQL) of a distributed deployment, whose answers are promises.
 */
/** A user as stored: with the password hash and when the password stops working (null: never). */
export type StoredUser = User & { passwordHash: string; passwordExpiresAt: number | null };

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

const SCHEMA = `
CREATE TABLE IF NOT EXISTS dash_users (id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, org_id TEXT, area_code TEXT,
  password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS dash_sessions (token_sha256 TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS dash_sessions_expiry ON dash_sessions(expires_at);
CREATE TABLE IF NOT EXISTS dash_audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL,
  method TEXT NOT NULL, route TEXT NOT NULL, url TEXT NOT NULL, status INTEGER NOT NULL, ip TEXT NOT NULL);
`;

/** Columns added after the first release (the state store's migration 0004 adds the same). */
const ADDED_COLUMNS = { must_change_password: 'INTEGER NOT NULL DEFAULT 0', password_expires_at: 'INTEGER' } as const;

interface UserRow {
  id: string; name: string; role: User['role']; org_id: string | null; area_code: string | null; password_hash: string; disabled: number;
  must_change_password: number; password_expires_at: number | null;
}
const toUser = (r: UserRow): User => ({ id: r.id, name: r.name, role: r.role, orgId: r.org_id, areaCode: r.area_code, disabled: r.disabled === 1, mustChangePassword: r.must_change_password === 1 });
const toStored = (r: UserRow): StoredUser => ({ ...toUser(r), passwordHash: r.password_hash, passwordExpiresAt: r.password_expires_at });
export const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

export function createUserStore(db: Database.Database): UserStore {
  db.exec(SCHEMA);
  const columns = new Set(db.prepare<[], { name: string }>('PRAGMA table_info(dash_users)').all().map((c) => c.name));
  for (const [name, type] of Object.entries(ADDED_COLUMNS)) if (!columns.has(name)) db.exec(`ALTER TABLE dash_users ADD COLUMN ${name} ${type}`);
  const q = {
    get: db.prepare<[string], UserRow>('SELECT * FROM dash_users WHERE id = ?'),
    list: db.prepare<[], UserRow>('SELECT * FROM dash_users ORDER BY id'),
    count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM dash_users'),
    upsert: db.prepare(`INSERT INTO dash_users (id, name, role, org_id, area_code, password_hash, disabled, created_at, updated_at)
      VALUES (@id, @name, @role, @orgId, @areaCode, @hash, @disabled, @now, @now)
      ON CONFLICT(id) DO UPDATE SET name = @name, role = @role, org_id = @orgId, area_code = @areaCode, disabled = @disabled, updated_at = @now,
        password_hash = CASE WHEN @hash = '' THEN password_hash ELSE @hash END,
        must_change_password = CASE WHEN @hash = '' THEN must_change_password ELSE 0 END,
        password_expires_at = CASE WHEN @hash = '' THEN password_expires_at ELSE NULL END`),
    setPassword: db.prepare('UPDATE dash_users SET password_hash = ?, must_change_password = ?, password_expires_at = ?, updated_at = ? WHERE id = ?'),
    openSession: db.prepare('INSERT INTO dash_sessions (token_sha256, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)'),
    session: db.prepare<[string, number], { user_id: string }>('SELECT user_id FROM dash_sessions WHERE token_sha256 = ? AND expires_at > ?'),
    closeSession: db.prepare('DELETE FROM dash_sessions WHERE token_sha256 = ?'),
    expire: db.prepare('DELETE FROM dash_sessions WHERE expires_at <= ?'),
    closeUserSessions: db.prepare('DELETE FROM dash_sessions WHERE user_id = ?'),
    audit: db.prepare('INSERT INTO dash_audit (at, actor, role, method, route, url, status, ip) VALUES (@at, @actor, @role, @method, @route, @url, @status, @ip)'),
    auditList: db.prepare<[number, number], AuditEntry>('SELECT * FROM dash_audit WHERE id > ? ORDER BY id LIMIT ?'),
  };
  return {
    get(id) {
      const r = q.get.get(id);
      return r ? toStored(r) : undefined;
    },
    list: () => q.list.all().map(toUser),
    count: () => q.count.get()!.n,
    async upsert(id, input) {
      const existing = q.get.get(id);
      if (!existing && input.password === undefined) throw lwError('LW_ERR_REQUEST_INVALID', `user ${JSON.stringify(id)} is new: give a password (at least 10 characters)`);
      if (input.role !== 'admin' && !input.orgId) throw lwError('LW_ERR_REQUEST_INVALID', `a ${input.role} user needs an orgId (their maintenance unit, use unit or district)`);
      const hash = input.password === undefined ? '' : await hashPassword(input.password);
      q.upsert.run({ id, name: input.name, role: input.role, orgId: input.orgId ?? null, areaCode: input.areaCode ?? null, hash, disabled: input.disabled ? 1 : 0, now: Date.now() });
      // A changed password, role or scope must not leave old sessions with the old rights.
      if (existing) q.closeUserSessions.run(id);
      return toUser(q.get.get(id)!);
    },
    async setPassword(id, password, oneTime) {
      const hash = await hashPassword(password);
      const changed = q.setPassword.run(hash, oneTime ? 1 : 0, oneTime?.expiresAt ?? null, Date.now(), id).changes;
      if (changed === 0) throw lwError('LW_ERR_NOT_FOUND', `user ${JSON.stringify(id)} does not exist: create it with PUT /api/users/${id}`);
      q.closeUserSessions.run(id);
      return toUser(q.get.get(id)!);
    },
    openSession(userId, ttlMs) {
      const token = randomBytes(32).toString('base64url');
      const now = Date.now();
      q.expire.run(now);
      q.openSession.run(sha256(token), userId, now, now + ttlMs);
      return { token, expiresAt: now + ttlMs };
    },
    sessionUser(token, now = Date.now()) {
      const s = q.session.get(sha256(token), now);
      const r = s ? q.get.get(s.user_id) : undefined;
      return r && r.disabled === 0 ? toUser(r) : undefined;
    },
    closeSession: (token) => void q.closeSession.run(sha256(token)),
    audit: (entry) => void q.audit.run(entry),
    auditList: ({ after, limit }) => q.auditList.all(after, limit),
  };
}
