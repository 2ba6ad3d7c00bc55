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
export interface UserStore {
  get(id: string): Awaitable<(User & { passwordHash: string }) | undefined>;
  list(): Awaitable<User[]>;
  count(): Awaitable<number>;
  upsert(id: string, input: UserInput): Promise<User>;
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

interface UserRow { id: string; name: string; role: User['role']; org_id: string | null; area_code: string | null; password_hash: string; disabled: number }
const toUser = (r: UserRow): User => ({ id: r.id, name: r.name, role: r.role, orgId: r.org_id, areaCode: r.area_code, disabled: r.disabled === 1 });
export const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

export function createUserStore(db: Database.Database): UserStore {
  db.exec(SCHEMA);
  const q = {
    get: db.prepare<[string], UserRow>('SELECT * FROM dash_users WHERE id = ?'),
    list: db.prepare<[], UserRow>('SELECT * FROM dash_users ORDER BY id'),
    count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM dash_users'),
    upsert: db.prepare(`INSERT INTO dash_users (id, name, role, org_id, area_code, password_hash, disabled, created_at, updated_at)
      VALUES (@id, @name, @role, @orgId, @areaCode, @hash, @disabled, @now, @now)
      ON CONFLICT(id) DO UPDATE SET name = @name, role = @role, org_id = @orgId, area_code = @areaCode, disabled = @disabled, updated_at = @now,
        password_hash = CASE WHEN @hash = '' THEN password_hash ELSE @hash END`),
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
      return r ? { ...toUser(r), passwordHash: r.password_hash } : undefined;
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
