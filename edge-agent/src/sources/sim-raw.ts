import type { RawWindow } from '@liftwatch/simulator';
import type { DoorRaw, TripRaw } from '../edge/raw.js';

type SimTripWindow = Extract<RawWindow, { kind: 'trip' }>;
type SimDoorWindow = Extract<RawWindow, { kind: 'door' }>;

/** A simulated trip's raw window as the edge computation takes it (the sensors a terminal reads). */
export function tripRawOf(w: SimTripWindow): TripRaw {
  const v = w.vibration;
  return {
    startTs: w.startTs, fromFloor: w.fromFloor, toFloor: w.toFloor, targetPosM: w.targetPosM,
    posM: { fsHz: w.fsHz, samples: w.posM },
    motorIA: { fsHz: w.fsHz, samples: w.motorIA },
    powerW: { fsHz: w.fsHz, samples: w.powerW },
    vib: { x: { fsHz: v.fsHz, samples: v.x }, y: { fsHz: v.fsHz, samples: v.y }, z: { fsHz: v.fsHz, samples: v.z } },
    relevels: w.relevels, brakeLiftMs: w.brakeLiftMs, brakeDropMs: w.brakeDropMs, loadPctStart: w.loadPctStart,
  };
}

/** A simulated door cycle's raw window as the edge computation takes it. */
export function doorRawOf(w: SimDoorWindow): DoorRaw {
  return { startTs: w.startTs, floor: w.floor, side: 'A', position: { fsHz: w.fsHz, samples: w.position }, motorIA: w.currentA, lock: w.lock, curtain: w.curtain };
}
