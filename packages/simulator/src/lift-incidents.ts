import type { RecordOf, RecordStream, StatusRecord } from '@liftwatch/contract';
import { CORRECTIVE_REPAIRS, type ControllerLogic, type FaultEmission } from './controller.js';
import type { Component } from './fault-plan.js';
import type { TruthRecord } from './ground-truth.js';
import type { Car, LiftRun, Phase, Trip } from './lift-run.js';
import { rescueTimeline, type P1Kind } from './p1.js';
import type { Random } from './prng.js';
import type { createServiceLogic } from './service.js';
import { FLOOR_HEIGHT_M } from './status-record.js';

const NEVER = Number.POSITIVE_INFINITY;

/** What the handlers of a lift's incidents read and call: its state and the lift's own steps. */
export interface LiftCore {
  readonly liftId: string; readonly car: Car; readonly run: LiftRun; readonly floors: number;
  readonly rnd: Random; readonly physRnd: Random; readonly ctrl: ControllerLogic; readonly service: ReturnType<typeof createServiceLogic>;
  /** Share of power outages that trap the passengers of a moving car (the rescue device fails). */
  readonly ardFailProb: number;
  status(extra?: Partial<StatusRecord>): void;
  setPhase(p: Phase, durationMs: number): void;
  goIdle(): void;
  startDoorCycle(): void;
  emitFaults(list: readonly FaultEmission[]): void;
  emit<S extends RecordStream>(stream: S, fields: Omit<RecordOf<S>, 'schemaVersion' | 'liftId' | 'seq' | 'ts'>): number;
  addTruth(r: TruthRecord): void;
  /** Sets the car's position to the trip's sample at `now` (full fidelity). */
  sampleAt(tr: Trip, now: number): unknown;
  /** Ground-truth health lines of every component now (with ground truth on). */
  healthTruth(): void;
}

/** The end of a trip that showed a P1 event with an aftermath of its own; false for the others (they end at a landing like any trip). */
export function p1Aftermath(l: LiftCore, p1: P1Kind | undefined): boolean {
  const { car, run, rnd } = l;
  if (p1 === 'entrapment') {
    l.setPhase('stuck', rnd.uniform(120_000, 240_000));
    run.stuckAlarmAt = run.t + rnd.uniform(20_000, 40_000);
    l.status();
  } else if (p1 === 'overtravelTop') {
    car.finalLimitUp = true;
    car.serviceMode = 'outOfService';
    l.setPhase('outOfService', rnd.uniform(90_000, 180_000));
    l.status({ speedMps: 0.12, direction: 'up' });
    l.status();
  } else if (p1 === 'unintendedMovement') {
    car.carDoor = 'open';
    l.status({ speedMps: -0.09, direction: 'down', doorZone: false });
    l.startDoorCycle();
  } else return false;
  return true;
}

/** The UCM device stopped the car (E02): out of service until the corrective visit. */
export function stoppedByUcm(l: LiftCore): void {
  const car = l.car;
  car.serviceMode = 'outOfService';
  car.passengers = 0;
  car.carDoor = 'open';
  l.status({ speedMps: 0, doorZone: false });
  car.carDoor = 'locked';
  car.phase = 'outOfService';
  l.run.phaseEndsAt = NEVER;
  l.status();
}

/** Rescue: the car is brought to the nearest landing and the passengers leave. */
export function rescued(l: LiftCore): void {
  const { car, run } = l;
  run.pos = Math.round(run.pos / FLOOR_HEIGHT_M) * FLOOR_HEIGHT_M;
  car.floor = Math.round(run.pos / FLOOR_HEIGHT_M) + 1;
  if (run.stuckAlarmAt === NEVER) l.emit('alarm', { kind: 'button', state: 'ended', floor: car.floor, passengersPresent: false, ...rescueTimeline(run.alarmRaisedAt, run.t, l.physRnd) });
  run.stuckAlarmAt = NEVER;
  car.passengers = 0;
  if (car.stuckByOutage) {
    car.stuckByOutage = false;
    car.phase = 'powerOff';
    run.phaseEndsAt = NEVER;
    car.carDoor = 'open';
    l.status();
    car.carDoor = 'locked';
    l.status();
    return;
  }
  l.startDoorCycle();
}

