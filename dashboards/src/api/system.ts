import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError, DeadLetterTerminalView, DeadLetterView, FAULT_CODES, FaultCodeView, IngestStats, PrecisionReport } from '@liftwatch/contract';
import type { DashboardDeps, Readiness } from '../deps.js';
import { CREW_ROUTE_LIST } from './crews.js';
import { FINDING_ROUTE_LIST } from './findings.js';
import { HAZARD_ROUTE_LIST } from './hazards.js';

/** The lift registry's routes, for GET /api. */
const REGISTRY_ROUTE_LIST = [
  'GET /api/lift-registry?limit=&offset=', 'GET|PUT /api/lift-registry/:liftId {registrationCode, name, areaCode, …} (PUT: admin)', 'POST /api/lift-registry {entries} (admin)',
  'POST /api/lift-registry/import?dryRun= (text/csv, admin)', 'GET /api/exports/lift-registry.csv', 'GET|POST /api/lift-registry/:liftId/inspections', 'GET /api/inspections/overdue?before=',
];
/** Maintenance plans and work orders, for GET /api. */
const MAINTENANCE_ROUTE_LIST = [
  'GET /api/maintenance/item-sets', 'GET|PUT /api/maintenance-plans/:liftId {startsAt, cycleDays}', 'POST /api/maintenance-plans {plans}', 'GET /api/maintenance/overdue',
  'GET|POST /api/work-orders', 'GET /api/work-orders/:workOrderId', 'POST /api/work-orders/:workOrderId/start|complete|cancel', 'PUT /api/work-orders/:workOrderId/checklist {items}',
  'POST /api/work-orders/:workOrderId/photos?itemId= (image/jpeg|png|webp)', 'GET /api/work-orders/:workOrderId/photos/:photoId', 'POST /api/alerts/:id/work-order',
];

const Ok = Type.Object({ ok: Type.Literal(true) });
const ReadinessAnswer = Type.Unsafe<Readiness>(Type.Object({
  ready: Type.Boolean({ description: 'Every check is ok' }),
  checks: Type.Array(Type.Object({ name: Type.String(), ok: Type.Boolean(), detail: Type.String({ description: 'Why, e.g. "the store cannot write"' }) })),
}));
/** What this node counts; each part is there when this node runs it. */
const Stats = Type.Object({
  lifts: Type.Integer(),
  deadLetters: Type.Integer(),
  ingest: Type.Optional(IngestStats),
  mqttClients: Type.Optional(Type.Integer()),
  broker: Type.Optional(Type.Record(Type.String(), Type.Union([Type.Number(), Type.Record(Type.String(), Type.Number())]), { description: 'The broker\'s counters; refusals and limits by reason' })),
});
const Unknown = (description: string) => Type.Optional(Type.Unknown({ description }));
/** The serving's report: live and shadow versions, their comparison, how scoring is scheduled, recent live and shadow alerts. */
const ModelsStatus = Type.Object({
  registryDir: Type.String(),
  minIntervalMs: Type.Optional(Type.Number()),
  autoReloadMs: Type.Optional(Type.Number()),
  models: Type.Array(Type.Object({
    id: Type.String(),
    code: Type.Union([Type.String(), Type.Null()], { description: 'The fault code its alerts carry' }),
    live: Type.Unknown({ description: 'The live version\'s manifest summary, or null' }),
    shadow: Type.Unknown({ description: 'The shadow version\'s manifest summary, or null' }),
  })),
  comparison: Unknown('Live and shadow scores of the same lifts compared'),
  runs: Unknown('Scoring runs and their timings'),
  scheduling: Unknown('Lifts scheduled, queued and waiting for their interval'),
  featureStates: Unknown('The per-lift feature states kept between runs'),
  recentAlerts: Unknown('The latest alerts the live models raised'),
  shadowAlerts: Unknown('The alerts the shadow models would have raised'),
  precision: Type.Optional(Type.Composite([PrecisionReport], { description: 'Precision of each model version and rule, measured by the crews\' findings (docs/findings.md)' })),
});

