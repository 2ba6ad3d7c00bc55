import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AlertView } from '@liftwatch/contract';
import { createFleetIndex, type FleetEntry } from '../fleet-index.js';
import type { DashboardDeps } from '../deps.js';

const DAY = 86_400_000;
/** TSG T5002-2017 §5: routine maintenance at least every 15 days (半月维保). */
const MAINTENANCE_DAYS = 15;
/** A terminal with nothing for this long is silent (well above the 10 s status period and broker keep-alive). */
const SILENT_MS = 15 * 60_000;
/** GB/T 24476 and the district rule: a crew on site within 30 minutes of an entrapment. */
const RESCUE_LIMIT_MS = 30 * 60_000;

const Area = Type.Object({ areaCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: 'GB/T 2260 area code; omit for every lift you may see' })) });

/** Risk for sorting until the health score exists (issue 6): open P1s first, then P2s, silent terminals, open alerts. */
const risk = (l: FleetEntry, sev: Map<string, { P1: number; P2: number }>, now: number) =>
  (sev.get(l.liftId)?.P1 ?? 0) * 1000 + (sev.get(l.liftId)?.P2 ?? 0) * 100 + (now - l.lastSeenAt > SILENT_MS ? 10 : 0) + l.openAlerts;

/** Regulator console (issue 8 §3): district overview and the riskiest lifts, scoped like every route. */
export const districtRoutes: FastifyPluginAsyncTypebox<{ deps: DashboardDeps }> = async (app, { deps }) => {
  const fleet = createFleetIndex(deps);
  app.addHook('onClose', async () => fleet.close());
  const scoped = async (req: { lw: { user: { role: string }; canSee: (id: string, a?: string | null) => boolean } | null }, areaCode?: string) => {
    const entries = await fleet.entries(areaCode);
    const { user, canSee } = req.lw!;
    return user.role === 'admin' ? entries : entries.filter((e) => canSee(e.liftId, e.areaCode));
  };
  const severities = (alerts: AlertView[]) => {
    const m = new Map<string, { P1: number; P2: number }>();
    for (const a of alerts) {
      const s = m.get(a.liftId) ?? { P1: 0, P2: 0 };
      if (a.severity === 'P1') s.P1++;
      if (a.severity === 'P2') s.P2++;
      m.set(a.liftId, s);
    }
    return m;
  };

  app.get('/api/overview', { config: { access: 'read' }, schema: { querystring: Area } }, async (req) => {
    const now = Date.now();
    const lifts = await scoped(req, req.query.areaCode);
    const ids = new Set(lifts.map((l) => l.liftId));
    const month = deps.alerts.list({ limit: 5000 }).filter((a) => ids.has(a.liftId) && a.openedAt > now - 30 * DAY);
    const active = month.filter((a) => a.state === 'open' || a.state === 'acknowledged' || a.state === 'onSite');
    const entrapments = month.filter((a) => a.code === 'E01');
    const rescue = entrapments.map((a) => {
      const onSite = deps.alerts.get(a.id)?.audit.find((e) => e.action === 'onSite' || e.action.includes('onSite'));
      return { alertId: a.id, liftId: a.liftId, openedAt: a.openedAt, arrivalMs: onSite ? onSite.at - a.openedAt : null };
    });
    const lastVisit = new Map<string, number>();
    for (const v of deps.crews?.visits(undefined, 10_000) ?? []) if (ids.has(v.liftId)) lastVisit.set(v.liftId, Math.max(lastVisit.get(v.liftId) ?? 0, v.startedAt));
    const per1000 = (n: number) => (lifts.length === 0 ? 0 : Math.round((n / lifts.length) * 1000 * 100) / 100);
    const bySeverity = { P1: 0, P2: 0, P3: 0, P4: 0 } as Record<string, number>;
    for (const a of active) bySeverity[a.severity] = (bySeverity[a.severity] ?? 0) + 1;
    return {
      areaCode: req.query.areaCode ?? null,
      lifts: lifts.length,
      online: lifts.filter((l) => l.presence === 'online').length,
      silent: lifts.filter((l) => now - l.lastSeenAt > SILENT_MS).map((l) => l.liftId).slice(0, 500),
      openAlerts: bySeverity,
      grades: deps.health ? deps.health.gradeCounts(lifts.map((l) => l.liftId)) : null,
      per1000LiftsLast30Days: { failures: per1000(month.filter((a) => a.severity === 'P1' || a.severity === 'P2').length), entrapments: per1000(entrapments.length) },
      rescue: { limitMs: RESCUE_LIMIT_MS, arrivals: rescue, overLimit: rescue.filter((r) => r.arrivalMs === null ? now - r.openedAt > RESCUE_LIMIT_MS : r.arrivalMs > RESCUE_LIMIT_MS).length },
      overdueMaintenance: { days: MAINTENANCE_DAYS, count: lifts.filter((l) => now - (lastVisit.get(l.liftId) ?? 0) > MAINTENANCE_DAYS * DAY).length },
    };
  });

  app.get('/api/riskiest', {
    config: { access: 'read' },
    schema: { querystring: Type.Composite([Area, Type.Object({
      sort: Type.Union([Type.Literal('risk'), Type.Literal('openAlerts'), Type.Literal('lastSeenAt'), Type.Literal('liftId')], { default: 'risk' }),
      limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
    })]) },
  }, async (req) => {
    const now = Date.now();
    const sev = severities(deps.alerts.list({ state: 'active', limit: 5000 }));
    const rows = (await scoped(req, req.query.areaCode)).map((l) => ({
      liftId: l.liftId, name: l.name, areaCode: l.areaCode, presence: l.presence, lastSeenAt: l.lastSeenAt,
      openAlerts: l.openAlerts, p1: sev.get(l.liftId)?.P1 ?? 0, risk: risk(l, sev, now), health: deps.health?.score(l.liftId) ?? null,
    }));
    const key = req.query.sort;
    rows.sort((a, b) => key === 'liftId' ? a.liftId.localeCompare(b.liftId) : key === 'lastSeenAt' ? a.lastSeenAt - b.lastSeenAt : (b[key] - a[key]) || a.liftId.localeCompare(b.liftId));
    return { total: rows.length, sort: key, lifts: rows.slice(0, req.query.limit) };
  });
};
