import { FAULT_CODES } from '@liftwatch/contract';
import type { StatAlert, StatLift } from './ports.js';

/** Codes that count as failures: the lift and escalator events of the code table, not predictions (D), usage (U), mode information or data quality (Q). */
export const FAILURE_CODES: readonly string[] = FAULT_CODES.filter((c) => c.kind === 'event').map((c) => c.code);
export const ENTRAPMENT = 'E01';

export interface FigureSettings {
  /** Minutes from the alarm to the crew on site that rescues are reported against. */
  readonly arrivalLimitMin: number;
  /** Failures on at least `incidentMinLifts` lifts of one site within `incidentWindowMin` of the first are one incident. */
  readonly incidentWindowMin: number;
  readonly incidentMinLifts: number;
}

/** A false alarm: the crew said so (the alert's state, its finding) or the rescue line did. */
export const isFalseAlarm = (a: StatAlert): boolean => a.state === 'falseAlarm' || a.finding === 'false-alarm' || a.call?.falseAlarm === true;

/** The middle value (the mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The nearest-rank percentile: the smallest value with at least p % of the values at or below it; null for none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)]!;
}

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;
const earliest = (...ts: Array<number | null | undefined>) => {
  const known = ts.filter((t): t is number => typeof t === 'number');
  return known.length ? Math.min(...known) : null;
};

/** One entrapment's stages, minutes from the alarm (one decimal); arrival is the release when no arrival was recorded (someone was there). */
export function rescueTimes(a: StatAlert) {
  const alarm = earliest(a.openedAt, a.call?.receivedAt)!;
  const dispatched = earliest(a.acknowledgedAt, a.call?.dispatchedAt);
  const released = earliest(a.resolvedAt, a.call?.releasedAt);
  const onSite = earliest(a.onSiteAt, a.call?.onSiteAt) ?? released;
  const min = (t: number | null) => (t === null ? null : round(Math.max(0, t - alarm) / 60_000, 1));
  return { alarmAt: alarm, responseMin: min(dispatched), arrivalMin: min(onSite), releaseMin: min(released) };
}

/** The median and 90th percentile of a stage over the rescues that reached it. */
const spread = (values: Array<number | null>) => {
  const known = values.filter((v): v is number => v !== null);
  const m = median(known);
  return { n: known.length, median: m === null ? null : round(m, 1), p90: percentile(known, 90) };
};

/** Rescue times of a month's entrapments; a rescue over the limit: arrived after it, or not arrived and the limit has passed by `now`. */
export function rescueFigures(entrapments: readonly StatAlert[], settings: FigureSettings, now: number) {
  const times = entrapments.map((a) => ({ alert: a, ...rescueTimes(a) }));
  const over = times.filter((t) => (t.arrivalMin === null ? now - t.alarmAt > settings.arrivalLimitMin * 60_000 : t.arrivalMin > settings.arrivalLimitMin));
  return {
    summary: {
      count: times.length, response: spread(times.map((t) => t.responseMin)), arrival: spread(times.map((t) => t.arrivalMin)), release: spread(times.map((t) => t.releaseMin)),
      overArrivalLimit: over.length,
    },
    times, over: over.map((t) => t.alert),
  };
}

export interface Incident { site: string; startedAt: number; lastAt: number; liftIds: string[]; alertIds: number[]; codes: string[] }

/**
 * Failures on many lifts of one site at once (a power cut, a flood) as one incident: per site (the use
 * unit, which runs the building, else the area), alerts within the window of the first are gathered;
 * with at least the minimum of lifts they are one incident, else the first is left alone.
 */
export function incidents(failures: readonly StatAlert[], liftOf: (liftId: string) => StatLift | undefined, settings: FigureSettings): Incident[] {
  const bySite = new Map<string, StatAlert[]>();
  for (const a of failures) {
    const l = liftOf(a.liftId);
    const site = l?.useUnit ?? (l?.areaCode ? `area ${l.areaCode}` : null);
    if (site !== null) bySite.set(site, [...(bySite.get(site) ?? []), a]);
  }
  const found: Incident[] = [];
  for (const [site, alerts] of bySite) {
    alerts.sort((x, y) => x.openedAt - y.openedAt || x.id - y.id);
    for (let i = 0; i < alerts.length;) {
      let j = i;
      while (j + 1 < alerts.length && alerts[j + 1]!.openedAt - alerts[i]!.openedAt <= settings.incidentWindowMin * 60_000) j++;
      const group = alerts.slice(i, j + 1);
      const liftIds = [...new Set(group.map((a) => a.liftId))].sort();
      if (liftIds.length < settings.incidentMinLifts) { i++; continue; }
      found.push({ site, startedAt: group[0]!.openedAt, lastAt: group.at(-1)!.openedAt, liftIds, alertIds: group.map((a) => a.id), codes: [...new Set(group.map((a) => a.code))].sort() });
      i = j + 1;
    }
  }
  return found.sort((x, y) => x.startedAt - y.startedAt);
}

/** Failures per 1,000 lifts, two decimals; null without lifts. */
export const per1000 = (failures: number, lifts: number): number | null => (lifts === 0 ? null : round((failures / lifts) * 1000, 2));
/** Change from last year's rate, in per cent, one decimal; null when last year had no rate or a rate of 0. */
export const yearOnYear = (now: number | null, lastYear: number | null): number | null => (now === null || !lastYear ? null : round(((now - lastYear) / lastYear) * 100, 1));
