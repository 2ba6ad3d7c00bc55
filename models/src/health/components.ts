import { faultCode } from '@liftwatch/contract';
import { readChannel } from '../features/decay.js';
import type { FeatureStats, Level } from '../features/feature-stats.js';
import { SPECS } from '../features/layout.js';
import { MIN_RECENT, type LiftFeatureState } from '../features/lift-state.js';
import { anchors } from '../features/stats.js';
import { asOf, type LiftEvents, type PlatformAlert } from './platform-events.js';
import type { HealthParams } from './params.js';

const DAY = 86_400_000;
type Curve = readonly (readonly [number, number])[];
const curve = (x: number, c: readonly (readonly number[])[]) => anchors(x, c as Curve);

/** One component's score, the records and alerts that drove it, and its detail as a key with values (for any language) and in English. */
export interface ComponentScore {
  readonly id: 'S1' | 'S2' | 'S3' | 'S4' | 'S5' | 'S6';
  readonly score: number;
  readonly key: string;
  readonly params: Readonly<Record<string, string | number>>;
  readonly detail: string;
  readonly evidence: readonly string[];
}

/** What a score is computed from: the lift's streaming state, its statistics at `at`, and the platform's events. */
export interface HealthInput {
  readonly liftId: string;
  readonly at: number;
  readonly state: LiftFeatureState;
  readonly stats: FeatureStats;
  readonly events: LiftEvents;
}

/** Alerts that were events (not false alarms) opened in the last `days`, as they stood at `at`. */
export function alertsIn(x: HealthInput, days: number, keep: (a: PlatformAlert) => boolean) {
  return x.events.alerts.map((a) => asOf(a, x.at)).filter((a) => a !== undefined && a.alert.openedAt > x.at - days * DAY && keep(a.alert)) as Array<NonNullable<ReturnType<typeof asOf>>>;
}
export const alertId = (liftId: string, a: PlatformAlert) => `${liftId}/alert/${a.id}`;
const isEvent = (a: PlatformAlert) => faultCode(a.code)?.kind === 'event';
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const pct = (x: number) => Math.round(100 * x);
/** recent / baseline − 1, or 0 when either is unknown (no evidence of drift). */
const drift = (v: Level) => (Number.isFinite(v.r) && Number.isFinite(v.b) && v.b > 0 ? v.r / v.b - 1 : 0);
const known = (x: number) => (Number.isFinite(x) ? x : 0);
const ids = (x: HealthInput, stream: 'trip' | 'door' | 'env') => x.state.evidence(stream).map(([seq]) => `${x.liftId}/${stream}/${seq}`).reverse();
/** S3 and S5 average their parts but never exceed their worst part by more than 40 points. */
const blend = (parts: readonly number[]) => Math.min(parts.reduce((s, v) => s + v, 0) / parts.length, ...parts.map((v) => v + 40));

/** S1 safety-event integrity: decayed weighted occurrences of P1 alerts (entrapments apart) and of the chain and brake codes. */
export function s1Safety(x: HealthInput, p: HealthParams): ComponentScore {
  const isP1 = (a: PlatformAlert) => a.severity === 'P1' && a.code !== 'E01';
  const ev = alertsIn(x, p.rareWindowDays, (a) => isEvent(a) && (isP1(a) || (p.s1.p2Codes as readonly string[]).includes(a.code)));
  const decay = (ts: number) => 2 ** (-(x.at - ts) / (p.halfLifeDays * DAY));
  const e = ev.reduce((s, { alert: a }) => s + (isP1(a) ? p.s1.weightP1 : p.s1.weightP2) * a.occurrences * decay(a.openedAt), 0);
  const n = ev.reduce((s, { alert: a }) => s + a.occurrences, 0);
  return {
    id: 'S1', score: 100 * Math.exp(-e / p.s1.scale), key: 'S1', params: { events: n, days: p.rareWindowDays, weight: round(e, 2) },
    detail: `${n} safety events in ${p.rareWindowDays} d (decayed weight ${e.toFixed(2)})`, evidence: ev.map(({ alert }) => alertId(x.liftId, alert)),
  };
}

