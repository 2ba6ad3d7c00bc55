import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DEFAULT_MAX_JSON_DEPTH, jsonDepthExceeded, LiftwatchError, lwError, tooDeepReason } from '@liftwatch/contract';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { DOCS_PREFIX } from './auth/declarations.js';
import { installGuard } from './auth/guard.js';
import { createLoginThrottle } from './auth/login-throttle.js';
import { DEFAULT_MIN_SCORE } from './auth/password-strength.js';
import type { DashboardDeps, LiftRegistryPort } from './deps.js';
import { SECURITY_HEADERS } from './headers.js';
import { authRoutes } from './api/auth.js';
import { liftRegistryRoutes } from './api/lift-registry.js';
import { registryCsvRoutes } from './api/registry-csv.js';
import { inspectionRoutes } from './api/inspections.js';
import { maintenanceRoutes } from './api/maintenance.js';
import { workOrderRoutes } from './api/work-orders.js';
import { workOrderPhotoRoutes } from './api/work-order-photos.js';
import { userRoutes } from './api/users.js';
import { createFleetIndex, type FleetIndex } from './fleet-index.js';
import { districtRoutes } from './api/districts.js';
import { exchangeRoutes } from './api/exchange.js';
import { rescueCallRoutes } from './api/rescue-calls.js';
import { statisticsRoutes } from './api/statistics.js';
import { hazardRoutes } from './api/hazards.js';
import { createReportLimit } from './hazards/report-limit.js';
import { exportRoutes } from './api/exports.js';
import { alertRoutes } from './api/alerts.js';
import { findingRoutes } from './api/findings.js';
import { crewRoutes } from './api/crews.js';
import { eventRoutes } from './live/events.js';
import { liftHealthRoutes } from './api/lift-health.js';
import { liftRoutes } from './api/lifts.js';
import { systemRoutes } from './api/system.js';
import { telemetryRoutes } from './api/telemetry.js';
import { terminalRoutes } from './api/terminals.js';
import { terminalConfigRoutes } from './api/terminal-config.js';
import { webRoutes } from './console/serve.js';

