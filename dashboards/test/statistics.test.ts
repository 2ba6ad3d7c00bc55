import { describe, expect, it } from 'vitest';
import { median, percentile } from '../src/statistics/figures.js';
import { currentFigures, monthlySeries } from '../src/statistics/monthly.js';
import { addMonths, monthOf, monthRange, monthsFrom } from '../src/statistics/months.js';
import type { StatAlert, StatisticsPort, StatLift } from '../src/statistics/ports.js';

/**
 * A district's March 2026 against March 2025, every figure worked out by hand below. Times are
 * Shanghai wall-clock times (UTC+8), the zone the months are of.
 */
const MIN = 60_000;
const sh = (y: number, mo: number, d: number, h = 0, mi = 0) => Date.UTC(y, mo - 1, d, h - 8, mi);
const SINCE = sh(2024, 1, 1);

// Six lifts, all assigned to district d-1. L6's registry has no area code. L5 came on 15 March 2026.
const lift = (liftId: string, over: Partial<StatLift> = {}): StatLift => ({ liftId, since: SINCE, areaCode: '330106', district: 'd-1', maintenanceUnit: 'mu', useUnit: null, lastSeenAt: null, ...over });
const LIFTS = [
  lift('L1', { useUnit: 'estate-A' }), lift('L2', { useUnit: 'estate-A' }), lift('L3', { useUnit: 'estate-A' }), lift('L4', { useUnit: 'estate-B' }),
  lift('L5', { since: sh(2026, 3, 15) }), lift('L6', { areaCode: null }),
];

let nextId = 1;
const alert = (liftId: string, code: string, openedAt: number, over: Partial<StatAlert> = {}): StatAlert => ({
  id: nextId++, liftId, code, severity: 'P2', state: 'resolved', openedAt, acknowledgedAt: null, onSiteAt: null, resolvedAt: null, call: null, finding: null, ...over,
});
const ALERTS = [
  // March 2025: two failures (L1, L4) and a false alarm (L2). Lifts then: L1–L4, L6 = 5.
  alert('L1', 'E09', sh(2025, 3, 5, 10)), alert('L4', 'E07', sh(2025, 3, 9, 11)), alert('L2', 'E09', sh(2025, 3, 9, 12), { state: 'falseAlarm' }),
  // March 2026. a1–a3: a power cut at estate A, three lifts in 5 minutes: one incident.
  alert('L1', 'E13', sh(2026, 3, 3, 9, 0)), alert('L2', 'E13', sh(2026, 3, 3, 9, 2)), alert('L3', 'E06', sh(2026, 3, 3, 9, 5)),
  // a4: the crew found nothing wrong (still a failure); a5: the crew's finding says false alarm (not one).
  alert('L4', 'E09', sh(2026, 3, 10, 14), { finding: 'no-fault-found' }), alert('L4', 'E09', sh(2026, 3, 12, 8), { finding: 'false-alarm' }),
  // a6: an entrapment detected by the terminal at 10:00: dispatched 10:02, on site 10:12, released 10:20.
  alert('L1', 'E01', sh(2026, 3, 20, 10), { severity: 'P1', acknowledgedAt: sh(2026, 3, 20, 10, 2), onSiteAt: sh(2026, 3, 20, 10, 12), resolvedAt: sh(2026, 3, 20, 10, 20) }),
  // a7: a 96333 call at 07:59 before the terminal's alert at 08:00; dispatched 08:00:30, on site 08:34, released 08:40 (all from the alarm at 07:59).
  alert('L5', 'E01', sh(2026, 3, 25, 8), {
    severity: 'P1', acknowledgedAt: sh(2026, 3, 25, 8) + 30_000, onSiteAt: sh(2026, 3, 25, 8, 34), resolvedAt: sh(2026, 3, 25, 8, 40),
    call: { receivedAt: sh(2026, 3, 25, 7, 59), dispatchedAt: null, onSiteAt: null, releasedAt: null, falseAlarm: false },
  }),
  // a8: an entrapment the crew found to be a false alarm; a9: a prediction, not a failure.
  alert('L6', 'E01', sh(2026, 3, 28, 22), { state: 'falseAlarm' }), alert('L2', 'D01', sh(2026, 3, 29, 9)),
  // a10: 23:30 on 31 March in Shanghai (15:30 UTC) is March; a11: 00:30 on 1 April (16:30 UTC on 31 March) is not.
  alert('L3', 'E09', sh(2026, 3, 31, 23, 30)), alert('L3', 'E09', sh(2026, 4, 1, 0, 30)),
  // a12: L6, in the district by assignment only.
  alert('L6', 'E07', sh(2026, 3, 15, 16)),
];

