import type { FastifyInstance, RouteOptions } from 'fastify';
import { ApiError } from '@liftwatch/contract';
import type { Access } from './schemas.js';

/**
 * What a route's URL names that the guard checks against the user's scope, before the handler runs
 * (admins see everything):
 * - `lift`: `:liftId` is a lift; one outside the user's lifts answers 404, as if it did not exist.
 * - `alert`: `:id` is an alert; one on a lift outside the user's lifts answers 404.
 * - `org`: `:orgId` (or `:id`) is an organisation; another one than the user's answers 403.
 * - `list`: nothing in the URL; the handler keeps only what the user may see (`req.lw.canSee`).
 * - `none`: nothing in the URL is scoped: the user's own account, data that is the same for everyone,
 *   an admin-only route, or a write whose body the handler checks itself.
 */
export type Scope = 'lift' | 'alert' | 'org' | 'list' | 'none';

/** The URL parameter each scope reads, the first one a route has. */
export const SCOPE_PARAMS: Readonly<Record<Scope, readonly string[]>> = { lift: ['liftId'], alert: ['id'], org: ['orgId', 'id'], list: [], none: [] };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route (auth/schemas.ts); checked on every request. */
    access: Access;
    /** What in its URL is checked against the user's scope (see `Scope`). */
    scope: Scope;
  }
}

/** Where @fastify/swagger-ui puts the API documentation and its files: public, and its routes are that plugin's. */
export const DOCS_PREFIX = '/docs';

type Schema = { properties?: Record<string, unknown> } | undefined;
const paramNames = (route: RouteOptions): string[] => Object.keys((route.schema?.params as Schema)?.properties ?? {});

/** Why a route cannot be registered as declared, or undefined when it can. */
export function declarationFault(route: RouteOptions): string | undefined {
  const config = route.config as { access?: unknown; scope?: unknown } | undefined;
  if (typeof config?.access !== 'string') return 'it declares no config.access (public, self, read, act, manage or admin)';
  if (typeof config.scope !== 'string' || !(config.scope in SCOPE_PARAMS)) return 'it declares no config.scope (lift, alert, org, list or none)';
  const wanted = SCOPE_PARAMS[config.scope as Scope];
  if (wanted.length > 0 && !wanted.some((p) => paramNames(route).includes(p))) {
    return `its scope is ${config.scope}, which reads the URL parameter ${wanted.map((p) => `:${p}`).join(' or ')}, and its params schema has none`;
  }
  if (paramNames(route).includes('liftId') && config.scope !== 'lift') return `its URL names a lift (:liftId), so its scope must be lift, not ${config.scope}`;
  const response = route.schema?.response as Record<string, unknown> | undefined;
  if (!response || !Object.keys(response).some((status) => /^2(\d\d|xx)$/.test(status))) return 'it declares no schema.response for its success answer';
  return undefined;
}

/**
 * The error answers a route can give, from what it declares: 400 when it takes input, 401 and 403
 * unless it is public, 404 when its URL names something; any other refusal or failure as `4xx`/`5xx`.
 * All have the shape of ApiError, so they are documented and serialised like the success answers.
 */
export function errorAnswers(route: RouteOptions): Record<string, unknown> {
  const s = route.schema ?? {};
  const codes = ['4xx', '5xx'];
  if (s.body !== undefined || s.querystring !== undefined || s.params !== undefined) codes.push('400');
  if (route.config?.access !== 'public') codes.push('401', '403');
  if (s.params !== undefined) codes.push('404');
  return Object.fromEntries(codes.map((c) => [c, ApiError]));
}

/**
 * Refuses, at registration, a route that does not say who may call it, what of its URL is scoped
 * and what it answers: a new route cannot go unguarded or answer with fields nobody named. Adds the
 * error answers to each route's response schema. The documentation's own routes are public.
 */
export function requireDeclarations(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if ((route.prefix === DOCS_PREFIX || route.prefix.startsWith(`${DOCS_PREFIX}/`)) && route.schema?.hide === true) {
      route.config = { ...route.config, access: 'public', scope: 'none' };
      return;
    }
    const fault = declarationFault(route);
    if (fault) throw new Error(`route ${String(route.method)} ${route.url} cannot be registered: ${fault}`);
    route.schema = { ...route.schema, response: { ...errorAnswers(route), ...(route.schema!.response as object) } };
  });
}
