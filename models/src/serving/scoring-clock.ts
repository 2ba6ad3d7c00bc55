/** One lift's scoring times: of its last scoring (the features' time), its newest record then, the wall clock then, and when its records last arrived. */
interface LiftClock { at: number; newest: number; wall: number; arrived: number }

/**
 * At what time each lift is scored. A scoring for new records is at the time of the newest record
 * (never the wall clock), so a replay or catch-up gives the same features, hysteresis and risk trend
 * whatever its speed. A rescoring without new records is at the wall clock (time passing moves
 * features and health), except while the lift's records are still arriving (within `quietMs`): a
 * replay is not jumped to the present between two of its batches. A lift's time never goes back.
 */
export function createScoringClock(o: { now: () => number; quietMs: number }) {
  const lifts = new Map<string, LiftClock>();
  return {
    /** Records of the lift were stored now. */
    arrived(liftId: string): void {
      const c = lifts.get(liftId);
      if (c !== undefined) c.arrived = o.now();
      else lifts.set(liftId, { at: -Infinity, newest: -Infinity, wall: -Infinity, arrived: o.now() });
    },
    /** The time to score the lift at, given its newest record (or the caller's `at`, a simulated clock); remembered as its last scoring. */
    at(liftId: string, newest: number, at?: number): number {
      const wall = o.now();
      const c = lifts.get(liftId) ?? { at: -Infinity, newest: -Infinity, wall: -Infinity, arrived: -Infinity };
      const fresh = newest > c.newest;
      const t = at ?? (fresh ? newest : wall - c.arrived < o.quietMs ? c.at : wall);
      const kept = Number.isFinite(t) || Number.isFinite(c.at) ? Math.max(t, c.at) : wall;
      lifts.set(liftId, { at: kept, newest: Math.max(newest, c.newest), wall, arrived: c.arrived });
      return kept;
    },
    /** When the lift was last scored, by the wall clock (−∞: never): the rescoring loop's intervals. */
    scoredAt: (liftId: string): number => lifts.get(liftId)?.wall ?? -Infinity,
  };
}
