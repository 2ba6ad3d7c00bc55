import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AlertDetail, AlertState, AlertView, FindingInput, lwError, type AlertState as State } from '@liftwatch/contract';
import type { User } from '../auth/schemas.js';
import type { DashboardDeps } from '../deps.js';

/** Who the audit names: the logged-in user; an admin may record an action on behalf of a named person. */
export const actorOf = (user: User, claimed: string | undefined): string => (user.role === 'admin' && claimed ? claimed : user.id);

/** URL verbs of the lifecycle and the state each leads to. */
const ACTIONS: Record<string, State> = { acknowledge: 'acknowledged', 'on-site': 'onSite', resolve: 'resolved', 'false-alarm': 'falseAlarm' };

export const alertRoutes: FastifyPluginAsyncTypebox<{ deps: DashboardDeps }> = async (app, { deps }) => {
  app.get('/api/alerts', {
    config: { access: 'read', scope: 'list' },
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
    const lw = req.lw!;
    if (lw.user.role === 'admin') return { alerts: await deps.alerts.list({ limit, ...(state ? { state } : {}), ...(liftId ? { liftId } : {}) }) };
    if (liftId && !lw.canSee(liftId)) return { alerts: [] };
    // Scoped users: filter a wider page, then cut to the limit.
    const all = await deps.alerts.list({ limit: liftId ? limit : 5000, ...(state ? { state } : {}), ...(liftId ? { liftId } : {}) });
    return { alerts: all.filter((a) => lw.canSee(a.liftId)).slice(0, limit) };
  });

  app.get('/api/alerts/:id', {
    config: { access: 'read', scope: 'alert' },
    schema: { params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: { 200: AlertDetail } },
  }, async (req) => {
    const alert = await deps.alerts.get(req.params.id);
    if (!alert) throw lwError('LW_ERR_NOT_FOUND', `alert ${req.params.id} does not exist`);
    return alert;
  });

  app.post('/api/alerts/:id/:action', {
    config: { access: 'act', scope: 'alert' },
    schema: {
      params: Type.Object({ id: Type.Integer({ minimum: 1 }), action: Type.Union(Object.keys(ACTIONS).map((a) => Type.Literal(a))) }),
      body: Type.Object({
        actor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Ignored except for admins recording on behalf of someone: the actor is the logged-in user' })),
        note: Type.String({ maxLength: 2000, default: '' }),
        finding: Type.Optional(FindingInput),
      }, { additionalProperties: false }),
      response: { 200: AlertView },
    },
  }, async (req) => deps.alerts.transition(req.params.id, ACTIONS[req.params.action]!, actorOf(req.lw!.user, req.body.actor), req.body.note, req.body.finding));
};
