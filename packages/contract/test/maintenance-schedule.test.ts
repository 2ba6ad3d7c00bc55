import { describe, expect, it } from 'vitest';
import { checklistFor, classDue, DEFAULT_ITEM_SETS, itemSetOf, MAINTENANCE_CLASSES, nextDueAt, overdueDays, type MaintenanceClass } from '../src/index.js';

const DAY = 86_400_000;
const plan = { startsAt: 1_000 * DAY, cycleDays: 15 };

describe('maintenance schedule', () => {
  it('on a 15-day cycle every 6th visit is quarterly, every 12th half-yearly, every 24th yearly', () => {
    const last: Partial<Record<MaintenanceClass, number>> = {};
    const classes: MaintenanceClass[] = [];
    for (let visit = 1; visit <= 48; visit++) {
      const at = plan.startsAt + visit * 15 * DAY;
      const cls = classDue(plan, last, at);
      classes.push(cls);
      last[cls] = at;
    }
    const where = (c: MaintenanceClass) => classes.flatMap((x, i) => (x === c ? [i + 1] : []));
    expect(where('yearly')).toEqual([24, 48]);
    expect(where('halfYearly')).toEqual([12, 36]);
    expect(where('quarterly')).toEqual([6, 18, 30, 42]);
    expect(where('halfMonthly')).toHaveLength(48 - 8);
  });

  it('a late visit does the larger class that fell due meanwhile', () => {
    expect(classDue(plan, { yearly: plan.startsAt }, plan.startsAt + 80 * DAY)).toBe('quarterly');
    expect(classDue(plan, { yearly: plan.startsAt }, plan.startsAt + 400 * DAY)).toBe('yearly');
  });

  it('the next visit is due one cycle after the last completed one, or after the plan\'s start', () => {
    expect(nextDueAt(plan, null)).toBe(plan.startsAt + 15 * DAY);
    expect(nextDueAt(plan, plan.startsAt + 40 * DAY)).toBe(plan.startsAt + 55 * DAY);
    expect(nextDueAt(plan, plan.startsAt - 40 * DAY)).toBe(plan.startsAt + 15 * DAY); // before a new plan: the plan counts
    expect(overdueDays(plan.startsAt, plan.startsAt + 2.25 * DAY)).toBe(2.3);
  });

  it('checklists are cumulative; escalators and moving walks share a set', () => {
    const items = DEFAULT_ITEM_SETS.traction;
    const sizes = MAINTENANCE_CLASSES.map((c) => checklistFor(items, c).length);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    expect(new Set(sizes).size).toBe(4);
    expect(checklistFor(items, 'halfMonthly')[0]).toEqual({ itemId: 'T-H01', zh: '机房、滑轮间环境', en: expect.any(String), result: null, note: '' });
    expect([itemSetOf('movingWalk'), itemSetOf('escalator'), itemSetOf('hydraulic'), itemSetOf(null)]).toEqual(['escalator', 'escalator', 'hydraulic', 'traction']);
    for (const set of Object.values(DEFAULT_ITEM_SETS)) expect(new Set(set.map((i) => i.id)).size).toBe(set.length);
  });
});
