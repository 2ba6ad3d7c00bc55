import { a95Share, alertId, alertsIn, maintenanceGaps, type ComponentScore, type HealthInput } from './components.js';
import { asOf } from './platform-events.js';
import type { HealthParams } from './params.js';

/** A cap that applies, with its reason as a key with values (any language) and in English, and its evidence. */
export interface HealthCap {
  readonly cap: number;
  readonly key: string;
  readonly params: Readonly<Record<string, string | number>>;
  readonly reason: string;
  readonly evidence: readonly string[];
}

const codes = (l: ReadonlyArray<{ alert: { code: string } }>) => [...new Set(l.map((a) => a.alert.code))].join(', ');

/** Caps (gates), each shown as a reason for a low score (docs/health-score.md#caps). */
export function capsOf(x: HealthInput, p: HealthParams, comps: readonly ComponentScore[]): HealthCap[] {
  const c = p.caps;
  const out: HealthCap[] = [];
  const ev = (l: ReadonlyArray<{ alert: Parameters<typeof alertId>[1] }>) => l.map((a) => alertId(x.liftId, a.alert));
  // an active P1 alert whose condition has not cleared (an entrapment not released included)
  const p1 = x.events.alerts.map((a) => asOf(a, x.at)).filter((a) => a !== undefined && a.conditionOpen && a.alert.severity === 'P1') as Array<NonNullable<ReturnType<typeof asOf>>>;
  if (p1.length > 0) out.push({ cap: c.activeP1, key: 'cap.activeP1', params: { codes: codes(p1), count: p1.length }, reason: `active P1: ${codes(p1)}`, evidence: ev(p1) });
  const severe = (days: number) => alertsIn(x, days, (a) => (c.severeCodes as readonly string[]).includes(a.code));
  const s7 = severe(7); const s30 = severe(30);
  if (s7.length > 0) out.push({ cap: c.severe7d, key: 'cap.severe7d', params: { codes: codes(s7) }, reason: `${codes(s7)} in the last 7 days`, evidence: ev(s7) });
  else if (s30.length > 0) out.push({ cap: c.severe30d, key: 'cap.severe30d', params: { codes: codes(s30) }, reason: `${codes(s30)} in the last 30 days`, evidence: ev(s30) });
  const chain = alertsIn(x, 7, (a) => a.code === 'E07' || a.code === 'E08');
  const opens = chain.reduce((s, a) => s + a.alert.occurrences, 0);
  if (opens >= c.chainOpens7d.count) out.push({ cap: c.chainOpens7d.cap, key: 'cap.chainOpens', params: { count: opens }, reason: `${opens} safety-chain or lock-chain opens while running in 7 days`, evidence: ev(chain) });
  const late = maintenanceGaps(x, p).lateDays;
  if (late > p.s6.graceDays) out.push({ cap: c.maintenanceOverdue, key: 'cap.maintenanceOverdue', params: { lateDays: Math.round(late) }, reason: `maintenance ${Math.round(late)} days past its ${p.s6.cycleDays}-day cycle`, evidence: [] });
  const alarm = x.events.alerts.map((a) => asOf(a, x.at)).filter((a) => a !== undefined && a.conditionOpen && a.alert.code === 'E18') as Array<NonNullable<ReturnType<typeof asOf>>>;
  if (alarm.length > 0) out.push({ cap: c.alarmSystem, key: 'cap.alarmSystem', params: {}, reason: 'alarm system failed (EN 81-28 self-test or battery)', evidence: ev(alarm) });
  const door = x.stats.door.closeP95.r / p.limits.doorCloseS;
  const doorCap = c.limit.find((l) => door > l.over);
  if (doorCap !== undefined) {
    out.push({ cap: doorCap.cap, key: 'cap.doorLimit', params: { closeP95S: Math.round(x.stats.door.closeP95.r * 100) / 100, limitS: p.limits.doorCloseS },
      reason: `door closing p95 ${x.stats.door.closeP95.r.toFixed(2)} s, more than ${doorCap.over} × the GB/T 10058 door time ${p.limits.doorCloseS} s`, evidence: comps.find((k) => k.id === 'S3')?.evidence ?? [] });
  }
  const ride = a95Share(x, p);
  const rideCap = c.limit.find((l) => ride > l.over);
  if (rideCap !== undefined) {
    out.push({ cap: rideCap.cap, key: 'cap.rideLimit', params: { a95Pct: Math.round(100 * ride) },
      reason: `ride vibration A95 at ${Math.round(100 * ride)} % of the GB/T 10058 limit`, evidence: comps.find((k) => k.id === 'S4')?.evidence ?? [] });
  }
  return out;
}
