import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { lwError } from '@liftwatch/contract';
import type { DashboardDeps } from '../deps.js';
import { ROLE_ACCESS, type Access, type User } from './schemas.js';
import { areaLookup, areaOfLift, liftFilter, orgVisible, type LiftFilter } from './scope.js';
import type { FleetIndex } from '../fleet-index.js';
import type { UserStore } from './user-store.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route; see auth/schemas.ts. Routes under /api without one are admin-only. */
    access?: Access;
  }
  interface FastifyRequest {
    /** The logged-in user and the lifts they may see; null on public routes called without a session. */
    lw: { user: User; canSee: LiftFilter } | null;
  }
}

export const SESSION_COOKIE = 'lw_session';

/** The session token of a request: `Authorization: Bearer …` (API clients) or the session cookie (the web console, EventSource). */
export function tokenOf(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const cookie = req.headers.cookie;
  if (!cookie) return undefined;
  for (const part of cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === SESSION_COOKIE) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** What a user who logged in with a one-time password may do before setting their own. */
const BEFORE_PASSWORD_CHANGE = new Set(['GET /api/me', 'POST /api/me/password', 'POST /api/logout']);

/** Default-deny: what a route declares, else public outside /api and admin inside it. */
const accessOf = (req: FastifyRequest): Access => req.routeOptions.config.access ?? (req.url.startsWith('/api') ? 'admin' : 'public');

/**
 * Hooks of the guard, as named steps: authenticate (onRequest), authorize role and scope
 * (preHandler, after validation so params are typed), audit every write (onResponse).
 */
export function installGuard(app: FastifyInstance, deps: DashboardDeps, users: UserStore, fleet: FleetIndex): void {
  app.decorateRequest('lw', null);
  const areaOf = areaLookup(deps, fleet);

  app.addHook('onRequest', async function authenticate(req) {
    const token = tokenOf(req);
    const user = token ? await users.sessionUser(token) : undefined;
    // A regulator's lists read lift areas from the fleet index (loaded once, kept current); scopes check crew assignments from its cache.
    if (user?.role === 'regulator') await fleet.entries();
    if (user && user.role !== 'admin') await fleet.assignmentsReady();
    if (user) req.lw = { user, canSee: liftFilter(deps, user, fleet.assignment, areaOf) };
    const access = accessOf(req);
    if (access === 'public') return;
    if (!req.lw) throw lwError('LW_ERR_UNAUTHENTICATED', token ? 'the session has expired or was closed: log in again with POST /api/login' : 'no session: log in with POST /api/login {username, password} and send the token as "Authorization: Bearer <token>"');
    if (req.lw.user.mustChangePassword && !BEFORE_PASSWORD_CHANGE.has(`${req.method} ${req.routeOptions.url ?? ''}`)) {
      throw lwError('LW_ERR_PASSWORD_CHANGE_REQUIRED', `${req.lw.user.id} logged in with a one-time password: set your own first with POST /api/me/password {currentPassword, newPassword}`);
    }
    if (!ROLE_ACCESS[req.lw.user.role].includes(access)) {
      throw lwError('LW_ERR_FORBIDDEN', `a ${req.lw.user.role} user may not ${req.method} ${req.routeOptions.url ?? req.url} (needs ${access} rights)`);
    }
  });

  app.addHook('preHandler', async function authorizeScope(req) {
    if (!req.lw || req.lw.user.role === 'admin') return;
    const { canSee, user } = req.lw;
    const params = (req.params ?? {}) as Record<string, unknown>;
    const route = req.routeOptions.url ?? '';
    const liftId = params['liftId'];
    if (typeof liftId === 'string' && !canSee(liftId, user.role === 'regulator' ? await areaOfLift(deps, liftId) : undefined)) {
      throw lwError('LW_ERR_NOT_FOUND', `lift ${JSON.stringify(params['liftId'])} does not exist or is not in your scope (${user.role} of ${user.orgId ?? 'no organisation'})`);
    }
    if (route.startsWith('/api/alerts/:id') && typeof params['id'] === 'number') {
      const alert = await deps.alerts.get(params['id']);
      if (alert && !canSee(alert.liftId)) throw lwError('LW_ERR_NOT_FOUND', `alert ${params['id']} does not exist or is not in your scope`);
    }
    for (const key of ['orgId', 'unitId', 'id'] as const) {
      if (route.startsWith('/api/alerts/')) break;
      const org = params[key];
      if (typeof org === 'string' && (route.startsWith('/api/rota/') || route.startsWith('/api/escalation-policies/')) && !orgVisible(user, org)) {
        throw lwError('LW_ERR_FORBIDDEN', `organisation ${JSON.stringify(org)} is not yours (${user.orgId ?? 'none'})`);
      }
    }
  });

  app.addHook('onResponse', async function auditWrites(req: FastifyRequest, reply: FastifyReply) {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
    await users.audit({
      at: Date.now(), actor: req.lw?.user.id ?? (req.url === '/api/login' ? `login:${loginName(req)}` : 'anonymous'), role: req.lw?.user.role ?? '',
      method: req.method, route: req.routeOptions.url ?? '', url: req.url.slice(0, 500), status: reply.statusCode, ip: req.ip,
    });
  });
}

const loginName = (req: FastifyRequest) => {
  const body = req.body as { username?: unknown } | undefined;
  return typeof body?.username === 'string' ? body.username.slice(0, 64) : '?';
};
