import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HealthView, LiftSummary, type AlertView } from '@liftwatch/contract';
import { liftFilter, type LiftFilter } from '../auth/scope.js';
import type { User } from '../auth/schemas.js';
import type { FleetEntry, FleetIndex } from '../fleet-index.js';
import type { DashboardDeps } from '../deps.js';

const DAY = 86_400_000;
/** Regulation on Special Equipment Safety Supervision, Art. 31: a lift is maintained at least every 15 days (半月维保; docs/standards.md#the-legal-frame). */
const MAINTENANCE_DAYS = 15;
/** A terminal with nothing for this long is silent (well above the 10 s status period and broker keep-alive). */
const SILENT_MS = 15 * 60_000;
/** Arrival at an entrapment within 30 min (TSG T5001-2009, unverified: docs/standards.md#rescue-the-30-minute-arrival-rule). */
const RESCUE_LIMIT_MS = 30 * 60_000;
/** Maintenance visits read for "overdue": the latest ones. */
const VISITS_READ = 10_000;

const Count = Type.Integer({ minimum: 0 });
const Overview = Type.Object({
  areaCode: Type.Union([Type.String(), Type.Null()], { description: 'The area asked for; null: every lift you may see' }),
  lifts: Count,
  online: Count,
  silent: Type.Array(Type.String(), { description: 'Lifts whose terminal sent nothing for 15 min (the first 500)' }),
  openAlerts: Type.Object({ P1: Count, P2: Count, P3: Count, P4: Count }, { description: 'Active alerts opened in the last 30 days, by severity' }),
  grades: Type.Union([Type.Record(Type.String(), Count), Type.Null()], { description: 'Lifts per health grade ("none": no score yet); null without health scores' }),
  per1000LiftsLast30Days: Type.Object({ failures: Type.Number({ description: 'P1 and P2 alerts' }), entrapments: Type.Number() }),
  rescue: Type.Object({
    limitMs: Count,
    arrivals: Type.Array(Type.Object({ alertId: Type.Integer(), liftId: Type.String(), openedAt: Type.Integer(), arrivalMs: Type.Union([Type.Integer(), Type.Null()], { description: 'Opening to the first crew on site; null: nobody yet' }) })),
    overLimit: Count,
  }, { description: 'Entrapments (E01) of the last 30 days and the crews\' arrival times' }),
  overdueMaintenance: Type.Object({ days: Count, count: Count }, {
    description: 'Lifts with a maintenance plan whose next visit is past due by their completed work orders (the list: GET /api/maintenance/overdue); on a node without maintenance plans, lifts without a visit started in the last `days` days',
  }),
});
const Sort = Type.Union(['risk', 'health', 'predicted', 'openAlerts', 'lastSeenAt', 'liftId'].map((k) => Type.Literal(k)), {
  default: 'risk',
  description: 'risk: open P1s first, then the highest predicted risk, the lowest health score, the most open alerts; health: lowest score first (no score last); predicted: highest predicted risk first (not scored last)',
});
const Riskiest = Type.Object({
  total: Count,
  sort: Sort,
  lifts: Type.Array(Type.Object({
    liftId: Type.String(),
    name: Type.Union([Type.String(), Type.Null()], { description: 'From the lift registry; what the lift\'s terminal reported when the registry has none' }),
    areaCode: Type.Union([Type.String(), Type.Null()], { description: 'In the platform\'s registry' }),
    presence: LiftSummary.properties.presence,
    lastSeenAt: Type.Integer(),
    openAlerts: Count,
    p1: Count,
    risk: Type.Integer({ minimum: 0, description: 'Weight of its open alerts: P1 × 1000 + P2 × 100, + 10 when its terminal is silent, + open alerts' }),
    predictedRisk: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: 'The highest fault-family risk relative to its raise threshold (1 or more: at or above it); null: not scored' }),
    health: Type.Union([HealthView, Type.Null()]),
  })),
});

const Area = Type.Object({ areaCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: 'GB/T 2260 area code; omit for every lift you may see' })) });

const ACTIVE = new Set(['open', 'acknowledged', 'onSite']);
/** `String.prototype.localeCompare` without arguments, without building a collator per call. */
const collate = new Intl.Collator().compare;
/** The alert store's list order: severity, then the latest change first (ties: the older alert first). */
const listOrder = (a: AlertView, b: AlertView) => (a.severity < b.severity ? -1 : a.severity > b.severity ? 1 : b.updatedAt - a.updatedAt || a.id - b.id);

