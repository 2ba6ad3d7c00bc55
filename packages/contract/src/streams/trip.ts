import { Type, type Static } from '@sinclair/typebox';
import { EpochMs, Floor, record } from './envelope.js';

const num = (minimum: number, maximum: number, description: string) => Type.Number({ minimum, maximum, description });
const opt = (minimum: number, maximum: number, description: string) => Type.Optional(num(minimum, maximum, description));

/** `trip`: one summary per trip, computed at the edge (docs/telemetry.md#why-these-fields). */
export const TripRecord = record('trip', {
  fromFloor: Floor,
  toFloor: Floor,
  startTs: EpochMs,
  durationS: num(0, 3_600, 'Door-closed to stop, s'),
  distanceM: num(0, 1_000, 'Travelled distance, m'),
  vMaxMps: num(0, 20, 'Peak speed, m/s'),
  aMaxMps2: num(0, 20, 'Peak acceleration, m/s² (typical 0.3–1.5)'),
  dMaxMps2: num(0, 20, 'Peak deceleration, m/s² (typical 0.3–1.5)'),
  aA95Mps2: opt(0, 20, 'A95 acceleration, m/s²'),
  jerkMaxMps3: opt(0, 50, 'Peak jerk, m/s³ (typical 0.5–2.5)'),
  vibA95XMps2: opt(0, 20, 'ISO 18738 A95 vibration, x, m/s²'),
  vibA95YMps2: opt(0, 20, 'ISO 18738 A95 vibration, y, m/s²'),
  vibA95ZMps2: opt(0, 20, 'ISO 18738 A95 vibration, z, m/s²'),
  vibMaxPkPkXMps2: opt(0, 50, 'Max peak-to-peak vibration, x, m/s²'),
  vibMaxPkPkYMps2: opt(0, 50, 'Max peak-to-peak vibration, y, m/s²'),
  vibMaxPkPkZMps2: opt(0, 50, 'Max peak-to-peak vibration, z, m/s²'),
  vibKurtosisX: opt(0, 1_000, 'Kurtosis of x vibration'),
  vibKurtosisY: opt(0, 1_000, 'Kurtosis of y vibration'),
  stopErrMm: num(-2_000, 2_000, 'Stopping error at the landing, mm (target ±10)'),
  relevels: Type.Integer({ minimum: 0, maximum: 100, description: 'Re-levelling moves after the stop' }),
  slipMm: opt(-10_000, 10_000, 'Encoder vs car position drift over the trip, mm'),
  brakeLiftMs: opt(0, 10_000, 'Brake lift time, ms (typical 50–400)'),
  brakeDropMs: opt(0, 10_000, 'Brake drop time, ms (typical 50–400)'),
  creepAfterStopMm: opt(0, 100_000, 'Car movement after the brake dropped, mm'),
  motorIRmsA: opt(0, 1_000, 'Motor current RMS, A'),
  motorIPeakA: opt(0, 2_000, 'Motor current peak, A'),
  energyWh: opt(-10_000, 10_000, 'Energy, Wh (negative when regenerating)'),
  loadPctStart: opt(0, 200, 'Load at start, % of rated'),
  startFailures: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
}, 'One summary per trip');
export type TripRecord = Static<typeof TripRecord>;