const port: StatisticsPort = {
  settings: { timeZone: 'Asia/Shanghai', arrivalLimitMin: 30, maintenanceDays: 15 },
  lifts: () => LIFTS,
  alerts: (from, to, codes) => ALERTS.filter((a) => a.openedAt >= from && a.openedAt < to && codes.includes(a.code)),
  // Overdue as the state store finds it (plans and completed work orders; the newest inspections): L2, and X9 outside every view.
  overdueMaintenance: () => [{ liftId: 'X9', dueAt: sh(2026, 1, 1), lastCompletedAt: null, overdueDays: 91.5 }, { liftId: 'L2', dueAt: sh(2026, 3, 16), lastCompletedAt: sh(2026, 3, 1), overdueDays: 17.5 }],
  overdueInspections: (day) => [
    { id: 1, liftId: 'X9', inspectedOn: '2019-01-01', result: 'pass' as const, nextDue: '2020-01-01', inspector: null, reportNo: null, note: '', recordedAt: 0, recordedBy: 'admin' },
    { id: 2, liftId: 'L1', inspectedOn: '2025-04-01', result: 'pass' as const, nextDue: '2026-04-01', inspector: null, reportNo: 'R-1', note: '', recordedAt: 0, recordedBy: 'admin' },
    { id: 3, liftId: 'L2', inspectedOn: '2025-04-02', result: 'pass' as const, nextDue: '2026-04-02', inspector: null, reportNo: null, note: '', recordedAt: 0, recordedBy: 'admin' },
  ].filter((r) => r.nextDue < day),
};
const NOW = sh(2026, 4, 2, 12);
const march = async (inView: (l: StatLift) => boolean) => (await monthlySeries(port, inView, ['2026-03'], NOW))[0]!;