/** S2 entrapment and availability: entrapments (E01) in 90 d, and downtime per month from P1 and P2 alerts until their condition cleared. */
export function s2Availability(x: HealthInput, p: HealthParams): ComponentScore {
  const ent = alertsIn(x, p.rareWindowDays, (a) => a.code === 'E01');
  const from = x.at - p.windowDays * DAY;
  const down = x.events.alerts.map((a) => asOf(a, x.at)).filter((a) => a !== undefined && isEvent(a.alert) && (a.alert.severity === 'P1' || a.alert.severity === 'P2'))
    .reduce((ms, a) => {
      const end = Math.min(x.at, a!.alert.clearedAt !== null && a!.alert.clearedAt <= x.at ? a!.alert.clearedAt : a!.active ? x.at : a!.alert.closedAt!);
      return ms + Math.max(0, end - Math.max(a!.alert.openedAt, from));
    }, 0) / 3_600_000 * (30 / p.windowDays);
  const score = p.s2.blend[0] * curve(ent.length, p.s2.entrapments) + p.s2.blend[1] * curve(down, p.s2.downtimeHPerMonth);
  return {
    id: 'S2', score, key: 'S2', params: { entrapments: ent.length, days: p.rareWindowDays, downtimeH: round(down) },
    detail: `${ent.length} entrapments in ${p.rareWindowDays} d; ${down.toFixed(1)} h unplanned downtime per month`, evidence: ent.map(({ alert }) => alertId(x.liftId, alert)),
  };
}

/** S3 door system: closing-time p95 against the GB/T 10058 door time and against the lift's own baseline, re-opens, lock-made p95 drift, E09 alerts. */
export function s3Door(x: HealthInput, p: HealthParams): ComponentScore {
  const d = x.stats.door;
  const close = drift(d.closeP95); const lock = drift(d.lockP95); const reopen = known(d.reopens.r);
  const closeP95 = known(d.closeP95.r);
  const e09 = alertsIn(x, p.windowDays, (a) => a.code === 'E09').reduce((s, a) => s + a.alert.occurrences, 0);
  const parts = [curve(close, p.s3.closeP95Drift), curve(reopen, p.s3.reopenRatio), curve(lock, p.s3.lockMadeP95Drift), curve(e09, p.s3.doorFaults), curve(closeP95 / p.limits.doorCloseS, p.s3.closeLimitShare)];
  return {
    id: 'S3', score: blend(parts), key: 'S3',
    params: { closeP95S: round(closeP95, 2), closeLimitS: p.limits.doorCloseS, closeDriftPct: pct(close), reopenPct: round(100 * reopen), lockDriftPct: pct(lock), e09, days: p.windowDays },
    detail: `door closing p95 ${closeP95.toFixed(2)} s (GB/T 10058: ${p.limits.doorCloseS} s), ${signed(close)} vs baseline; re-opens ${(100 * reopen).toFixed(1)} % of cycles; lock-made p95 ${signed(lock)}; ${e09} E09 in ${p.windowDays} d`,
    evidence: ids(x, 'door'),
  };
}

/** The lift's recent vertical A95 (m/s², NaN when unknown). */
function a95z(x: HealthInput): number {
  const { w, s } = readChannel(x.state, SPECS.tripZ, 0, 0, x.at);
  return w >= MIN_RECENT ? s / w : NaN;
}

/** The recent A95 as a share of the GB/T 10058 limits (the worse of horizontal and vertical). */
export function a95Share(x: HealthInput, p: HealthParams): number {
  return Math.max(known(x.stats.trip.a95xy.r) / p.limits.a95XY, known(a95z(x)) / p.limits.a95Z);
}

/** S4 ride and positioning: recent A95 against the GB/T 10058 limits, mean |stopping error|. */
export function s4Ride(x: HealthInput, p: HealthParams): ComponentScore {
  const share = a95Share(x, p);
  const stop = known(x.stats.trip.stopErr.r);
  return {
    id: 'S4', score: (curve(share, p.s4.a95Ratio) + curve(stop, p.s4.stopErrMeanMm)) / 2, key: 'S4', params: { a95Pct: pct(share), stopErrMm: round(stop) },
    detail: `A95 at ${pct(share)} % of the GB/T 10058 limit, mean |stopping error| ${stop.toFixed(1)} mm`, evidence: ids(x, 'trip'),
  };
}

