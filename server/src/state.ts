import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { hashPassword, sessionTokenSha256, type Readiness, type UserStore } from '@liftwatch/dashboards';
import type { StateStore } from '@liftwatch/state-store';

/**
 * The dashboards' user store over the shared state store (PostgreSQL with --state-url): users,
 * sessions and the audit of writes are seen by every dashboards node. Passwords are hashed and session
 * tokens made here, as in the SQLite store; the state store keeps only the hash and the token's SHA-256.
 */
export function stateUserStore(users: StateStore['users']): UserStore {
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
      const { expiresAt } = await users.openSession(sessionTokenSha256(token), userId, ttlMs);
      return { token, expiresAt };
    },
    sessionUser: (token, now) => users.sessionUser(sessionTokenSha256(token), now),
    closeSession: (token) => users.closeSession(sessionTokenSha256(token)),
    audit: (entry) => users.audit(entry),
    auditList: (opts) => users.auditList(opts),
  };
}

/**
 * The HTTP server of a node without the dashboards role: /healthz and /readyz for the orchestrator's
 * checks and /metrics for Prometheus, nothing else (every other path is 404).
 */
export function createOpsServer(metrics: { text(): Promise<string>; contentType: string }, readiness: () => Readiness = () => ({ ready: true, checks: [] })): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    } else if (req.method === 'GET' && path === '/readyz') {
      const r = readiness();
      res.writeHead(r.ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(r));
    } else if (req.method === 'GET' && path === '/metrics') {
      metrics.text().then((text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(text), (err: unknown) => res.writeHead(500).end(String(err)));
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'LW_ERR_NOT_FOUND', message: `${path} is not served here: this node runs without the dashboards role (setting roles)` } }));
    }
  });
}
