import type { DashboardDeps, HazardsPort, HealthPort } from '@liftwatch/dashboards';
import type { LiftSummary } from '@liftwatch/contract';
import type { StateStore } from '@liftwatch/state-store';

/** The national lift-emergency number on every car's usage sign (docs/standards.md#emergency-hotlines-and-rescue-tiers). */
const RESCUE_LINE = '96333';

/** A field of the lift's entry in the platform's registry (set by admins) when it has one, else of what its terminal reports. */
function fieldOf(lift: LiftSummary, key: 'name' | 'address' | 'registrationCode'): string | null {
  const registered = lift.registered as Partial<Record<string, unknown>> | null | undefined;
  const value = registered?.[key] ?? lift.registry?.[key];
  return typeof value === 'string' ? value : null;
}

/**
 * Hazards over the state store, and the public page of a lift from what the dashboards read: the
 * name, address and registration code of its registry entry (or its terminal's profile), the end of its latest maintenance
 * visit, its health grade. Inspection records are not kept yet: `lastInspection` is null.
 */
export function hazardsPort(state: StateStore, lifts: DashboardDeps['lifts'], health: HealthPort | undefined): HazardsPort {
  return {
    open: (input, at) => state.hazards.open(input, at),
    get: (id) => state.hazards.get(id),
    list: (filter) => state.hazards.list(filter),
    rectify: (id, fix, actor, at) => state.hazards.rectify(id, fix, actor, at),
    review: (id, accept, note, actor, at) => state.hazards.review(id, accept, note, actor, at),
    photo: (id) => state.hazards.photo(id),
    activeCounts: () => state.hazards.activeCounts(),
    async publicLift(liftId) {
      const lift = await lifts.get(liftId);
      if (!lift) return undefined;
      const [visits, counts] = await Promise.all([state.visits.list(liftId, 50), state.hazards.activeCounts()]);
      const ended = visits.map((v) => v.endedAt).filter((t): t is number => t !== null);
      return {
        liftId, name: fieldOf(lift, 'name'), address: fieldOf(lift, 'address'), registrationCode: fieldOf(lift, 'registrationCode'),
        lastMaintenanceAt: ended.length ? Math.max(...ended) : null, lastInspection: null,
        grade: health?.score(liftId)?.grade ?? null, openHazards: counts.get(liftId) ?? 0, rescuePhone: RESCUE_LINE,
      };
    },
  };
}
