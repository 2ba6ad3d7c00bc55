import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { LiftSummary } from '@liftwatch/contract';
import type { DashboardDeps } from './deps.js';

/** What the district views need of a lift, kept in memory: the read model of the regulator console. */
export interface FleetEntry { liftId: string; areaCode: string | null; name: string | null; presence: LiftSummary['presence']; lastSeenAt: number; openAlerts: number }

export interface FleetIndex {
  /** Entries of one area (GB/T 2260 code), or all. Loads the index on first use. */
  entries(areaCode?: string): Promise<FleetEntry[]>;
}

const PAGE = 5000;
const toEntry = (l: LiftSummary): FleetEntry => ({ liftId: l.liftId, areaCode: l.registry?.areaCode ?? null, name: l.registry?.name ?? null, presence: l.presence, lastSeenAt: l.lastSeenAt, openAlerts: l.openAlerts });

/**
 * A city has 150,000 lifts; reading and parsing them all for each request costs seconds. The index
 * is loaded once in pages (yielding to the event loop between pages, so the API stays responsive),
 * then kept current from the change feed: changed lifts are re-read when the index is next used.
 */
export function createFleetIndex(deps: DashboardDeps): FleetIndex & { close(): void } {
  const byId = new Map<string, FleetEntry>();
  const byArea = new Map<string, Set<string>>();
  const dirty = new Set<string>();
  let loading: Promise<void> | undefined;

  const put = (e: FleetEntry) => {
    const old = byId.get(e.liftId);
    if (old?.areaCode && old.areaCode !== e.areaCode) byArea.get(old.areaCode)?.delete(e.liftId);
    byId.set(e.liftId, e);
    if (e.areaCode) {
      let set = byArea.get(e.areaCode);
      if (!set) byArea.set(e.areaCode, (set = new Set()));
      set.add(e.liftId);
    }
  };
  const unsubscribe = deps.changes.subscribe((c) => {
    if (c.kind === 'lifts') for (const id of c.liftIds) dirty.add(id);
    else dirty.add(c.alert.liftId);
  });
  const load = async () => {
    for (let offset = 0; ; offset += PAGE) {
      const page = deps.lifts.list({ limit: PAGE, offset });
      for (const l of page) put(toEntry(l));
      if (page.length < PAGE) return;
      await yieldToLoop();
    }
  };
  return {
    async entries(areaCode) {
      loading ??= load();
      await loading;
      for (const id of dirty) {
        const l = deps.lifts.get(id);
        if (l) put(toEntry(l));
      }
      dirty.clear();
      if (!areaCode) return [...byId.values()];
      return [...(byArea.get(areaCode) ?? [])].map((id) => byId.get(id)!);
    },
    close: unsubscribe,
  };
}
