import type { AlertState, Awaitable, InspectionRecord, OverdueLift } from '@liftwatch/contract';

/** A lift as the statistics count it: since when the platform knows it, its area, its assignment, its terminal's last record. */
export interface StatLift {
  liftId: string; since: number; areaCode: string | null; district: string | null; maintenanceUnit: string | null; useUnit: string | null; lastSeenAt: number | null;
}
/** An alert with its stage times, the first rescue-line call on it and the crew's finding (confirmed, no-fault-found, false-alarm, or null). */
export interface StatAlert {
  id: number; liftId: string; code: string; severity: string; state: AlertState; openedAt: number;
  acknowledgedAt: number | null; onSiteAt: number | null; resolvedAt: number | null;
  call: { receivedAt: number; dispatchedAt: number | null; onSiteAt: number | null; releasedAt: number | null; falseAlarm: boolean } | null;
  finding: string | null;
}

/** What the regulator's statistics read (the state store in the server). */
export interface StatisticsPort {
  readonly settings: {
    /** IANA zone whose calendar months the figures are of. */
    readonly timeZone: string;
    readonly arrivalLimitMin: number;
    /** The statutory maintenance cycle, days (the plans' own cycles decide what is overdue). */
    readonly maintenanceDays: number;
  };
  lifts(): Awaitable<StatLift[]>;
  /** Alerts opened in [from, to) whose code is one of `codes`. */
  alerts(from: number, to: number, codes: readonly string[]): Awaitable<StatAlert[]>;
  /** Lifts whose maintenance visit is overdue by their plan and completed work orders (a lift without a plan is not). */
  overdueMaintenance(now: number): Awaitable<readonly OverdueLift[]>;
  /** The newest inspection of each lift whose next one was due before this day (YYYY-MM-DD). */
  overdueInspections(day: string): Awaitable<readonly InspectionRecord[]>;
}
