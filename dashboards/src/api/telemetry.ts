import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { lwError, RECORD_STREAMS } from '@liftwatch/contract';
import type { DashboardDeps } from '../deps.js';

const Stream = Type.Union(RECORD_STREAMS.map((s) => Type.Literal(s)));
const DAY = 86_400_000;

/** Time series for charts and district views, answered by the telemetry store (SQLite or InfluxDB). */
export const telemetryRoutes: FastifyPluginAsyncTypebox<{ deps: DashboardDeps }> = async (app, { deps }) => {
  const telemetry = deps.telemetry;
  if (!telemetry) return;

  app.get('/api/lifts/:liftId/series', {
    config: { access: 'read' },
    schema: {
      params: Type.Object({ liftId: Type.String({ maxLength: 64 }) }),
      querystring: Type.Object({
        stream: Stream,
        field: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]{0,63}$', description: 'A numeric field of the stream, e.g. closeS' }),
        from: Type.Integer({ description: 'Start, ms since the epoch' }),
        to: Type.Integer({ description: 'End (exclusive), ms since the epoch' }),
        bucketMs: Type.Integer({ minimum: 1000, description: 'Bucket width, ms' }),
      }),
    },
  }, async (req) => {
    const { stream, field, from, to, bucketMs } = req.query;
    if (to <= from) throw lwError('LW_ERR_REQUEST_INVALID', `to (${to}) must be after from (${from})`);
    if ((to - from) / bucketMs > 5000) throw lwError('LW_ERR_REQUEST_INVALID', `${Math.ceil((to - from) / bucketMs)} buckets asked for; at most 5000: widen bucketMs`);
    return { liftId: req.params.liftId, stream, field, bucketMs, buckets: await telemetry.range({ liftId: req.params.liftId, stream, field, fromMs: from, toMs: to, bucketMs }) };
  });

  app.get('/api/lifts/:liftId/daily-counts', {
    config: { access: 'read' },
    schema: {
      params: Type.Object({ liftId: Type.String({ maxLength: 64 }) }),
      querystring: Type.Object({ stream: Stream, days: Type.Integer({ minimum: 1, maximum: 366, default: 30 }) }),
    },
  }, async (req) => {
    const to = Math.ceil(Date.now() / DAY) * DAY;
    return { liftId: req.params.liftId, stream: req.query.stream, counts: await telemetry.dailyCounts(req.query.stream, to - req.query.days * DAY, to, req.params.liftId) };
  });

  app.get('/api/districts/:areaCode/status', {
    config: { access: 'read' },
    schema: { params: Type.Object({ areaCode: Type.String({ pattern: '^[0-9]{6}$', description: 'GB/T 2260 area code' }) }) },
  }, async (req) => {
    const canSee = req.lw!.canSee;
    const liftIds = ((await deps.lifts.inArea?.(req.params.areaCode)) ?? []).filter((id) => canSee(id, req.params.areaCode));
    const latest = await telemetry.latestPerLift('status', liftIds);
    return { areaCode: req.params.areaCode, lifts: liftIds.map((liftId) => ({ liftId, status: latest.get(liftId)?.record ?? null })) };
  });
};
