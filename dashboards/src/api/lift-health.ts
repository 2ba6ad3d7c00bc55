import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HealthView, LiftRiskView } from '@liftwatch/contract';
import type { DashboardDeps } from '../deps.js';

const LiftParams = Type.Object({ liftId: Type.String({ maxLength: 64 }) });

/**
 * What the lift page shows beside the records: each fault family's predicted risk with its trend and
 * the measured quantities behind it against the lift's normal band, and the health score's history.
 * Scoped like every lift route; a lift not scored yet has no families and no points.
 */
export const liftHealthRoutes: FastifyPluginAsyncTypebox<{ deps: DashboardDeps }> = async (app, { deps }) => {
  app.get('/api/lifts/:liftId/prediction', {
    config: { access: 'read', scope: 'lift' },
    schema: { params: LiftParams, response: { 200: LiftRiskView } },
  }, async (req) => ((await deps.predictions?.lift(req.params.liftId)) as LiftRiskView | null | undefined) ?? { liftId: req.params.liftId, at: null, families: [] });

  app.get('/api/lifts/:liftId/health-history', {
    config: { access: 'read', scope: 'lift' },
    schema: {
      params: LiftParams,
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 5000, default: 1000, description: 'The newest scores, at most this many' }) }),
      response: { 200: Type.Object({ liftId: Type.String(), points: Type.Array(HealthView, { description: 'Oldest first: a row when the grade changed, the score moved by a point or a day passed' }) }) },
    },
  }, async (req) => {
    const newestFirst = (await deps.health?.history?.(req.params.liftId, req.query.limit)) ?? [];
    return { liftId: req.params.liftId, points: [...newestFirst].reverse() };
  });
};
