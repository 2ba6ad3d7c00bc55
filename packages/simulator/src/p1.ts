import type { Random } from './prng.js';

/** The P1 events a simulated lift can be made to show (domain §6b E01–E05). */
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
