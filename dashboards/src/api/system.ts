import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DeadLetterTerminalView, DeadLetterView, FAULT_CODES } from '@liftwatch/contract';
import type { DashboardDeps } from '../deps.js';
import { CREW_ROUTE_LIST } from './crews.js';

export const systemRoutes: FastifyPluginAsyncTypebox<{ deps: DashboardDeps }> = async (app, { deps }) => {
  app.get('/healthz', { config: { access: 'public' } }, async () => ({ ok: true }));

  // Liveness above, readiness here: a node whose store cannot write (full disk) answers 503 with the reason, so a
  // load balancer or orchestrator sends its work elsewhere while /healthz still says the process is alive.
  app.get('/readyz', { config: { access: 'public' } }, async (_req, reply) => {
    const r = deps.readiness?.() ?? { ready: true, checks: [] };
    return reply.status(r.ready ? 200 : 503).send(r);
  });

  app.get('/metrics', { config: { access: 'public' } }, async (_req, reply) => {
    if (!deps.metrics) return reply.status(404).send({ error: { code: 'LW_ERR_NOT_FOUND', message: 'metrics are not enabled in this process' } });
    return reply.type(deps.metrics.contentType).send(await deps.metrics.text());
  });

  app.get('/api', { config: { access: 'read' } }, async () => ({
    routes: [
      'GET /api/lifts', 'GET /api/lifts/:liftId', 'GET /api/lifts/:liftId/records?stream=&limit=',
      'GET /api/lifts/:liftId/series?stream=&field=&from=&to=&bucketMs=', 'GET /api/lifts/:liftId/daily-counts?stream=&days=', 'GET /api/districts/:areaCode/status',
      'GET /api/alerts?state=active|open|acknowledged|onSite|resolved|falseAlarm&liftId=', 'GET /api/alerts/:id',
      'POST /api/alerts/:id/acknowledge|on-site|resolve|false-alarm {actor, note}',
      'GET /api/dead-letters', 'GET /api/dead-letters/terminals', 'GET /api/stats', 'GET /metrics (Prometheus)', 'GET /api/fault-codes', 'GET /api/events (server-sent events)',
      'POST /api/login', 'POST /api/logout', 'GET /api/me', 'POST /api/me/password {currentPassword, newPassword}', 'GET /api/users (admin)', 'PUT /api/users/:id (admin)',
      ...(deps.liftRegistry ? ['GET|PUT /api/lift-registry/:liftId {areaCode}', 'POST /api/lift-registry {entries} (admin)'] : []),
      ...(deps.crews ? CREW_ROUTE_LIST : []), ...(deps.models ? ['GET /api/models (admin)'] : []),
    ],
  }));

  // Fault-prediction models (issue 6): live and shadow versions, their comparison, recent predicted and shadow alerts. Admin only.
  if (deps.models) {
    const models = deps.models;
    app.get('/api/models', { config: { access: 'admin' } }, async () => models.status());
  }

  app.get('/api/stats', { config: { access: 'admin' } }, async () => ({ ...deps.stats(), lifts: await deps.lifts.count(), deadLetters: deps.deadLetters.count() }));

  app.get('/api/fault-codes', { config: { access: 'read' } }, async () => ({ codes: FAULT_CODES }));

  app.get('/api/dead-letters', {
    config: { access: 'admin' },
    schema: {
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }), offset: Type.Integer({ minimum: 0, default: 0 }) }),
      response: { 200: Type.Object({ total: Type.Integer(), deadLetters: Type.Array(DeadLetterView) }) },
    },
  }, async (req) => ({ total: deps.deadLetters.count(), deadLetters: deps.deadLetters.list(req.query) }));

  // Which terminals send garbage: per terminal, dead letters kept and those not kept (past its quota), and the last reason.
  const terminals = deps.deadLetters.terminals;
  if (terminals) {
    app.get('/api/dead-letters/terminals', {
      config: { access: 'admin' },
      schema: {
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 100 }) }),
        response: { 200: Type.Object({ terminals: Type.Array(DeadLetterTerminalView) }) },
      },
    }, async (req) => ({ terminals: terminals(req.query.limit) }));
  }
};
