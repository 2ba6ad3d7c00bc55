import { createHash } from 'node:crypto';
import type { FaultRecord } from '@liftwatch/contract';
import { between, evidenceId, type LiftRecords } from '../features/lift-records.js';
import { s1Safety, s2Availability, s3Door, s4Ride, s5Machine, s6Maintenance, type ComponentScore, type MaintenanceVisit } from './components.js';
import { HEALTH_PARAMS, type HealthParams } from './params.js';

const DAY = 86_400_000;

export interface HealthCap { readonly cap: number; readonly reason: string; readonly evidence: readonly string[] }
export interface HealthReason { readonly component: ComponentScore['id']; readonly pointsLost: number; readonly detail: string; readonly evidence: readonly string[] }

/** A health score as published: every score carries its parameters version, inputs window, caps, contributions and evidence. */
export interface HealthScore {
  readonly liftId: string;
  readonly at: number;
  readonly paramsVersion: string;
  readonly paramsSha256: string;
  readonly inputsWindow: { readonly from: number; readonly to: number };
  /** H = min(H_raw, caps), 0–100, one decimal. */
  readonly score: number;
  readonly raw: number;
  /** A–E, or undefined when confidence is below minConfidence ("insufficient data", not ranked). */
  readonly grade: 'A' | 'B' | 'C' | 'D' | 'E' | undefined;
  readonly confidence: number;
  readonly components: readonly ComponentScore[];
  readonly caps: readonly HealthCap[];
  /** The top three contributors by points lost, with evidence record ids. */
  readonly reasons: readonly HealthReason[];
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * The health score of one lift at `at` from its stored records: six weighted
 * components, hard caps for safety events, a data-confidence value and a grade. Pure and
 * deterministic: the same records and parameters give the same number (recompute).
 */
export function computeHealth(r: LiftRecords, at: number, opts: { params?: HealthParams; maintenance?: readonly MaintenanceVisit[] } = {}): HealthScore {
  const p = opts.params ?? HEALTH_PARAMS;
  const components = [s1Safety(r, at, p), s2Availability(r, at, p), s3Door(r, at, p), s4Ride(r, at, p), s5Machine(r, at, p), s6Maintenance(r, at, p, opts.maintenance)];
  const raw = components.reduce((s, c) => s + (p.weights[c.id] * c.score) / 100, 0);
  const caps = capsOf(r, at, p, components);
  const score = round1(Math.min(raw, ...caps.map((c) => c.cap)));
  const confidence = confidenceOf(r, at, p);
  const grade = confidence < p.minConfidence ? undefined : (p.grades.find(([lo]) => score >= lo)?.[1] ?? 'E');
  const reasons = components
    .map((c) => ({ component: c.id, pointsLost: round1((p.weights[c.id] * (100 - c.score)) / 100), detail: c.detail, evidence: c.evidence.slice(0, 5) }))
    .filter((x) => x.pointsLost > 0)
    .sort((a, b) => b.pointsLost - a.pointsLost)
    .slice(0, 3);
  return {
    liftId: r.liftId, at, paramsVersion: p.version, paramsSha256: createHash('sha256').update(JSON.stringify(p)).digest('hex'),
    inputsWindow: { from: at - p.rareWindowDays * DAY, to: at }, score, raw: round1(raw), grade, confidence: Math.round(confidence * 1000) / 1000,
    components: components.map((c) => ({ ...c, score: round1(c.score) })), caps, reasons,
  };
}

/** Faults raised and not cleared by `at`. */
function activeFaults(faults: readonly FaultRecord[]): FaultRecord[] {
  const open = new Map<string, FaultRecord>();
  for (const f of faults) { if (f.state === 'raised') open.set(f.code, f); else open.delete(f.code); }
  return [...open.values()];
}

/** Caps (gates), each shown as a reason for a low score. */
function capsOf(r: LiftRecords, at: number, p: HealthParams, comps: readonly ComponentScore[]): HealthCap[] {
  const c = p.caps;
  const out: HealthCap[] = [];
  const ids = (l: readonly FaultRecord[]) => l.map((f) => evidenceId('fault', f));
  const active = activeFaults(between(r.faults, at - p.rareWindowDays * DAY, at));
  const activeP1 = active.filter((f) => f.severity === 'P1' || f.code === 'E01');
  if (activeP1.length > 0) out.push({ cap: c.activeP1, reason: `active P1 or unreleased entrapment: ${activeP1.map((f) => f.code).join(', ')}`, evidence: ids(activeP1) });
  const severe = (days: number) => between(r.faults, at - days * DAY, at).filter((f) => f.state === 'raised' && ['E02', 'E03', 'E04', 'E05'].includes(f.code));
  const s7 = severe(7); const s30 = severe(30);
  if (s7.length > 0) out.push({ cap: c.severe7d, reason: `${s7.map((f) => f.code).join(', ')} in the last 7 days`, evidence: ids(s7) });
  else if (s30.length > 0) out.push({ cap: c.severe30d, reason: `${s30.map((f) => f.code).join(', ')} in the last 30 days`, evidence: ids(s30) });
  const chain = between(r.faults, at - 7 * DAY, at).filter((f) => f.state === 'raised' && (f.code === 'E07' || f.code === 'E08'));
  if (chain.length >= c.chainOpens7d.count) out.push({ cap: c.chainOpens7d.cap, reason: `${chain.length} safety-chain or lock-chain opens while running in 7 days`, evidence: ids(chain) });
  const alarm = active.filter((f) => f.code === 'E18');
  if (alarm.length > 0) out.push({ cap: c.alarmSystem, reason: 'alarm system failed (EN 81-28 self-test or battery)', evidence: ids(alarm) });
  const s6 = comps.find((x) => x.id === 'S6');
  if (s6 !== undefined && s6.score <= p.s6.overdueScore && s6.evidence.some((e) => !e.includes('/fault/'))) out.push({ cap: c.maintenanceOverdue, reason: 'maintenance overdue beyond the allowed cycle', evidence: s6.evidence.filter((e) => !e.includes('/fault/')) });
  return out;
}

/** C = coverage × sensor health × observation days. Coverage: share of days in the window with trips. */
function confidenceOf(r: LiftRecords, at: number, p: HealthParams): number {
  const from = at - p.windowDays * DAY;
  const days = new Set(between(r.trips, from, at).map((t) => Math.floor((at - t.ts) / DAY)));
  const coverage = days.size / p.windowDays;
  const q01 = between(r.faults, from, at).filter((f) => f.code === 'Q01' && f.state === 'raised').length;
  const sensor = Math.max(0, 1 - p.q01Penalty * q01);
  const first = r.trips[0]?.ts ?? at;
  const observed = Math.min(1, Math.max(0, (at - first) / DAY) / p.windowDays);
  return coverage * sensor * observed;
}
