import type { LiftType } from './lift-profile.js';
import { MAINTENANCE_CLASSES, type ChecklistItem, type ChecklistEntry, type ItemSetId, type MaintenanceClass } from './maintenance.js';

const DAY = 86_400_000;

/**
 * How long each larger class may go undone, in days. TSG T5002 names the classes by period
 * (quarter, half year, year), not in days: these day counts are liftwatch's reading (unverified,
 * docs/maintenance.md#which-class-a-visit-is). The half-monthly class follows the plan's cycle.
 */
export const CLASS_PERIOD_DAYS: Readonly<Record<Exclude<MaintenanceClass, 'halfMonthly'>, number>> = { quarterly: 91, halfYearly: 182, yearly: 365 };

/** The item set of a lift type: escalators and moving walks share one annex. */
export function itemSetOf(type: LiftType | null | undefined): ItemSetId {
  if (type === 'escalator' || type === 'movingWalk') return 'escalator';
  return type === 'hydraulic' ? 'hydraulic' : 'traction';
}

/** When the next visit is due: the last completed maintenance (or the plan's start, if later) plus one cycle. */
export function nextDueAt(plan: { startsAt: number; cycleDays: number }, lastCompletedAt: number | null): number {
  return Math.max(plan.startsAt, lastCompletedAt ?? 0) + plan.cycleDays * DAY;
}

/** Days past due (one decimal); 0 or below: not overdue. */
export const overdueDays = (dueAt: number, now: number): number => Math.round(((now - dueAt) / DAY) * 10) / 10;

/**
 * The class of a visit at `at`: the largest class that would otherwise go past its period before
 * the next visit, i.e. whose last completion (of it or a larger class, the classes being cumulative;
 * the plan's start when none) is more than its period less one cycle ago. On a 15-day cycle this
 * makes every 6th visit quarterly, every 12th half-yearly and every 24th yearly.
 */
export function classDue(plan: { startsAt: number; cycleDays: number }, lastByClass: Partial<Record<MaintenanceClass, number>>, at: number): MaintenanceClass {
  for (let i = MAINTENANCE_CLASSES.length - 1; i > 0; i--) {
    const cls = MAINTENANCE_CLASSES[i] as Exclude<MaintenanceClass, 'halfMonthly'>;
    let last: number | undefined;
    for (const c of MAINTENANCE_CLASSES.slice(i)) {
      const t = lastByClass[c];
      if (t !== undefined && (last === undefined || t > last)) last = t;
    }
    const since = at - Math.max(last ?? plan.startsAt, plan.startsAt);
    if (since > (CLASS_PERIOD_DAYS[cls] - plan.cycleDays) * DAY) return cls;
  }
  return 'halfMonthly';
}

/** The checklist of a visit of this class: its own items and those of every smaller class. */
export function checklistFor(items: readonly ChecklistItem[], cls: MaintenanceClass): ChecklistEntry[] {
  const upTo = MAINTENANCE_CLASSES.indexOf(cls);
  return items.filter((item) => MAINTENANCE_CLASSES.indexOf(item.class) <= upTo).map((item) => ({ itemId: item.id, zh: item.zh, en: item.en, result: null, note: '' }));
}
