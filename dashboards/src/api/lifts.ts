import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LiftSummary, lwError, RECORD_STREAMS, type LiftSummary as LiftSummaryType } from '@liftwatch/contract';
import { scopeArea, type LiftFilter } from '../auth/scope.js';
import type { DashboardDeps } from '../deps.js';

const Page = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});

export const liftRoutes: FastifyPluginAsyncTypebox<{ deps: DashboardDeps }> = async (app, { deps }) => {
  app.get('/api/lifts', {
    config: { access: 'read' },
    schema: { querystring: Page, response: { 200: Type.Object({ total: Type.Integer(), lifts: Type.Array(LiftSummary) }) } },
  }, async (req) => {
    const lw = req.lw!;
    if (lw.user.role === 'admin') {
      const [total, lifts] = await Promise.all([deps.lifts.count(), deps.lifts.list(req.query)]);
      return { total, lifts };
    }
    const mine = await visibleLifts(deps, lw.canSee);
    return { total: mine.length, lifts: mine.slice(req.query.offset, req.query.offset + req.query.limit) };
  });

  app.get('/api/lifts/:liftId', {
    config: { access: 'read' },
    schema: { params: Type.Object({ liftId: Type.String({ maxLength: 64 }) }) },
  }, async (req) => {
    const lift = await deps.lifts.get(req.params.liftId);
    if (!lift) throw lwError('LW_ERR_NOT_FOUND', `lift ${JSON.stringify(req.params.liftId)} has sent nothing yet: check the lift id in the terminal's topic`);
    return { ...lift, alerts: await deps.alerts.list({ liftId: lift.liftId, limit: 50 }), health: await healthOf(deps, lift.liftId), terminal: await terminalOf(deps, lift.liftId) };
  });

  app.get('/api/lifts/:liftId/records', {
    config: { access: 'read' },
    schema: {
      params: Type.Object({ liftId: Type.String({ maxLength: 64 }) }),
      querystring: Type.Object({
        stream: Type.Optional(Type.Union(RECORD_STREAMS.map((s) => Type.Literal(s)))),
        limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
      }),
    },
  }, async (req) => {
    const { stream, limit } = req.query;
    return { liftId: req.params.liftId, records: await deps.lifts.records(req.params.liftId, stream === undefined ? { limit } : { stream, limit }) };
  });
};

/**
 * The terminal's own health from its latest device record: firmware, spool depth, link quality,
 * clock offset, the config it acknowledged, and when it was received; null before its first.
 */
async function terminalOf(deps: DashboardDeps, liftId: string) {
  const [last] = await deps.lifts.records(liftId, { stream: 'device', limit: 1 });
  if (!last) return null;
  const { schemaVersion: _v, liftId: _l, seq: _s, ...health } = last.record as Record<string, unknown>;
  return { ...health, receivedAt: last.receivedAt };
}

/** The lift's health score, computed from its stored records when there is none yet; null without the health service. */
async function healthOf(deps: DashboardDeps, liftId: string) {
  if (!deps.health) return null;
  return deps.health.ensure ? await deps.health.ensure(liftId) : deps.health.score(liftId);
}

/** Every lift the filter lets through (for users other than admin; their fleet is a unit's or a district's). */
export async function visibleLifts(deps: DashboardDeps, canSee: LiftFilter): Promise<LiftSummaryType[]> {
  return (await deps.lifts.list({ limit: 1_000_000, offset: 0 })).filter((l) => canSee(l.liftId, scopeArea(l)));
}