export const systemRoutes: FastifyPluginAsyncTypebox<{ deps: DashboardDeps }> = async (app, { deps }) => {
  app.get('/healthz', { config: { access: 'public', scope: 'none' }, schema: { description: 'The process answers (liveness)', response: { 200: Ok } } }, async () => ({ ok: true as const }));

  // Liveness above, readiness here: a node whose store cannot write (full disk) answers 503 with the reason, so a
  // load balancer or orchestrator sends its work elsewhere while /healthz still says the process is alive.
  app.get('/readyz', {
    config: { access: 'public', scope: 'none' },
    schema: { description: 'Whether this node can do its work now, each check with its reason', response: { 200: ReadinessAnswer, 503: ReadinessAnswer } },
  }, async (_req, reply) => {
    const r = deps.readiness?.() ?? { ready: true, checks: [] };
    return reply.status(r.ready ? 200 : 503).send(r);
  });

  app.get('/metrics', {
    config: { access: 'public', scope: 'none' },
    schema: { produces: ['text/plain'], response: { 200: Type.String({ description: 'Prometheus text exposition' }), 404: ApiError } },
  }, async (_req, reply) => {
    if (!deps.metrics) return reply.status(404).send({ error: { code: 'LW_ERR_NOT_FOUND', message: 'metrics are not enabled in this process' } });
    return reply.type(deps.metrics.contentType).send(await deps.metrics.text());
  });

  app.get('/api', { config: { access: 'read', scope: 'none' }, schema: { response: { 200: Type.Object({ routes: Type.Array(Type.String()) }) } } }, async () => ({
    routes: [
      'GET /api/lifts', 'GET /api/lifts/:liftId', 'GET /api/lifts/:liftId/records?stream=&limit=',
      'GET /api/lifts/:liftId/series?stream=&field=&from=&to=&bucketMs=', 'GET /api/lifts/:liftId/daily-counts?stream=&days=', 'GET /api/districts/:areaCode/status',
      'GET /api/alerts?state=active|open|acknowledged|onSite|resolved|falseAlarm&liftId=', 'GET /api/alerts/:id',
      'POST /api/alerts/:id/acknowledge|on-site|resolve|false-alarm {actor, note, finding}',
      'GET /api/dead-letters', 'GET /api/dead-letters/terminals', 'GET /api/stats', 'GET /metrics (Prometheus)', 'GET /api/fault-codes', 'GET /api/events (server-sent events)',
      'POST /api/login', 'POST /api/logout', 'GET /api/me', 'POST /api/me/password {currentPassword, newPassword}', 'GET /api/users (admin)', 'PUT /api/users/:id (admin)',
      ...(deps.liftRegistry ? REGISTRY_ROUTE_LIST : []), ...(deps.maintenance ? MAINTENANCE_ROUTE_LIST : []),
      ...(deps.crews ? CREW_ROUTE_LIST : []), ...(deps.models ? ['GET /api/models (admin)'] : []), ...(deps.findings ? FINDING_ROUTE_LIST : []), ...(deps.hazards ? HAZARD_ROUTE_LIST : []),
    ],
  }));

  // Fault-prediction models: live and shadow versions, their comparison, recent predicted and shadow alerts. Admin only.
  if (deps.models) {
    const models = deps.models;
    const findings = deps.findings;
    app.get('/api/models', { config: { access: 'admin', scope: 'none' }, schema: { response: { 200: ModelsStatus } } },
      async () => ({ ...(await models.status()), ...(findings ? { precision: await findings.precision() } : {}) }) as Static<typeof ModelsStatus>);
  }

  app.get('/api/stats', { config: { access: 'admin', scope: 'none' }, schema: { response: { 200: Stats } } },
    async () => ({ ...deps.stats(), lifts: await deps.lifts.count(), deadLetters: await deps.deadLetters.count() }));

  app.get('/api/fault-codes', { config: { access: 'read', scope: 'none' }, schema: { response: { 200: Type.Object({ codes: Type.Array(FaultCodeView) }) } } },
    async () => ({ codes: FAULT_CODES as FaultCodeView[] }));

  app.get('/api/dead-letters', {
    config: { access: 'admin', scope: 'none' },
    schema: {
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }), offset: Type.Integer({ minimum: 0, default: 0 }) }),
      response: { 200: Type.Object({ total: Type.Integer(), deadLetters: Type.Array(DeadLetterView) }) },
    },
  }, async (req) => ({ total: await deps.deadLetters.count(), deadLetters: await deps.deadLetters.list(req.query) }));

  // Which terminals send garbage: per terminal, dead letters kept and those not kept (past its quota), and the last reason.
  const terminals = deps.deadLetters.terminals;
  if (terminals) {
    app.get('/api/dead-letters/terminals', {
      config: { access: 'admin', scope: 'none' },
      schema: {
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 100 }) }),
        response: { 200: Type.Object({ terminals: Type.Array(DeadLetterTerminalView) }) },
      },
    }, async (req) => ({ terminals: await terminals(req.query.limit) }));
  }
};