type Severities = Map<string, { P1: number; P2: number }>;
/** The weight of a lift's open alerts: open P1s first, then P2s, silent terminals, open alerts. */
const risk = (l: FleetEntry, sev: Severities, now: number) => {
  const s = sev.get(l.liftId);
  return (s?.P1 ?? 0) * 1000 + (s?.P2 ?? 0) * 100 + (now - l.lastSeenAt > SILENT_MS ? 10 : 0) + l.openAlerts;
};

type RiskSort = 'risk' | 'health' | 'predicted' | 'openAlerts' | 'lastSeenAt' | 'liftId';
interface RiskInputs { sev: Severities; now: number; health: (liftId: string) => number | null; predicted: (liftId: string) => number | null }

/**
 * The order of a riskiest list. risk: an open P1 first (it is happening now), then the highest
 * predicted risk (what is about to fail), the lowest health score (what is worn), the most open
 * alerts; health and predicted: that key alone, lifts without it last; lastSeenAt: longest silent
 * first. Ties by lift id (lastSeenAt: the index's order).
 */
export function riskOrder(key: RiskSort, x: RiskInputs): (a: FleetEntry, b: FleetEntry) => number {
  const p1 = (l: FleetEntry) => x.sev.get(l.liftId)?.P1 ?? 0;
  const predicted = (l: FleetEntry) => x.predicted(l.liftId) ?? -1;
  const health = (l: FleetEntry) => x.health(l.liftId) ?? 101;
  const byId = (a: FleetEntry, b: FleetEntry) => collate(a.liftId, b.liftId);
  switch (key) {
    case 'liftId': return byId;
    case 'lastSeenAt': return (a, b) => a.lastSeenAt - b.lastSeenAt;
    case 'openAlerts': return (a, b) => (b.openAlerts - a.openAlerts) || byId(a, b);
    case 'health': return (a, b) => (health(a) - health(b)) || byId(a, b);
    case 'predicted': return (a, b) => (predicted(b) - predicted(a)) || byId(a, b);
    default: return (a, b) => (p1(b) - p1(a)) || (predicted(b) - predicted(a)) || (health(a) - health(b)) || (risk(b, x.sev, x.now) - risk(a, x.sev, x.now)) || byId(a, b);
  }
}

/**
 * The first `k` of `items` sorted stably by `cmp`, in O(n + k log k · n/k) instead of sorting all n:
 * candidates collect in a buffer of 2k that is cut back to the best k whenever it fills; an item no
 * better than the k-th best so far (on a tie, the earlier item wins, as in a stable sort) is skipped.
 */
export function firstSorted<T>(items: readonly T[], k: number, cmp: (a: T, b: T) => number): T[] {
  const byOrder = (a: { v: T; i: number }, b: { v: T; i: number }) => cmp(a.v, b.v) || a.i - b.i;
  const buf: Array<{ v: T; i: number }> = [];
  let worst: T | undefined;
  for (let i = 0; i < items.length; i++) {
    const v = items[i]!;
    if (worst !== undefined && cmp(v, worst) >= 0) continue;
    buf.push({ v, i });
    if (buf.length >= 2 * k) {
      buf.sort(byOrder);
      buf.length = k;
      worst = buf[k - 1]!.v;
    }
  }
  return buf.sort(byOrder).slice(0, k).map((b) => b.v);
}

/**
 * Regulator console: district overview and the riskiest lifts, scoped like every route.
 * Both read the in-memory fleet index (fleet-index.ts); a request walks the lifts in scope once.
 */
