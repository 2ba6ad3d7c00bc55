import type { MotionSample } from './motion.js';
import type { VibrationWindow } from './vibration.js';

/**
 * Raw windows (option `raw: true`, full fidelity): the signals a terminal's sensors would give for
 * each trip and door cycle, so the edge agent can compute its summaries from samples. The summary
 * record the simulator emits for the same trip or cycle (`recordSeq`) agrees with them:
 * - trip: position, speed and acceleration of the jerk-limited profile at 100 Hz (`vMaxMps`,
 *   `aMaxMps2`, `durationS`, `distanceM` are taken from these samples), and the car-vibration window
 *   x, y, z at 256 Hz over the constant-speed region, `startOffsetS` after the start, from which
 *   `vib*` fields were computed (ISO 18738-1 peak-to-peak, A95, max; see vibration.ts);
 * - door: panel opening 0–1 and door-motor current at 100 Hz over open, dwell and close, whose
 *   movement lengths are `openS` / `dwellS` / `closeS` and whose mean and max current per movement are
 *   `doorMotorIMeanA` / `doorMotorIPeakA`.
 */
export type RawWindow =
  | {
    kind: 'trip'; liftId: string; recordSeq: number; startTs: number; fsHz: 100;
    posM: number[]; speedMps: number[]; accelMps2: number[];
    vibration: { fsHz: number; startOffsetS: number; x: number[]; y: number[]; z: number[] };
  }
  | { kind: 'door'; liftId: string; recordSeq: number; startTs: number; fsHz: 100; position: number[]; currentA: number[] };

/** The raw window of one trip from its motion samples and vibration window. */
export function tripRaw(liftId: string, recordSeq: number, startMs: number, samples: readonly MotionSample[], v: VibrationWindow): RawWindow {
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  return {
    kind: 'trip', liftId, recordSeq, startTs: Math.round(startMs), fsHz: 100,
    posM: samples.map((s) => r4(s.pos)), speedMps: samples.map((s) => r4(s.v)), accelMps2: samples.map((s) => r4(s.a)),
    vibration: { fsHz: v.fsHz, startOffsetS: Math.round(v.startOffsetS * 1000) / 1000, x: Array.from(v.x), y: Array.from(v.y), z: Array.from(v.z) },
  };
}
