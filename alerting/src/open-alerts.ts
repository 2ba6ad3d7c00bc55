import type { AlertState } from '@liftwatch/contract';

const ACTIVE: ReadonlySet<AlertState> = new Set(['open', 'acknowledged', 'onSite']);

/**
 * The open alerts per lift (the console shows the count beside every lift), kept in memory as alerts
 * change: each change this process makes, and each one another node made that it hears of (`heard`).
 * Counted by alert id, so a change heard twice, or heard after this process made it, counts once.
 * `reload` replaces them with what the store holds (at start, and now and then with several nodes,
 * for changes no message carried).
 */
export function createOpenAlerts() {
  /** Active alert id → its lift. */
  let active = new Map<number, string>();
  let perLift = new Map<string, number>();

  const add = (liftId: string, n: number) => {
    const count = (perLift.get(liftId) ?? 0) + n;
    if (count > 0) perLift.set(liftId, count);
    else perLift.delete(liftId);
  };

  return {
    /** An alert as it is now: counted while open, acknowledged or on site. */
    changed(alert: { id: number; liftId: string; state: AlertState }): void {
      const was = active.has(alert.id);
      const is = ACTIVE.has(alert.state);
      if (was === is) return;
      if (is) active.set(alert.id, alert.liftId);
      else active.delete(alert.id);
      add(alert.liftId, is ? 1 : -1);
    },
    /** Every active alert, as the store lists them. */
    reload(alerts: ReadonlyArray<{ id: number; liftId: string }>): void {
      active = new Map(alerts.map((a) => [a.id, a.liftId]));
      perLift = new Map();
      for (const liftId of active.values()) add(liftId, 1);
    },
    /** Open alerts per lift (lifts without any are absent). */
    perLift: (): ReadonlyMap<string, number> => perLift,
  };
}

export type OpenAlerts = ReadonlyMap<string, number>;