/** S5 machine, brake and drive wear: brake timing drift, re-levels, slip, winding temperature (excess over baseline and 12-hour maximum). */
export function s5Machine(x: HealthInput, p: HealthParams): ComponentScore {
  const t = x.stats.trip; const e = x.stats.env;
  const brake = Math.max(Math.abs(drift(t.brakeDrop)), Math.abs(drift(t.brakeLift)));
  const relevels = 100 * known(t.relevels.r); const slip = known(t.slip.r);
  const temp = Number.isFinite(e.windingResidual.r) && Number.isFinite(e.windingResidual.b) ? e.windingResidual.r - e.windingResidual.b : 0;
  const hot = known(e.windingMax12h);
  const parts = [curve(brake, p.s5.brakeDrift), curve(relevels, p.s5.relevelsPer100), curve(temp, p.s5.tempResidualExcessC), curve(slip, p.s5.slipMm), curve(hot, p.s5.windingMaxC)];
  return {
    id: 'S5', score: blend(parts), key: 'S5',
    params: { brakeDriftPct: pct(brake), relevelsPer100: round(relevels), slipMm: round(slip), tempExcessC: round(temp), windingMaxC: round(hot) },
    detail: `brake timing drift ${signed(brake)}, ${relevels.toFixed(1)} re-levels per 100 stops, |slip| ${slip.toFixed(1)} mm, winding ${temp.toFixed(1)} °C above its baseline (12-h max ${hot.toFixed(0)} °C)`,
    evidence: [...ids(x, 'trip'), ...ids(x, 'env')].slice(0, 5),
  };
}

/** The longest a lift went past its maintenance cycle, days, over the rare-event window (0: never), and the days since its last visit. */
export function maintenanceGaps(x: HealthInput, p: HealthParams): { lateDays: number; sinceDays: number; visits: number } {
  const v = x.events.visits.filter((t) => t <= x.at);
  if (v.length === 0) return { lateDays: 0, sinceDays: NaN, visits: 0 };
  const from = x.at - p.rareWindowDays * DAY;
  let late = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > from) late = Math.max(late, (v[i]! - v[i - 1]!) / DAY - p.s6.cycleDays);
  const since = (x.at - v.at(-1)!) / DAY;
  return { lateDays: Math.max(late, since - p.s6.cycleDays), sinceDays: since, visits: v.filter((t) => t > from).length };
}

/** S6 maintenance and compliance: visits within the cycle (from the platform's visits), alarm-system failures (E18). */
export function s6Maintenance(x: HealthInput, p: HealthParams): ComponentScore {
  const e18 = alertsIn(x, p.windowDays, (a) => a.code === 'E18');
  const g = maintenanceGaps(x, p);
  let score = Number.isNaN(g.sinceDays) ? 100 : curve(g.sinceDays, p.s6.daysSinceVisit);
  if (g.lateDays > p.s6.graceDays) score = Math.min(score, p.s6.overdueScore);
  if (e18.length > 0) score = Math.min(score, p.s6.alarmScore);
  const evidence = e18.map(({ alert }) => alertId(x.liftId, alert));
  if (Number.isNaN(g.sinceDays)) {
    return { id: 'S6', score, key: 'S6.noVisits', params: { e18: e18.length }, detail: `no maintenance visit recorded: visits not scored; ${e18.length} alarm-system faults (E18)`, evidence };
  }
  return {
    id: 'S6', score, key: 'S6', params: { visits: g.visits, daysSinceVisit: round(g.sinceDays), cycleDays: p.s6.cycleDays, lateDays: round(Math.max(0, g.lateDays)), e18: e18.length },
    detail: `last visit ${g.sinceDays.toFixed(1)} d ago (cycle ${p.s6.cycleDays} d), at most ${Math.max(0, g.lateDays).toFixed(1)} d late in ${p.rareWindowDays} d; ${e18.length} alarm-system faults (E18)`,
    evidence,
  };
}

const signed = (x: number) => `${x >= 0 ? '+' : ''}${pct(x)} %`;