/** After an overtravel at the top: the final limit reset in inspection, the car back in service at the top landing. */
export function overtravelReset(l: LiftCore): void {
  const car = l.car;
  car.finalLimitUp = false;
  l.run.pos = (l.floors - 1) * FLOOR_HEIGHT_M;
  car.floor = l.floors;
  car.passengers = 0;
  car.serviceMode = 'inspection';
  l.status();
  car.serviceMode = 'normal';
  l.goIdle();
  l.status();
}

/** Mains lost: the car stops where it is; the automatic rescue device may bring it to a landing. */
export function powerLost(l: LiftCore): void {
  const { car, run } = l;
  car.powerSource = 'battery';
  car.serviceMode = 'outOfService';
  l.emitFaults(l.ctrl.powerLost(car.passengers > 0));
  const trip = car.trip;
  if (car.phase === 'moving' && trip) {
    if (trip.samples) l.sampleAt(trip, run.t);
    else run.pos = (trip.from - 1) * FLOOR_HEIGHT_M + trip.dir * Math.min(1, (run.t - trip.startMs) / 1000 / trip.plan.durationS) * Math.abs(trip.to - trip.from) * FLOOR_HEIGHT_M;
    car.trip = undefined;
    car.floor = Math.min(l.floors, Math.max(1, Math.round(run.pos / FLOOR_HEIGHT_M) + 1));
    if (car.passengers > 0 && l.physRnd.next() < l.ardFailProb) {
      car.stuckByOutage = true;
      l.setPhase('stuck', l.physRnd.lognormal(17 * 60_000, 0.5)); // rescue arrival: city median about 17 min (docs/simulator.md)
      run.stuckAlarmAt = run.t + l.physRnd.uniform(20_000, 90_000);
      car.carDoor = 'locked';
      l.status({ speedMps: 0 });
      return;
    }
    run.pos = Math.round(run.pos / FLOOR_HEIGHT_M) * FLOOR_HEIGHT_M; // the rescue device levels the car
    car.floor = Math.round(run.pos / FLOOR_HEIGHT_M) + 1;
  }
  car.passengers = 0;
  car.phase = 'powerOff';
  run.phaseEndsAt = NEVER;
  car.carDoor = 'open';
  l.status();
  car.carDoor = 'locked';
  l.status();
}

/** Mains back: in service at once, unless a rescue is on its way (the car waits for it). */
export function powerBack(l: LiftCore): void {
  const car = l.car;
  car.powerSource = 'mains';
  l.emitFaults(l.ctrl.powerBack());
  if (car.phase === 'stuck') { car.stuckByOutage = false; return; }
  car.serviceMode = 'normal';
  l.goIdle();
  l.status();
}

/** A functional failure: the lift takes no more calls, the passengers leave, a crew is called. */
export function takeOutOfService(l: LiftCore, code: string, component: Component): void {
  const car = l.car;
  car.lockout = code;
  car.failedComponent = component;
  l.run.correctiveAt = l.run.t + l.service.correctiveAfterMs();
  if (car.serviceMode === 'normal') {
    car.serviceMode = 'outOfService';
    if (car.phase !== 'moving') l.status();
  }
}

/** A maintenance visit: the crew repairs (a corrective visit also clears the failure and its codes) and leaves the lift in inspection for 45 min if it was free. */
export function visit(l: LiftCore, kind: 'routine' | 'corrective'): void {
  const { car, run } = l;
  const repaired = kind === 'routine' ? l.service.routine(run.t) : l.service.corrective(run.t, car.failedComponent);
  l.addTruth({ type: 'maintenance', liftId: l.liftId, ts: Math.round(run.t), visit: kind, repaired });
  if (kind === 'corrective') {
    car.failedComponent = undefined;
    l.emitFaults(l.ctrl.repaired(Object.keys(CORRECTIVE_REPAIRS).concat(['E06', 'E17'])));
    car.lockout = undefined;
    run.correctiveAt = NEVER;
  }
  car.serviceMode = 'inspection';
  if (car.phase === 'idle' || car.phase === 'outOfService') l.setPhase('maintenance', 45 * 60_000);
  l.status();
  if (car.phase !== 'maintenance') car.serviceMode = afterVisitMode(car);
  l.healthTruth();
}

/** In service after a visit, unless a failure still waits for its corrective visit. */
export function afterVisitMode(car: Car): StatusRecord['serviceMode'] {
  return car.failedComponent !== undefined ? 'outOfService' : 'normal';
}
