import { createHysteresis, type HysteresisOptions } from '../serving/hysteresis.js';
import type { Family, LabelledLift } from '../train/training-data.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Per family counts: what EVALUATION.md reports (issue 6 §6). */
export interface FamilyResult {
  failures: number;
  predicted24h: number;
  predicted72h: number;
  leadHours: number[];
  alerts: number;
  trueAlerts: number;
  falseAlerts: number;
  liftMonths: number;
}

/** A raise is true when the family fails within this long after it. */
export const TRUE_ALERT_WINDOW_MS = 14 * DAY;
/** A failure counts as predicted by the first raise of the alert that is still active, or raised within this long, before it. */
export const LEAD_WINDOW_MS = 21 * DAY;

export const emptyResult = (): FamilyResult => ({ failures: 0, predicted24h: 0, predicted72h: 0, leadHours: [], alerts: 0, trueAlerts: 0, falseAlerts: 0, liftMonths: 0 });

/**
 * Judge one lift's score series for one family: run the hysteresis, then match raises to failures.
 * `scores` are [ts, score] in time order.
 */
export function judge(lift: LabelledLift, family: Family, scores: readonly (readonly [number, number])[], h: HysteresisOptions, into: FamilyResult): void {
  const hyst = createHysteresis(h);
  const raises: number[] = [];
  for (const [ts, s] of scores) if (hyst.update('x', s, ts) === 'raised') raises.push(ts);
  const fails = lift.failures.filter((f) => f.family === family).map((f) => f.ts);
  const start = scores[0]?.[0] ?? lift.from;
  into.liftMonths += Math.max(0, lift.to - start) / (30 * DAY);
  for (const r of raises) {
    into.alerts++;
    if (fails.some((f) => f > r && f - r <= TRUE_ALERT_WINDOW_MS)) into.trueAlerts++;
    else into.falseAlerts++;
  }
  for (const f of fails) {
    if (f < start) continue;
    into.failures++;
    const prior = raises.filter((r) => r < f && f - r <= LEAD_WINDOW_MS && !fails.some((g) => g > r && g < f));
    const first = prior[0];
    if (first === undefined) continue;
    const lead = (f - first) / HOUR;
    into.leadHours.push(lead);
    if (lead >= 24) into.predicted24h++;
    if (lead >= 72) into.predicted72h++;
  }
}

export function median(v: readonly number[]): number {
  if (v.length === 0) return 0;
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
