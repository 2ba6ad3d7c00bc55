import { createLiftNumbers, type LiftNumbers } from './lift-numbers.js';

/**
 * Each lift's scoring times, one row of four numbers a lift in one growing Float64Array, by the lift's
 * number (lift-numbers.ts): of its last scoring (the features' time), its newest record then, the wall
 * clock then, and when its records last arrived (−∞: never). Not an object a lift: a city's 150,000
 * lifts would hold 150,000 objects and, since these are milliseconds beyond the small-integer range,
 * 600,000 boxed numbers (≈ 15 MiB).
 */
const AT = 0, NEWEST = 1, WALL = 2, ARRIVED = 3, ROW = 4;

/**
 * At what time each lift is scored. A scoring for new records is at the time of the newest record
 * (never the wall clock), so a replay or catch-up gives the same features, hysteresis and risk trend
 * whatever its speed. A rescoring without new records is at the wall clock (time passing moves
 * features and health), except while the lift's records are still arriving (within `quietMs`): a
 * replay is not jumped to the present between two of its batches. A lift's time never goes back.
 */
export function createScoringClock(o: { now: () => number; quietMs: number; lifts?: LiftNumbers }) {
  // The feature states' numbers when given (the serving's): no map of the lifts of its own.
  const lifts = o.lifts ?? createLiftNumbers();
  let times = new Float64Array(ROW * 1024).fill(-Infinity);
  /** The lift's row (its first number's offset); every time of a row not written yet is −∞. */
  const rowFor = (liftId: string, n = lifts.numberOf(liftId)): number => {
    const r = n * ROW;
    if (r + ROW > times.length) {
      const grown = new Float64Array(Math.ceil(Math.max(times.length, r + ROW) / ROW * 1.5) * ROW); // by half: less unused space than doubling
      grown.fill(-Infinity, times.length);
      grown.set(times);
      times = grown;
    }
    return r;
  };
  return {
    /** Records of the lift were stored now (`n`: its number in `lifts`, when known). */
    arrived(liftId: string, n?: number): void {
      times[rowFor(liftId, n) + ARRIVED] = o.now();
    },
    /** The time to score the lift at, given its newest record (or the caller's `at`, a simulated clock); remembered as its last scoring. */
    at(liftId: string, newest: number, at?: number): number {
      const wall = o.now();
      const r = rowFor(liftId);
      const lastAt = times[r + AT]!;
      const fresh = newest > times[r + NEWEST]!;
      const t = at ?? (fresh ? newest : wall - times[r + ARRIVED]! < o.quietMs ? lastAt : wall);
      const kept = Number.isFinite(t) || Number.isFinite(lastAt) ? Math.max(t, lastAt) : wall;
      times[r + AT] = kept;
      times[r + NEWEST] = Math.max(newest, times[r + NEWEST]!);
      times[r + WALL] = wall;
      return kept;
    },
    /** When the lift was last scored, by the wall clock (−∞: never): the rescoring loop's intervals. */
    scoredAt: (liftId: string): number => {
      const n = lifts.find(liftId);
      return n === undefined || (n + 1) * ROW > times.length ? -Infinity : times[n * ROW + WALL]!;
    },
  };
}
