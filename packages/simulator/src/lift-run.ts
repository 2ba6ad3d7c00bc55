import type { StatusRecord } from '@liftwatch/contract';
import { sCurvePlan, type MotionPlan, type MotionSample } from './motion.js';
import type { Component } from './fault-plan.js';
import type { P1Kind } from './p1.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const NEVER = Number.POSITIVE_INFINITY;

/** Local midnight (China Standard Time, UTC+8) of the day of `ms`. */
export const localMidnight = (ms: number): number => Math.floor((ms + 8 * HOUR_MS) / DAY_MS) * DAY_MS - 8 * HOUR_MS;

/**
 * The numbers of a simulated lift that change at every event: the clock, the record sequence, the
 * car's position and the times of the next events (`NEVER` when none is due). They live in one
 * object's fields, updated in place: closure variables holding non-integers would allocate a new
 * heap number at every store (V8), thousands of times a simulated day.
 */
export interface LiftRun {
  t: number; seq: number; pos: number;
  phaseEndsAt: number; stuckAlarmAt: number; alarmRaisedAt: number; nextCallAt: number; nextStatusAt: number; nextEnvAt: number;
  nextDeviceAt: number; nextCountersAt: number; nextBrakeTestAt: number; nextTruthAt: number; nextVisitAt: number; correctiveAt: number;
}

/**
 * A run at `startMs`: counters hourly, the brake test at 03:00, ground truth daily, routine visits at
 * 10:00 every `visitEveryMs`, the first `firstVisitMs` after the start's day began (the same by default).
 */
export function createLiftRun(startMs: number, seqBase: number | undefined, groundTruth: boolean, visitEveryMs: number, firstVisitMs = visitEveryMs): LiftRun {
  const brakeTestToday = localMidnight(startMs) + 3 * HOUR_MS;
  return {
    t: startMs, seq: seqBase ?? startMs * 1000, pos: NEVER, phaseEndsAt: NEVER, stuckAlarmAt: NEVER, alarmRaisedAt: 0,
    nextCallAt: NEVER, nextStatusAt: startMs, nextEnvAt: NEVER, nextDeviceAt: NEVER, nextCountersAt: startMs + HOUR_MS,
    nextBrakeTestAt: brakeTestToday + (startMs >= brakeTestToday ? DAY_MS : 0),
    nextTruthAt: groundTruth ? startMs : NEVER, nextVisitAt: visitEveryMs > 0 ? localMidnight(startMs) + firstVisitMs + 10 * HOUR_MS : NEVER, correctiveAt: NEVER,
  };
}

/** The time of the run's next event, or of the next fault edge if earlier. */
export function nextEventAt(run: LiftRun, edgeAt: number): number {
  return Math.min(run.phaseEndsAt, run.nextCallAt, run.nextStatusAt, run.stuckAlarmAt, run.nextEnvAt, run.nextDeviceAt, run.nextCountersAt, run.nextBrakeTestAt, run.nextTruthAt, run.nextVisitAt, run.correctiveAt, edgeAt);
}

export type Phase = 'idle' | 'doorsOpening' | 'doorsOpen' | 'doorsClosing' | 'moving' | 'stuck' | 'outOfService' | 'powerOff' | 'maintenance';

/** The car and its controller as the records show them, changed in place by the lift's handlers. */
export interface Car {
  floor: number; phase: Phase; passengers: number;
  /** The trip under way: the lift's one trip object while moving. */
  trip: Trip | undefined;
  /** The P1 event the next trip shows. */
  pendingP1: P1Kind | undefined;
  /** Stuck because the mains went and the rescue device failed: powered off once the passengers are out. */
  stuckByOutage: boolean;
  carDoor: StatusRecord['carDoor']; serviceMode: StatusRecord['serviceMode']; powerSource: NonNullable<StatusRecord['powerSource']>; finalLimitUp: boolean;
  /** The code that keeps the lift from taking calls, if any. */
  lockout: string | undefined;
  /** A functional failure: out of service until the corrective visit. */
  failedComponent: Component | undefined;
}

/** A car at rest at `floor`, doors locked, in normal service on the mains. */
export function createCar(floor: number): Car {
  return {
    floor, phase: 'idle', passengers: 0, trip: undefined, pendingP1: undefined, stuckByOutage: false,
    carDoor: 'locked', serviceMode: 'normal', powerSource: 'mains', finalLimitUp: false, lockout: undefined, failedComponent: undefined,
  };
}

/** A trip under way: floors, start, motion limits and plan, 100 Hz samples (full fidelity), load and the P1 event it shows. */
export interface Trip {
  from: number; to: number; startMs: number; limits: { vMps: number; aMps2: number; jMps3: number }; plan: MotionPlan;
  samples: MotionSample[] | undefined; dir: 1 | -1; loadPct: number; p1: P1Kind | undefined; doorGlitched: boolean;
}

/** The lift's one trip object, overwritten at each start (one trip at a time: nothing to allocate per trip). */
export function createTrip(ratedMps: number, accelMps2: number, jerkMps3: number): Trip {
  const limits = { vMps: ratedMps, aMps2: accelMps2, jMps3: jerkMps3 };
  return { from: 1, to: 1, startMs: 0, limits, plan: sCurvePlan(3, limits), samples: undefined, dir: 1, loadPct: 0, p1: undefined, doorGlitched: false };
}

export interface Envelope { liftId: string; seq: number; ts: number }

/**
 * The envelope of the next record built whole by its maker (trip, door, env): the next sequence
 * number and the time. The makers copy its fields at once, so one object serves every record.
 */
export function createEnvelopes(liftId: string, run: LiftRun): () => Envelope {
  const next: Envelope = { liftId, seq: 0, ts: 0 };
  return () => {
    next.seq = run.seq++;
    next.ts = Math.round(run.t);
    return next;
  };
}
