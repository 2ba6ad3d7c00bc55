import type { FaultRecord } from '@liftwatch/contract';
import { between, evidenceId, type LiftRecords } from '../features/lift-records.js';
import { anchors, mean, pick, quantile } from '../features/stats.js';
import type { HealthParams } from './params.js';

const DAY = 86_400_000;
type Curve = readonly (readonly [number, number])[];
const curve = (x: number, c: readonly (readonly number[])[]) => anchors(x, c as Curve);

/** One component's score and the records that drove it. */
export interface ComponentScore { readonly id: 'S1' | 'S2' | 'S3' | 'S4' | 'S5' | 'S6'; readonly score: number; readonly detail: string; readonly evidence: readonly string[] }

/** A maintenance visit, as the caller knows it (no contract stream yet): due and done times. */
export interface MaintenanceVisit { readonly dueTs: number; readonly doneTs?: number; readonly id: string }

const raised = (faults: readonly FaultRecord[], codes: readonly string[]) => faults.filter((f) => f.state === 'raised' && codes.includes(f.code));

/** S1 safety-event integrity: decayed weighted count of safety events; creep after stop counts as P1. */
export function s1Safety(r: LiftRecords, at: number, p: HealthParams): ComponentScore {
  const from = at - p.rareWindowDays * DAY;
  const ev = raised(between(r.faults, from, at), p.s1.codes);
  const creep = between(r.trips, from, at).filter((t) => (t.creepAfterStopMm ?? 0) > p.s1.creepMm);
  const decay = (ts: number) => 2 ** (-(at - ts) / (p.halfLifeDays * DAY));
  const isP1 = (f: FaultRecord) => (p.s1.p1Codes as readonly string[]).includes(f.code) || f.severity === 'P1';
  const e = ev.reduce((s, f) => s + (isP1(f) ? p.s1.weightP1 : p.s1.weightP2) * decay(f.ts), 0) + creep.reduce((s, t) => s + p.s1.weightP1 * decay(t.ts), 0);
  return { id: 'S1', score: 100 * Math.exp(-e / p.s1.scale), detail: `${ev.length} safety events and ${creep.length} trips with creep after stop in ${p.rareWindowDays} d (decayed weight ${e.toFixed(2)})`, evidence: [...ev.map((f) => evidenceId('fault', f)), ...creep.map((t) => evidenceId('trip', t))] };
}

/** Unplanned downtime, h, in [from, at): P1/P2 faults from raised to cleared (or to `at`). */
function downtimeHours(faults: readonly FaultRecord[], from: number, at: number): number {
  const open = new Map<string, number>();
  let ms = 0;
  for (const f of faults) {
    if (f.severity !== 'P1' && f.severity !== 'P2') continue;
    if (f.state === 'raised') { if (!open.has(f.code)) open.set(f.code, f.ts); continue; }
    const t = open.get(f.code);
    if (t !== undefined) { ms += Math.max(0, f.ts - Math.max(t, from)); open.delete(f.code); }
  }
  for (const t of open.values()) ms += Math.max(0, at - Math.max(t, from));
  return ms / 3_600_000;
}

/** S2 entrapment and availability: entrapments (E01) in 90 d and downtime per month, blended 60/40. */
export function s2Availability(r: LiftRecords, at: number, p: HealthParams): ComponentScore {
  const ent = raised(between(r.faults, at - p.rareWindowDays * DAY, at), ['E01']);
  const window = between(r.faults, at - p.windowDays * DAY, at);
  const down = downtimeHours(window, at - p.windowDays * DAY, at) * (30 / p.windowDays);
  const score = p.s2.blend[0] * curve(ent.length, p.s2.entrapments) + p.s2.blend[1] * curve(down, p.s2.downtimeHPerMonth);
  return { id: 'S2', score, detail: `${ent.length} entrapments in ${p.rareWindowDays} d; ${down.toFixed(1)} h unplanned downtime per month`, evidence: [...ent, ...window.filter((f) => f.severity === 'P2' && f.state === 'raised')].map((f) => evidenceId('fault', f)) };
}

const p95 = (v: number[]) => quantile(v, 0.95);
const rel = (a: number[], b: number[]) => (a.length === 0 || b.length === 0 || p95(b) <= 0 ? 0 : p95(a) / p95(b) - 1);

/** S3 door system: closeS and lockMadeMs p95 vs own baseline, reopen ratio, E09 count. */
export function s3Door(r: LiftRecords, at: number, p: HealthParams): ComponentScore {
  const recent = between(r.doors, at - p.recentDays * DAY, at);
  const base = between(r.doors, at - p.windowDays * DAY - p.recentDays * DAY, at - p.recentDays * DAY);
  const close = rel(pick(recent, (d) => d.closeS), pick(base, (d) => d.closeS));
  const lock = rel(pick(recent, (d) => d.lockMadeMs), pick(base, (d) => d.lockMadeMs));
  const reopen = recent.length === 0 ? 0 : recent.reduce((s, d) => s + d.reopens, 0) / recent.length;
  const e09 = raised(between(r.faults, at - p.windowDays * DAY, at), ['E09']);
  const parts = [curve(close, p.s3.closeP95Drift), curve(reopen, p.s3.reopenRatio), curve(lock, p.s3.lockMadeP95Drift), curve(e09.length, p.s3.doorFaults)];
  const slowest = [...recent].sort((a, b) => b.closeS - a.closeS).slice(0, 3);
  return { id: 'S3', score: Math.min(mean(parts), ...parts.map((x) => x + 40)), detail: `closeS p95 ${pct(close)} vs baseline, reopen ratio ${(100 * reopen).toFixed(1)} %, lockMade p95 ${pct(lock)}, ${e09.length} E09 in ${p.windowDays} d`, evidence: [...e09.map((f) => evidenceId('fault', f)), ...slowest.map((d) => evidenceId('door', d))] };
}

