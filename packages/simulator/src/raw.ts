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
