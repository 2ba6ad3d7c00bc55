import { ENTRAPMENT, FAILURE_CODES, incidents, isFalseAlarm, per1000, rescueFigures, yearOnYear, type FigureSettings, type Incident } from './figures.js';
import { addMonths, monthOf, monthRange, type Month } from './months.js';
import type { StatAlert, StatisticsPort, StatLift } from './ports.js';

/** What incidents are: failures on 3 or more lifts of one site within 10 minutes. */
export const INCIDENTS = { incidentWindowMin: 10, incidentMinLifts: 3 } as const;

/** The figures of one month and the lists behind them. */
export function monthFigures(month: Month, lifts: readonly StatLift[], alerts: readonly StatAlert[], settings: FigureSettings, now: number) {
  const byId = new Map(lifts.map((l) => [l.liftId, l]));
  const counted = alerts.filter((a) => FAILURE_CODES.includes(a.code));
  const falseAlarms = counted.filter(isFalseAlarm);
  const failures = counted.filter((a) => !isFalseAlarm(a));
  const entrapments = failures.filter((a) => a.code === ENTRAPMENT);
  const rescue = rescueFigures(entrapments, settings, now);
  const found: Incident[] = incidents(failures, (id) => byId.get(id), settings);
  const lists = {
    lifts: lifts.map((l) => l.liftId),
    failures, falseAlarms,
    noFaultFound: failures.filter((a) => a.finding === 'no-fault-found'),
    unconfirmed: failures.filter((a) => a.finding === null),
    entrapments: rescue.times.map((t) => ({ ...t.alert, alarmAt: t.alarmAt, responseMin: t.responseMin, arrivalMin: t.arrivalMin, releaseMin: t.releaseMin })),
    overArrivalLimit: rescue.over,
    incidents: found,
  };
  return {
    figures: {
      month, lifts: lifts.length, failures: failures.length, falseAlarms: falseAlarms.length, noFaultFound: lists.noFaultFound.length, unconfirmed: lists.unconfirmed.length,
      per1000Lifts: per1000(failures.length, lifts.length), entrapments: entrapments.length, incidents: found.length, rescue: rescue.summary,
    },
    lists,
  };
}
export type MonthResult = ReturnType<typeof monthFigures>;

/**
 * The months from `from` to `to` for the lifts `inView` keeps, each with the same month a year
 * before and the change of the failure rate: lifts count from the month the platform first knew them.
 */
export async function monthlySeries(port: StatisticsPort, inView: (l: StatLift) => boolean, months: readonly Month[], now: number) {
  const { timeZone } = port.settings;
  const settings: FigureSettings = { arrivalLimitMin: port.settings.arrivalLimitMin, ...INCIDENTS };
  const lifts = (await port.lifts()).filter(inView);
  const ids = new Set(lifts.map((l) => l.liftId));
  const first = monthRange(addMonths(months[0]!, -12), timeZone).from;
  const last = monthRange(months.at(-1)!, timeZone).to;
  const byMonth = new Map<Month, StatAlert[]>();
  for (const a of await port.alerts(first, last, FAILURE_CODES)) {
    if (!ids.has(a.liftId)) continue;
    const m = monthOf(a.openedAt, timeZone);
    byMonth.set(m, [...(byMonth.get(m) ?? []), a]);
  }
  const of = (m: Month) => {
    const { to } = monthRange(m, timeZone);
    return monthFigures(m, lifts.filter((l) => l.since < to), byMonth.get(m) ?? [], settings, now);
  };
  return months.map((m) => {
    const current = of(m);
    const lastYear = of(addMonths(m, -12)).figures.per1000Lifts;
    return { ...current, figures: { ...current.figures, lastYearPer1000Lifts: lastYear, yearOnYearPct: yearOnYear(current.figures.per1000Lifts, lastYear) } };
  });
}

/** Today in the time zone, YYYY-MM-DD. */
const dayOf = (ms: number, timeZone: string) => new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));

/**
 * What is true now: silent terminals, registered lifts no terminal speaks for, lifts overdue for
 * maintenance (by their plans and completed work orders) and for their periodic inspection; each with its list.
 */
export async function currentFigures(port: StatisticsPort, inView: (l: StatLift) => boolean, now: number, silentMs: number) {
  const lifts = (await port.lifts()).filter(inView);
  const ids = new Set(lifts.map((l) => l.liftId));
  const today = dayOf(now, port.settings.timeZone);
  return {
    lifts: lifts.length,
    silent: lifts.filter((l) => l.lastSeenAt !== null && now - l.lastSeenAt > silentMs).map((l) => ({ liftId: l.liftId, lastSeenAt: l.lastSeenAt! })),
    noTerminal: lifts.filter((l) => l.lastSeenAt === null).map((l) => l.liftId),
    overdueMaintenance: (await port.overdueMaintenance(now)).filter((o) => ids.has(o.liftId))
      .map(({ liftId, dueAt, lastCompletedAt, overdueDays }) => ({ liftId, dueAt, lastCompletedAt, overdueDays })),
    overdueInspections: (await port.overdueInspections(today)).filter((r) => ids.has(r.liftId))
      .map(({ liftId, inspectedOn, result, nextDue }) => ({ liftId, inspectedOn, result, nextDue })),
  };
}
