import type { Severity } from '@liftwatch/contract';

const DAY = 86_400_000;

/**
 * An alert of the platform as the health score reads it: what alerting detected and opened
 * (entrapments, P1 codes, faults), with its times. Built from an alert row or an alert change.
 */
export interface PlatformAlert {
  readonly id: number;
  readonly code: string;
  readonly severity: Severity;
  readonly openedAt: number;
  readonly lastSeenAt: number;
  /** Occurrences counted on the alert (one alert per lift and code while it is active). */
  readonly occurrences: number;
  /** When its condition went away (a fault cleared, an entrapment released), or null. */
  readonly clearedAt: number | null;
  /** When a person closed it (resolved or false alarm), or null while it is active. */
  readonly closedAt: number | null;
  /** Closed as a false alarm: not an event. */
  readonly falseAlarm: boolean;
}

/** What the platform knows of a lift beside its records: its alerts and its maintenance visits (start times, ascending). */
export interface LiftEvents {
  readonly alerts: readonly PlatformAlert[];
  readonly visits: readonly number[];
}

export const NO_EVENTS: LiftEvents = Object.freeze({ alerts: [], visits: [] });

/** An alert row or change (the state store's AlertRecord, alerting's AlertView), structurally. */
export interface AlertLike {
  readonly id: number; readonly liftId: string; readonly code: string; readonly severity: Severity; readonly state: string;
  readonly openedAt: number; readonly updatedAt: number; readonly lastSeenAt: number; readonly conditionClearedAt: number | null; readonly occurrences: number;
}

export function platformAlert(a: AlertLike): PlatformAlert {
  const closed = a.state === 'resolved' || a.state === 'falseAlarm';
  return {
    id: a.id, code: a.code, severity: a.severity, openedAt: a.openedAt, lastSeenAt: a.lastSeenAt, occurrences: a.occurrences,
    clearedAt: a.conditionClearedAt, closedAt: closed ? a.updatedAt : null, falseAlarm: a.state === 'falseAlarm',
  };
}

/** The alert as it stood at `at`: undefined when not opened yet, or closed as a false alarm by then. */
export function asOf(a: PlatformAlert, at: number): { alert: PlatformAlert; active: boolean; conditionOpen: boolean } | undefined {
  if (a.openedAt > at) return undefined;
  const closed = a.closedAt !== null && a.closedAt <= at;
  if (closed && a.falseAlarm) return undefined;
  const cleared = a.clearedAt !== null && a.clearedAt <= at;
  return { alert: a, active: !closed, conditionOpen: !closed && !cleared };
}

/**
 * The platform's events per lift, kept in memory for the health score: alerts opened in the last
 * `keepDays` or still active, and visit start times of the same span (the newest always kept).
 * Only lifts with an alert or a visit have an entry.
 */
export function createPlatformEvents(o: { keepDays?: number } = {}) {
  const keepMs = (o.keepDays ?? 120) * DAY;
  const lifts = new Map<string, { alerts: PlatformAlert[]; visits: number[] }>();
  const entry = (liftId: string) => {
    let e = lifts.get(liftId);
    if (e === undefined) { e = { alerts: [], visits: [] }; lifts.set(liftId, e); }
    return e;
  };
  return {
    /** An alert opened or changed (a new alert, an occurrence, cleared, closed). */
    alert(a: AlertLike): void {
      const e = entry(a.liftId);
      const p = platformAlert(a);
      const i = e.alerts.findIndex((x) => x.id === a.id);
      if (i >= 0) e.alerts[i] = p; else e.alerts.push(p);
    },
    /** A maintenance visit began. */
    visit(liftId: string, startedAt: number): void {
      const v = entry(liftId).visits;
      if (v.includes(startedAt)) return;
      v.push(startedAt);
      v.sort((a, b) => a - b);
    },
    of: (liftId: string): LiftEvents => lifts.get(liftId) ?? NO_EVENTS,
    /** Drops what is older than the kept span (closed alerts, visits but the newest). */
    prune(now: number): void {
      for (const [liftId, e] of lifts) {
        e.alerts = e.alerts.filter((a) => a.closedAt === null || a.closedAt > now - keepMs);
        const keep = e.visits.filter((t) => t > now - keepMs);
        e.visits = keep.length > 0 ? keep : e.visits.slice(-1);
        if (e.alerts.length === 0 && e.visits.length === 0) lifts.delete(liftId);
      }
    },
    liftIds: () => lifts.keys(),
    size: () => lifts.size,
  };
}
export type PlatformEvents = ReturnType<typeof createPlatformEvents>;
