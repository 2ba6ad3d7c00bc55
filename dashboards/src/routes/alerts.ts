import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AlertDetail, AlertState, AlertView, lwError, type AlertState as State } from '@liftwatch/contract';
import type { DashboardDeps } from '../deps.js';

/** URL verbs of the lifecycle and the state each leads to. */
const ACTIONS: Record<string, State> = { acknowledge: 'acknowledged', 'on-site': 'onSite', resolve: 'resolved', 'false-alarm': 'falseAlarm' };

export const alertRoutes: FastifyPluginAsyncTypebox<{ deps: DashboardDeps }> = async (app, { deps }) => {
  app.get('/api/alerts', {
    schema: {
      querystring: Type.Object({
        state: Type.Optional(Type.Union([Type.Literal('active'), AlertState])),
        liftId: Type.Optional(Type.String({ maxLength: 64 })),
        limit: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }),
      }),
      response: { 200: Type.Object({ alerts: Type.Array(AlertView) }) },
    },
  }, async (req) => {
    const { state, liftId, limit } = req.query;
    return { alerts: deps.alerts.list({ limit, ...(state ? { state } : {}), ...(liftId ? { liftId } : {}) }) };
  });

  app.get('/api/alerts/:id', {
    schema: { params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: { 200: AlertDetail } },
  }, async (req) => {
    const alert = deps.alerts.get(req.params.id);
    if (!alert) throw lwError('LW_ERR_NOT_FOUND', `alert ${req.params.id} does not exist`);
    return alert;
  });

  app.post('/api/alerts/:id/:action', {
    schema: {
      params: Type.Object({ id: Type.Integer({ minimum: 1 }), action: Type.Union(Object.keys(ACTIONS).map((a) => Type.Literal(a))) }),
      body: Type.Object({ actor: Type.String({ minLength: 1, maxLength: 200 }), note: Type.String({ maxLength: 2000, default: '' }) }, { additionalProperties: false }),
      response: { 200: AlertView },
    },
  }, async (req) => deps.alerts.transition(req.params.id, ACTIONS[req.params.action]!, req.body.actor, req.body.note));
};
