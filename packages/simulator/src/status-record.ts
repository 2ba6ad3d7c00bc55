import { CONTRACT_VERSION, type RecordOf, type StatusRecord } from '@liftwatch/contract';
import { signalDbm } from './comms.js';
import type { CommsSpec } from './fault-plan.js';
import type { Envelope } from './lift-run.js';
import type { Random } from './prng.js';
import { round1, round3 } from './round.js';
import { RATED_LOAD_KG } from './trip-physics.js';

/** Landing to landing, m. */
export const FLOOR_HEIGHT_M = 3.0;
/** Half the door zone around a landing, m: the doors may open inside it. */
export const DOOR_ZONE_M = 0.2;

/** What a status snapshot shows of the car and its controller. */
export interface CarSnapshot {
  serviceMode: StatusRecord['serviceMode']; speedMps: number; posM: number; floors: number; carDoor: StatusRecord['carDoor'];
  passengers: number; powerSource: NonNullable<StatusRecord['powerSource']>; finalLimitUp: boolean;
}

/** A status record of the car: direction from the speed, floor and door zone from the position, load from the passengers (75 kg each). */
export function statusRecord(e: Envelope, car: CarSnapshot): StatusRecord {
  const speed = car.speedMps;
  const nearest = Math.round(car.posM / FLOOR_HEIGHT_M);
  const door = car.carDoor;
  return {
    schemaVersion: CONTRACT_VERSION, liftId: e.liftId, seq: e.seq, ts: e.ts,
    serviceMode: car.serviceMode, direction: speed > 0.01 ? 'up' : speed < -0.01 ? 'down' : 'none',
    floor: Math.min(car.floors, Math.max(1, nearest + 1)), posMm: Math.round(car.posM * 1000), speedMps: round3(speed),
    doorZone: Math.abs(car.posM - nearest * FLOOR_HEIGHT_M) <= DOOR_ZONE_M, carDoor: door,
    landingDoorLocked: door === 'locked', safetyChainOk: true, doorLockChainOk: door === 'locked',
    passengersPresent: car.passengers > 0, loadPct: round1(car.passengers * 75 / RATED_LOAD_KG * 100), powerSource: car.powerSource,
    finalLimitUp: car.finalLimitUp, finalLimitDown: false,
  };
}

/** The terminal's own record: firmware, signal strength (the comms spec's, with noise) and uptime since `startMs`, at `t`. */
export function deviceRecord(e: Envelope, rnd: Random, comms: CommsSpec | undefined, startMs: number, t: number): RecordOf<'device'> {
  const rssi = signalDbm(comms, startMs, t);
  return { schemaVersion: CONTRACT_VERSION, liftId: e.liftId, seq: e.seq, ts: e.ts, fwVersion: 'sim-2', rssiDbm: Math.round(rnd.normal(rssi, 3)), bufferBacklog: 0, uptimeS: Math.round((t - startMs) / 1000) };
}

/** The controller's running totals since the start: trips, door cycles, relevels, brake cycles (a trip or a relevel each), rope bends (three a trip), run hours. */
export function countersRecord(e: Envelope, totals: { trips: number; doors: number; relevels: number; runS: number }): RecordOf<'counters'> {
  return {
    schemaVersion: CONTRACT_VERSION, liftId: e.liftId, seq: e.seq, ts: e.ts, tripsTotal: totals.trips, doorCyclesTotal: totals.doors, relevelsTotal: totals.relevels,
    brakeCyclesTotal: totals.trips + totals.relevels, ropeBendsTotal: totals.trips * 3, runHoursTotal: round3(totals.runS / 3600),
  };
}