/** S4 ride and positioning: A95 against the GB/T 10058 limits, |stopErr| p95. */
export function s4Ride(r: LiftRecords, at: number, p: HealthParams): ComponentScore {
  const trips = between(r.trips, at - p.recentDays * DAY, at);
  const xy = p95(pick(trips, (t) => (t.vibA95XMps2 === undefined ? undefined : Math.max(t.vibA95XMps2, t.vibA95YMps2 ?? 0)))) / p.s4.a95LimitXY;
  const z = p95(pick(trips, (t) => t.vibA95ZMps2)) / p.s4.a95LimitZ;
  const stop = p95(trips.map((t) => Math.abs(t.stopErrMm)));
  const score = (curve(Math.max(xy, z), p.s4.a95Ratio) + curve(stop, p.s4.stopErrP95Mm)) / 2;
  const worst = [...trips].sort((a, b) => Math.abs(b.stopErrMm) - Math.abs(a.stopErrMm)).slice(0, 3);
  return { id: 'S4', score, detail: `A95 at ${(100 * Math.max(xy, z)).toFixed(0)} % of the GB/T 10058 limit, |stopErr| p95 ${stop.toFixed(1)} mm`, evidence: worst.map((t) => evidenceId('trip', t)) };
}

/** S5 machine, brake and drive wear: brake timing drift, relevels, slip, temperature residual. */
export function s5Machine(r: LiftRecords, at: number, p: HealthParams): ComponentScore {
  const recent = between(r.trips, at - p.recentDays * DAY, at);
  const base = between(r.trips, at - p.windowDays * DAY - p.recentDays * DAY, at - p.recentDays * DAY);
  const med = (l: typeof recent, k: (t: (typeof recent)[number]) => number | undefined) => quantile(pick(l, k), 0.5);
  const drift = (k: (t: (typeof recent)[number]) => number | undefined) => { const b = med(base, k); return b > 0 && pick(recent, k).length > 0 ? Math.abs(med(recent, k) / b - 1) : 0; };
  const brake = Math.max(drift((t) => t.brakeDropMs), drift((t) => t.brakeLiftMs));
  const relevels = recent.length === 0 ? 0 : (100 * recent.reduce((s, t) => s + t.relevels, 0)) / recent.length;
  const slip = mean(pick(recent, (t) => (t.slipMm === undefined ? undefined : Math.abs(t.slipMm))));
  const res = (from: number, to: number) => pick(between(r.envs, from, to), (e) => (e.motorWindingTempC === undefined || e.machineRoomTempC === undefined ? undefined : e.motorWindingTempC - e.machineRoomTempC));
  const a = res(at - p.recentDays * DAY, at); const b = res(at - p.windowDays * DAY - p.recentDays * DAY, at - p.recentDays * DAY);
  const temp = a.length > 0 && b.length > 0 ? mean(a) - mean(b) : 0;
  const parts = [curve(brake, p.s5.brakeDrift), curve(relevels, p.s5.relevelsPer100), curve(temp, p.s5.tempResidualC), curve(slip, p.s5.slipMm)];
  const worst = [...recent].sort((x, y) => (y.brakeDropMs ?? 0) - (x.brakeDropMs ?? 0)).slice(0, 3);
  return { id: 'S5', score: Math.min(mean(parts), ...parts.map((x) => x + 40)), detail: `brake timing drift ${pct(brake)}, ${relevels.toFixed(1)} relevels per 100 stops, |slip| ${slip.toFixed(1)} mm, temperature residual ${temp.toFixed(1)} °C`, evidence: worst.map((t) => evidenceId('trip', t)) };
}

/** S6 maintenance and compliance: visits done within `overdueDays` of due; EN 81-28 alarm failures (E18). */
export function s6Maintenance(r: LiftRecords, at: number, p: HealthParams, visits: readonly MaintenanceVisit[] | undefined): ComponentScore {
  const e18 = raised(between(r.faults, at - p.windowDays * DAY, at), ['E18']);
  const overdue = (visits ?? []).filter((v) => v.dueTs < at && (v.doneTs ?? at) - v.dueTs > p.s6.overdueDays * DAY);
  let score = overdue.length > 0 ? p.s6.overdueScore : 100;
  if (e18.length > 0) score = Math.min(score, 60);
  const detail = visits === undefined ? 'no maintenance records given: visits not scored' : `${overdue.length} of ${visits.length} visits overdue > ${p.s6.overdueDays} d`;
  return { id: 'S6', score, detail: `${detail}; ${e18.length} alarm-system faults (E18)`, evidence: [...overdue.map((v) => v.id), ...e18.map((f) => evidenceId('fault', f))] };
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(0)} %`;