export interface DashboardOptions {
  /** Fastify's logger. @defaultValue false */
  readonly logger?: boolean;
  /** How often the live feed sends what changed, ms. @defaultValue 500 */
  readonly feedIntervalMs?: number;
  /** How long a login session lasts, ms. @defaultValue 12 h (a crew's shift) */
  readonly sessionTtlMs?: number;
  /** Failed logins of one address at one account before its tries there are delayed (doubling delays). @defaultValue 5 */
  readonly loginFreeFailures?: number;
  /** The longest of those delays, ms. @defaultValue 900 000 */
  readonly loginMaxDelayMs?: number;
  /** Least zxcvbn score (0–4) of a new password. @defaultValue 3 */
  readonly passwordMinScore?: number;
  /** IANA time zone the console shows times in (the server's setting, whatever the browser's zone). @defaultValue Asia/Shanghai */
  readonly timeZone?: string;
  /** How often a live stream checks that its session still holds (expiry; closes that the feed did not carry), ms. @defaultValue 10 000 */
  readonly sessionCheckMs?: number;
  /** Deepest nesting of arrays and objects in a JSON body; a deeper body is refused with 400 before it is parsed. @defaultValue 32 */
  readonly maxJsonDepth?: number;
  /** Registration codes of another region's format (matched whole); undefined: the Chinese 20-digit code (docs/lift-registry.md). @defaultValue undefined */
  readonly registrationCodePattern?: RegExp | undefined;
  /** Most lines of lifts in one registry CSV import. @defaultValue 50 000 */
  readonly registryImportMaxRows?: number;
  /** Largest photo of a work order, bytes. @defaultValue 10 MiB */
  readonly photoMaxBytes?: number;
  /** Problem reports the public page of a lift takes from one client address an hour (and ten times that about one lift). @defaultValue 5 */
  readonly residentReportsPerHour?: number;
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
  // CSP, nosniff, frame protection and the other headers of helmet, on every answer (headers.ts): before the guard, so refusals carry them too.
  app.register(helmet, SECURITY_HEADERS);
  installGuard(app, deps, deps.users, fleet);
  // OpenAPI 3 from the TypeBox route schemas (one artifact: validation, types and docs).
  app.register(swagger, {
    openapi: {
      info: { title: 'liftwatch API', version: '1', description: 'Lifts, telemetry, alerts, crews and districts. Log in with POST /api/login and send "Authorization: Bearer <token>".' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  // BaseLayout: Swagger UI without its top bar (a URL box and a logo whose SVG carries an inline <style> the CSP refuses).
  app.register(swaggerUi, { routePrefix: DOCS_PREFIX, uiConfig: { layout: 'BaseLayout' } });

  app.register(webRoutes);
  const passwordMinScore = options.passwordMinScore ?? DEFAULT_MIN_SCORE;
  // Disabling a user or changing their password ends their live streams on every node (live/events.ts).
  const sessionsClosed = (userId: string) => deps.changes.publish({ kind: 'sessions', userId });
  app.register(authRoutes, {
    users: deps.users, sessionTtlMs: options.sessionTtlMs ?? 12 * 3_600_000, passwordMinScore, sessionsClosed, timeZone: options.timeZone ?? 'Asia/Shanghai',
    throttle: createLoginThrottle({ ...(options.loginFreeFailures === undefined ? {} : { freeFailures: options.loginFreeFailures }), ...(options.loginMaxDelayMs === undefined ? {} : { maxDelayMs: options.loginMaxDelayMs }) }),
  });
  app.register(userRoutes, { users: deps.users, passwordMinScore, sessionsClosed });
  app.register(systemRoutes, { deps });
  app.register(exportRoutes, { deps });
  app.addHook('onReady', async () => fleet.warm());
  app.addHook('onClose', async () => fleet.close());
  app.register(districtRoutes, { deps, fleet });
  app.register(liftRoutes, { deps });
  app.register(liftHealthRoutes, { deps });
  app.register(alertRoutes, { deps });
  app.register(findingRoutes, { deps });
  app.register(telemetryRoutes, { deps });
  if (deps.crews) app.register(crewRoutes, { crews: fleet.watch(deps.crews) });
  app.register(eventRoutes, { deps, intervalMs: options.feedIntervalMs ?? 500, sessionCheckMs: options.sessionCheckMs ?? 10_000 });
  if (deps.terminals) app.register(terminalRoutes, { terminals: deps.terminals });
  if (deps.liftRegistry) {
    const registry = announced(deps.liftRegistry, deps, fleet);
    const registrationCodePattern = options.registrationCodePattern;
    app.register(liftRegistryRoutes, { deps, registry, registrationCodePattern });
    app.register(registryCsvRoutes, { deps, registry, registrationCodePattern, maxRows: options.registryImportMaxRows ?? 50_000 });
    app.register(inspectionRoutes, { registry });
  }
  if (deps.maintenance) {
    app.register(maintenanceRoutes, { deps, maintenance: deps.maintenance, registry: deps.liftRegistry });
    app.register(workOrderRoutes, { deps, maintenance: deps.maintenance });
    app.register(workOrderPhotoRoutes, { maintenance: deps.maintenance, maxBytes: options.photoMaxBytes ?? 10 * 1024 * 1024 });
  }
  if (deps.exchange) app.register(exchangeRoutes, { exchange: deps.exchange });
  if (deps.rescueLine) app.register(rescueCallRoutes, { deps, rescue: deps.rescueLine });
  if (deps.statistics) app.register(statisticsRoutes, { statistics: deps.statistics, ...(deps.hazards ? { hazards: deps.hazards } : {}) });
  const perHour = options.residentReportsPerHour ?? 5;
  if (deps.hazards) app.register(hazardRoutes, { deps, hazards: deps.hazards, limit: createReportLimit({ perAddress: perHour, perLift: perHour * 10, windowMs: 3_600_000 }) });
  if (deps.terminalConfig) app.register(terminalConfigRoutes, { deps, port: deps.terminalConfig });
  return app;
}

/**
 * The registry port, telling every node's fleet index and live pages of the lifts whose entry
 * changed, and this node's index at once of the crew assignments the entries set.
 */
function announced(registry: LiftRegistryPort, deps: DashboardDeps, fleet: FleetIndex): LiftRegistryPort {
  return {
    ...registry,
    async put(entries, actor) {
      const done = await registry.put(entries, actor);
      deps.changes.publish({ kind: 'lifts', liftIds: done.map((e) => e.liftId) });
      fleet.assigned(done.flatMap((e) => (e.maintenanceUnit ? [{ liftId: e.liftId, maintenanceUnit: e.maintenanceUnit, useUnit: e.useUnit, district: fleet.assignment(e.liftId)?.district ?? null }] : [])));
      return done;
    },
  };
}
