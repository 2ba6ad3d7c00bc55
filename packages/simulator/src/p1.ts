import type { Random } from './prng.js';

/** The P1 events a simulated lift can be made to show. */
export const P1_KINDS = ['entrapment', 'overspeed', 'doorOpenWhileRunning', 'overtravelTop', 'unintendedMovement'] as const;
export type P1Kind = (typeof P1_KINDS)[number];

/** Destination of a trip that will show a P1 event: the top for overtravel, a long run for overspeed and a door opening at speed. */
export function p1Destination(p1: P1Kind | undefined, floor: number, floors: number, rnd: Random): number {
  let to = floor;
  if (p1 === 'overtravelTop') to = floors;
  else while (to === floor) to = rnd.int(1, floors);
  if ((p1 === 'overspeed' || p1 === 'doorOpenWhileRunning') && Math.abs(to - floor) < 3) to = floor <= floors / 2 ? floors : 1;
  return to;
}

/** An entrapment stops between floors; an overtravel runs past the top landing onto the final limit. */
export function p1DistanceOffsetM(p1: P1Kind | undefined, floorHeightM: number): number {
  if (p1 === 'entrapment') return -floorHeightM / 2;
  if (p1 === 'overtravelTop') return 0.35;
  return 0;
}

/**
 * The rescue steps of an entrapment for the `alarm` record that ends it (the rescue
 * workflow: occurred → responded → arrived → completed): dispatched 20–90 s after the alarm, the crew
 * responds within 2 min, and arrives 3–8 min before the release; every step no later than the release.
 */
export function rescueTimeline(raisedAt: number, releaseAt: number, rnd: Random): { dispatchTs: number; respondTs: number; arriveTs: number; releaseTs: number } {
  const dispatch = Math.min(releaseAt, raisedAt + rnd.uniform(20_000, 90_000));
  const respond = Math.min(releaseAt, dispatch + rnd.uniform(30_000, 120_000));
  const arrive = Math.min(releaseAt, Math.max(respond, releaseAt - rnd.uniform(180_000, 480_000)));
  return { dispatchTs: Math.round(dispatch), respondTs: Math.round(respond), arriveTs: Math.round(arrive), releaseTs: Math.round(releaseAt) };
}