describe('monthly statistics of a district, checked by hand', () => {
  it('failures per 1,000 lifts without false alarms, against the same month a year before', async () => {
    const { figures } = await march(() => true);
    // Lifts: all 6 (L5 since 15 March). Failures: a1 a2 a3 a4 a6 a7 a10 a12 = 8 (a5, a8 false alarms; a9 a prediction; a11 April).
    // 8 / 6 × 1000 = 1333.33. March 2025: 2 / 5 × 1000 = 400. Change: (1333.33 − 400) / 400 = +233.3 %.
    expect(figures).toMatchObject({ month: '2026-03', lifts: 6, failures: 8, per1000Lifts: 1333.33, lastYearPer1000Lifts: 400, yearOnYearPct: 233.3 });
    // False alarms a5, a8; no fault found a4; without a finding: the 7 others.
    expect(figures).toMatchObject({ falseAlarms: 2, noFaultFound: 1, unconfirmed: 7, entrapments: 2, incidents: 1 });
  });

  it('rescue times per stage, median and 90th percentile, and the rescues over 30 minutes', async () => {
    const { figures, lists } = await march(() => true);
    // Response: a6 2 min, a7 1.5 min (07:59 → 08:00:30): median 1.75 → 1.8, p90 (rank ⌈0.9 × 2⌉ = 2) 2.
    // Arrival: a6 12, a7 35: median 23.5, p90 35. Release: a6 20, a7 41: median 30.5, p90 41. Over 30 min: a7.
    expect(figures.rescue).toEqual({
      count: 2, response: { n: 2, median: 1.8, p90: 2 }, arrival: { n: 2, median: 23.5, p90: 35 }, release: { n: 2, median: 30.5, p90: 41 }, overArrivalLimit: 1,
    });
    expect(lists.overArrivalLimit.map((a) => a.liftId)).toEqual(['L5']);
    expect(lists.entrapments.map((e) => [e.liftId, e.responseMin, e.arrivalMin, e.releaseMin])).toEqual([['L1', 2, 12, 20], ['L5', 1.5, 35, 41]]);
  });

  it('a power cut that stops three lifts of one estate is one incident with its lifts; every count has its list', async () => {
    const { figures, lists } = await march(() => true);
    expect(lists.incidents).toEqual([{ site: 'estate-A', startedAt: sh(2026, 3, 3, 9, 0), lastAt: sh(2026, 3, 3, 9, 5), liftIds: ['L1', 'L2', 'L3'], alertIds: [4, 5, 6], codes: ['E06', 'E13'] }]);
    expect(lists.failures).toHaveLength(figures.failures);
    expect(lists.falseAlarms.map((a) => a.id)).toEqual([8, 11]);
    expect(lists.noFaultFound.map((a) => a.id)).toEqual([7]);
    expect(lists.unconfirmed).toHaveLength(figures.unconfirmed);
    expect(lists.lifts).toEqual(['L1', 'L2', 'L3', 'L4', 'L5', 'L6']);
  });

  it('a district by assignment keeps the lift without an area code that a view by area code leaves out', async () => {
    const byArea = (await march((l) => l.areaCode === '330106')).figures;
    // Area 330106: L1–L5. Failures without a12 (L6) = 7; 7 / 5 × 1000 = 1400. March 2025: L1–L4, 2 / 4 × 1000 = 500: +180 %.
    expect(byArea).toMatchObject({ lifts: 5, failures: 7, per1000Lifts: 1400, lastYearPer1000Lifts: 500, yearOnYearPct: 180 });
    const byDistrict = (await march((l) => l.district === 'd-1')).figures;
    expect(byDistrict).toMatchObject({ lifts: 6, failures: 8 });
  });

  it('a series of months, each with its year before; a month without a rate has no change', async () => {
    const series = await monthlySeries(port, () => true, ['2025-03', '2026-02', '2026-03'], NOW);
    // March 2024: no failures, 5 lifts: 0 per 1,000, so March 2025 has no change to show.
    expect(series.map((m) => [m.figures.month, m.figures.failures, m.figures.per1000Lifts, m.figures.yearOnYearPct])).toEqual([['2025-03', 2, 400, null], ['2026-02', 0, 0, null], ['2026-03', 8, 1333.33, 233.3]]);
  });

  it('now: silent terminals, lifts without one, and lifts overdue for maintenance and inspection', async () => {
    const lifts = LIFTS.map((l, i) => ({ ...l, lastSeenAt: i < 4 ? NOW - i * 10 * MIN : null }));
    const now = await currentFigures({ ...port, lifts: () => lifts }, () => true, NOW, 15 * MIN);
    // L3 (20 min) and L4 (30 min) are silent; L5 and L6 never sent anything. L2's maintenance is overdue; X9 is in no view.
    // Today in Shanghai is 2 April: L1's inspection was due on 1 April, L2's is due today (not yet overdue).
    expect(now).toEqual({
      lifts: 6, silent: [{ liftId: 'L3', lastSeenAt: NOW - 20 * MIN }, { liftId: 'L4', lastSeenAt: NOW - 30 * MIN }], noTerminal: ['L5', 'L6'],
      overdueMaintenance: [{ liftId: 'L2', dueAt: sh(2026, 3, 16), lastCompletedAt: sh(2026, 3, 1), overdueDays: 17.5 }],
      overdueInspections: [{ liftId: 'L1', inspectedOn: '2025-04-01', result: 'pass', nextDue: '2026-04-01' }],
    });
  });
});

describe('months and percentiles', () => {
  it('months are calendar months of the time zone', () => {
    expect(monthRange('2026-03', 'Asia/Shanghai')).toEqual({ from: Date.UTC(2026, 1, 28, 16), to: Date.UTC(2026, 2, 31, 16) });
    expect(monthRange('2026-12', 'UTC')).toEqual({ from: Date.UTC(2026, 11, 1), to: Date.UTC(2027, 0, 1) });
    // Europe/Berlin changes to summer time on 29 March 2026: April starts at 22:00 UTC, March at 23:00 UTC.
    expect(monthRange('2026-03', 'Europe/Berlin')).toEqual({ from: Date.UTC(2026, 1, 28, 23), to: Date.UTC(2026, 2, 31, 22) });
    expect(monthOf(Date.UTC(2026, 2, 31, 16, 30), 'Asia/Shanghai')).toBe('2026-04');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(monthsFrom('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(() => monthRange('2026-13', 'UTC')).toThrow(/month "2026-13" is not a month: give YYYY-MM/);
  });

  it('median and nearest-rank percentile', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10);
    expect(percentile([7], 90)).toBe(7);
  });
});
