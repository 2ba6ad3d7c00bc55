import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DEFAULT_MAX_JSON_DEPTH, jsonDepthExceeded, LiftwatchError, lwError, tooDeepReason } from '@liftwatch/contract';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { installGuard } from './auth/guard.js';
import { createLoginLimiter } from './auth/rate-limit.js';
import type { DashboardDeps } from './deps.js';
import { authRoutes } from './routes/auth.js';
import { createFleetIndex } from './fleet-index.js';
import { districtRoutes } from './routes/districts.js';
import { exportRoutes } from './routes/exports.js';
import { alertRoutes } from './routes/alerts.js';
import { crewRoutes } from './routes/crews.js';
import { eventRoutes } from './routes/events.js';
import { liftRoutes } from './routes/lifts.js';
import { systemRoutes } from './routes/system.js';
import { telemetryRoutes } from './routes/telemetry.js';
import { terminalRoutes } from './routes/terminals.js';
import { webRoutes } from './routes/web.js';

export interface DashboardOptions {
  /** Fastify's logger. @defaultValue false */
  readonly logger?: boolean;
  /** How often the live feed sends what changed, ms. @defaultValue 500 */
  readonly feedIntervalMs?: number;
  /** How long a login session lasts, ms. @defaultValue 12 h (a crew's shift) */
  readonly sessionTtlMs?: number;
  /** Failed logins allowed per client address and per user name in `loginWindowMs`. @defaultValue 5 */
  readonly loginMaxFailures?: number;
  /** Window of the failed-login limit, ms. @defaultValue 60 000 */
  readonly loginWindowMs?: number;
  /** Deepest nesting of arrays and objects in a JSON body; a deeper body is refused with 400 before it is parsed. @defaultValue 32 */
  readonly maxJsonDepth?: number;
}

/**
 * Fastify's JSON body parser (with its protection against `__proto__` keys), after a check of the
 * nesting depth: a body nested thousands of levels deep parses, but its validation would then
 * overflow the stack (a 500); it gets a 400 that names the limit instead.
 */
function limitJsonDepth(app: FastifyInstance, maxDepth: number): void {
  const parseJson = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    const at = jsonDepthExceeded(text, maxDepth);
    if (at >= 0) return done(lwError('LW_ERR_PAYLOAD_TOO_DEEP', tooDeepReason('the request body', at, maxDepth)), undefined);
    parseJson(req, text, done);
  });
}

/** Builds the REST API and the web page (fastify app/server split: this builds, the caller listens). */
export function buildDashboards(deps: DashboardDeps, options: DashboardOptions = {}): FastifyInstance {
  const app = Fastify({ logger: options.logger ?? false }).withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler((err: Error & { validation?: unknown; statusCode?: number }, _req, reply) => {
    if (err instanceof LiftwatchError) return reply.status(err.statusCode).send({ error: { code: err.code, message: err.message } });
    if (err.validation) return reply.status(400).send({ error: { code: 'LW_ERR_REQUEST_INVALID', message: `request ${err.message}` } });
    // A database that cannot be written (full disk, read-only file system) is a 503 with the reason, not an internal error.
    if (/^SQLITE_(FULL|READONLY|IOERR)/.test((err as { code?: unknown }).code as string ?? '')) {
      return reply.status(503).send({ error: { code: 'LW_ERR_STORAGE', message: `the database cannot be written (${String((err as { code?: unknown }).code)}: ${err.message}): free disk space; GET /readyz says when this node can write again` } });
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    return reply.status(status).send({ error: { code: status === 500 ? 'LW_ERR_INTERNAL' : 'LW_ERR_REQUEST_INVALID', message: err.message } });
  });
  limitJsonDepth(app, options.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH);
  app.setNotFoundHandler((req, reply) => reply.status(404).send({ error: { code: 'LW_ERR_NOT_FOUND', message: `no route ${req.method} ${req.url}: see GET /api for the routes` } }));

  // The regulator console's read model; it hears of assignments and visits made through the crews routes, and holds the assignments scopes are checked against.
  const fleet = createFleetIndex(deps);
  installGuard(app, deps, deps.users, fleet);
  // OpenAPI 3 from the TypeBox route schemas (one artifact: validation, types and docs).
  app.register(swagger, {
    openapi: {
      info: { title: 'liftwatch API', version: '1', description: 'Lifts, telemetry, alerts, crews and districts. Log in with POST /api/login and send "Authorization: Bearer <token>".' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  app.register(swaggerUi, { routePrefix: '/docs' });

  app.register(webRoutes);
  app.register(authRoutes, { users: deps.users, sessionTtlMs: options.sessionTtlMs ?? 12 * 3_600_000,
    limiter: createLoginLimiter({ max: options.loginMaxFailures ?? 5, windowMs: options.loginWindowMs ?? 60_000 }) });
  app.register(systemRoutes, { deps });
  app.register(exportRoutes, { deps });
  app.addHook('onReady', async () => fleet.warm());
  app.addHook('onClose', async () => fleet.close());
  app.register(districtRoutes, { deps, fleet });
  app.register(liftRoutes, { deps });
  app.register(alertRoutes, { deps });
  app.register(telemetryRoutes, { deps });
  if (deps.crews) app.register(crewRoutes, { crews: fleet.watch(deps.crews) });
  app.register(eventRoutes, { deps, intervalMs: options.feedIntervalMs ?? 500 });
  if (deps.terminals) app.register(terminalRoutes, { terminals: deps.terminals });
  return app;
}
