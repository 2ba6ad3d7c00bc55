import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AlertState } from '@liftwatch/contract';
import { toCsv } from './csv.js';
import type { DashboardDeps } from '../deps.js';
import { visibleLifts } from './lifts.js';

const Csv = Type.String({ description: 'CSV (RFC 4180), UTF-8 with a byte order mark, one row per line after the header' });
const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : '');

/** CSV exports, scoped like the JSON routes: a user exports only what they may see. */
export const exportRoutes: FastifyPluginAsyncTypebox<{ deps: DashboardDeps }> = async (app, { deps }) => {
  app.get('/api/exports/lifts.csv', { config: { access: 'read', scope: 'list' }, schema: { produces: ['text/csv'], response: { 200: Csv } } }, async (req, reply) => {
    const lw = req.lw!;
    const lifts = lw.user.role === 'admin' ? await deps.lifts.list({ limit: 1_000_000, offset: 0 }) : await visibleLifts(deps, lw.canSee);
    // areaCode: the platform's registry (what decides scope); reportedAreaCode: what the terminal reported. Name and address: the registry's first.
    const body = toCsv(['liftId', 'name', 'address', 'areaCode', 'reportedAreaCode', 'registrationCode', 'presence', 'lastSeenAt', 'openAlerts', 'recordsTotal'],
      lifts.map((l) => [l.liftId, l.registered?.name ?? l.registry?.name, l.registered?.address ?? l.registry?.address, l.registered?.areaCode, l.registry?.areaCode, l.registry?.registrationCode, l.presence, iso(l.lastSeenAt), l.openAlerts, l.recordsTotal]));
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="lifts.csv"').send(body);
  });

  app.get('/api/exports/alerts.csv', {
    config: { access: 'read', scope: 'list' },
    schema: { produces: ['text/csv'], response: { 200: Csv }, querystring: Type.Object({ state: Type.Optional(Type.Union([Type.Literal('active'), AlertState])), limit: Type.Integer({ minimum: 1, maximum: 5000, default: 5000 }) }) },
  }, async (req, reply) => {
    const lw = req.lw!;
    const alerts = (await deps.alerts.list({ limit: req.query.limit, ...(req.query.state ? { state: req.query.state } : {}) })).filter((a) => lw.canSee(a.liftId));
    const rows = alerts.map((a) => [a.id, a.liftId, a.code, a.severity, a.state, a.nameEn, a.nameZh, a.reason, iso(a.openedAt), iso(a.updatedAt), a.occurrences, a.assignee ?? '']);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="alerts.csv"')
      .send(toCsv(['id', 'liftId', 'code', 'severity', 'state', 'nameEn', 'nameZh', 'reason', 'openedAt', 'updatedAt', 'occurrences', 'assignee'], rows));
  });
};
