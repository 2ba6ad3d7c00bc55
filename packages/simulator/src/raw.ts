import type { TripRecord } from '@liftwatch/contract';
import type { MotionSample } from './motion.js';
import type { VibrationWindow } from './vibration.js';

/**
 * Raw windows (option `raw: true`, full fidelity): the signals a terminal's sensors would give for
 * each trip and door cycle, so the edge agent computes its summaries from samples. The summary
 * record the simulator emits for the same trip or cycle (`recordSeq`) agrees with what the edge
 * computation finds in them (edge-agent/test checks it):
 * - trip: car position from the bottom landing (encoder, 100 Hz, equally spaced to the end), the
 *   target landing's position (the stop error is the distance to it), speed and acceleration, drive
 *   current and electrical power, the car-vibration window x, y, z at 256 Hz over the
 *   constant-speed region (`startOffsetS` after the start), and what the controller reports
 *   beside the signals (floors, relevels, brake times, load);
 * - door: panel opening 0 (closed) … 1 (open), door-motor current, lock contact (1 made) and light
 *   curtain (1 interrupted) at 100 Hz over opening, dwell, reopens, closing and the lock being made.
 */
export type RawWindow =
  | {
    kind: 'trip'; liftId: string; recordSeq: number; startTs: number; fsHz: 100;
    fromFloor: number; toFloor: number; targetPosM: number;
    posM: number[]; speedMps: number[]; accelMps2: number[]; motorIA: number[]; powerW: number[];
    relevels: number; brakeLiftMs: number; brakeDropMs: number; loadPctStart: number;
    vibration: { fsHz: number; startOffsetS: number; x: number[]; y: number[]; z: number[] };
  }
  | { kind: 'door'; liftId: string; recordSeq: number; startTs: number; fsHz: 100; floor: number; position: number[]; currentA: number[]; lock: number[]; curtain: number[] };

/** The raw window of one trip: motion samples (absolute positions), drive signals and vibration. */
export function tripRaw(x: {
  liftId: string; recordSeq: number; startMs: number; fromFloor: number; toFloor: number; fromPosM: number; targetPosM: number; dir: 1 | -1;
  samples: readonly MotionSample[]; drive: { currentA: readonly number[]; powerW: readonly number[] }; vibration: VibrationWindow; record: TripRecord;
}): RawWindow {
  const r4 = (v: number) => Math.round(v * 1e4) / 1e4;
  const r5 = (v: number) => Math.round(v * 1e5) / 1e5; // a 0.01 mm encoder
  const r2 = (v: number) => Math.round(v * 100) / 100;
  const v = x.vibration;
  return {
    kind: 'trip', liftId: x.liftId, recordSeq: x.recordSeq, startTs: Math.round(x.startMs), fsHz: 100,
    fromFloor: x.fromFloor, toFloor: x.toFloor, targetPosM: x.targetPosM,
    posM: x.samples.map((s) => r5(x.fromPosM + x.dir * s.pos)), speedMps: x.samples.map((s) => r4(x.dir * s.v)), accelMps2: x.samples.map((s) => r4(x.dir * s.a)),
    motorIA: x.drive.currentA.map(r2), powerW: x.drive.powerW.map((p) => Math.round(p)),
    relevels: x.record.relevels, brakeLiftMs: x.record.brakeLiftMs ?? 0, brakeDropMs: x.record.brakeDropMs ?? 0, loadPctStart: x.record.loadPctStart ?? 0,
    vibration: { fsHz: v.fsHz, startOffsetS: Math.round(v.startOffsetS * 1000) / 1000, x: Array.from(v.x), y: Array.from(v.y), z: Array.from(v.z) },
  };
}

/**
 * The car stops off the landing by the trip's stop error: the sampled profile is stretched to travel
 * that much more or less, and the trip record's kinematics are taken from the samples, so that the
 * record is what an edge computation finds in them.
 */
export function stopOffLanding(samples: MotionSample[], dir: 1 | -1, fields: TripRecord): void {
  const planned = samples[samples.length - 1]!.pos;
  const f = planned > 0 ? (planned + dir * fields.stopErrMm / 1000) / planned : 1;
  for (const s of samples) { s.pos *= f; s.v *= f; s.a *= f; }
  fields.vMaxMps = Math.round(samples.reduce((m, s) => Math.max(m, s.v), 0) * 1000) / 1000;
  fields.durationS = Math.round(samples[samples.length - 1]!.t * 100) / 100;
  fields.distanceM = Math.round(samples[samples.length - 1]!.pos * 100) / 100;
}