export const districtRoutes: FastifyPluginAsyncTypebox<{ deps: DashboardDeps; fleet: FleetIndex }> = async (app, { deps, fleet }) => {
  /**
   * Scoped lists, reused while the index's version stays (entries change in place, so a reused list
   * shows current presence and alerts): a regulator's request does not test 150,000 lifts each time.
   * Keyed by what the scope rules read of the user; a changed user gets a new key.
   */
  const scopes = new Map<string, { version: number; lifts: readonly FleetEntry[]; ids: Set<string> }>();
  /** The lifts the user may see (of one area), and a test of "this lift is among them" for alerts and visits. */
  const scoped = async (req: { lw: { user: User; canSee: LiftFilter } | null }, areaCode?: string) => {
    const entries = await fleet.entries(areaCode);
    const { user } = req.lw!;
    if (user.role === 'admin') {
      const has = areaCode === undefined ? (id: string) => fleet.get(id) !== undefined : (id: string) => fleet.get(id)?.areaCode === areaCode;
      return { lifts: entries, has };
    }
    const key = JSON.stringify([user.role, user.orgId, user.areaCode, areaCode ?? null]);
    let scope = scopes.get(key);
    if (scope?.version !== fleet.version()) {
      // The same rules as every route (auth/scope.ts), with the crew assignments from the index's cache.
      const canSee = liftFilter(deps, user, fleet.assignment);
      const lifts = entries.filter((e) => canSee(e.liftId, e.areaCode));
      if (scopes.size >= 256) scopes.clear();
      scopes.set(key, (scope = { version: fleet.version(), lifts, ids: new Set(lifts.map((l) => l.liftId)) }));
    }
    const { ids } = scope;
    return { lifts: scope.lifts, has: (id: string) => ids.has(id) };
  };

  app.get('/api/overview', { config: { access: 'read', scope: 'list' }, schema: { querystring: Area, response: { 200: Overview } } }, async (req) => {
    const now = Date.now();
    const { lifts, has } = await scoped(req, req.query.areaCode);
    const month: AlertView[] = [];
    for (const a of fleet.alerts()) if (a.openedAt > now - 30 * DAY && has(a.liftId)) month.push(a);
    month.sort(listOrder);
    const bySeverity = { P1: 0, P2: 0, P3: 0, P4: 0 };
    let failures = 0;
    const rescue: Array<{ alertId: number; liftId: string; openedAt: number; arrivalMs: number | null }> = [];
    for (const a of month) {
      if (ACTIVE.has(a.state)) bySeverity[a.severity]++;
      if (a.severity === 'P1' || a.severity === 'P2') failures++;
      if (a.code !== 'E01') continue;
      const onSiteAt = await fleet.onSiteAt(a.id);
      rescue.push({ alertId: a.id, liftId: a.liftId, openedAt: a.openedAt, arrivalMs: onSiteAt === null ? null : onSiteAt - a.openedAt });
    }
    let online = 0;
    const silent: string[] = [];
    for (const l of lifts) {
      if (l.presence === 'online') online++;
      if (silent.length < 500 && now - l.lastSeenAt > SILENT_MS) silent.push(l.liftId);
    }
    // Overdue: by the plans and their completed work orders (a lift without a plan is not counted);
    // without them, every lift in scope but those with a visit started in the last 15 days.
    let overdue = 0;
    if (deps.maintenance) {
      for (const o of await deps.maintenance.overdue(now)) if (has(o.liftId)) overdue++;
    } else {
      overdue = lifts.length;
      for (const [liftId, at] of await fleet.lastVisits(VISITS_READ)) if (now - at <= MAINTENANCE_DAYS * DAY && has(liftId)) overdue--;
    }
    const per1000 = (n: number) => (lifts.length === 0 ? 0 : Math.round((n / lifts.length) * 1000 * 100) / 100);
    return {
      areaCode: req.query.areaCode ?? null,
      lifts: lifts.length,
      online,
      silent,
      openAlerts: bySeverity,
      grades: deps.health ? deps.health.gradeCounts(lifts.map((l) => l.liftId)) : null,
      per1000LiftsLast30Days: { failures: per1000(failures), entrapments: per1000(rescue.length) },
      rescue: { limitMs: RESCUE_LIMIT_MS, arrivals: rescue, overLimit: rescue.filter((r) => r.arrivalMs === null ? now - r.openedAt > RESCUE_LIMIT_MS : r.arrivalMs > RESCUE_LIMIT_MS).length },
      overdueMaintenance: { days: MAINTENANCE_DAYS, count: overdue },
    };
  });

  app.get('/api/riskiest', {
    config: { access: 'read', scope: 'list' },
    schema: { querystring: Type.Composite([Area, Type.Object({ sort: Sort, limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }) })]), response: { 200: Riskiest } },
  }, async (req) => {
    const now = Date.now();
    const sev: Severities = new Map();
    for (const a of fleet.alerts()) {
      if (!ACTIVE.has(a.state)) continue;
      const s = sev.get(a.liftId) ?? { P1: 0, P2: 0 };
      if (a.severity === 'P1') s.P1++;
      if (a.severity === 'P2') s.P2++;
      sev.set(a.liftId, s);
    }
    const { lifts } = await scoped(req, req.query.areaCode);
    const key = req.query.sort as RiskSort;
    const top = firstSorted(lifts, req.query.limit, riskOrder(key, { sev, now, health: (id) => deps.health?.score(id)?.score ?? null, predicted: (id) => deps.predictions?.risk(id) ?? null }))
      .map((l) => ({
        liftId: l.liftId, name: l.name, areaCode: l.areaCode, presence: l.presence, lastSeenAt: l.lastSeenAt,
        openAlerts: l.openAlerts, p1: sev.get(l.liftId)?.P1 ?? 0, risk: risk(l, sev, now), predictedRisk: deps.predictions?.risk(l.liftId) ?? null, health: deps.health?.score(l.liftId) ?? null,
      }));
    return { total: lifts.length, sort: key, lifts: top };
  });
};
