import type { RecordStream } from './streams/index.js';

/**
 * Names of stored telemetry: each record stream is one measurement (InfluxDB) or one `stream` value
 * (SQLite), tagged by lift. The numeric fields below are also kept as 1-minute and 1-hour rollups
 * (min, max, mean, count), so charts over months stay fast after the raw records expire.
 */
export function measurementOf(stream: RecordStream): string {
  return `lift_${stream}`;
}

export const ROLLUP_FIELDS: Readonly<Partial<Record<RecordStream, readonly string[]>>> = Object.freeze({
  trip: ['durationS', 'vMaxMps', 'aMaxMps2', 'dMaxMps2', 'jerkMaxMps3', 'stopErrMm', 'relevels', 'vibA95XMps2', 'vibA95YMps2', 'vibA95ZMps2', 'slipMm', 'brakeLiftMs', 'brakeDropMs', 'creepAfterStopMm', 'motorIRmsA', 'energyWh'],
  door: ['openS', 'dwellS', 'closeS', 'lockMadeMs', 'reopens', 'curtainInterrupts', 'doorMotorIMeanA', 'doorMotorIPeakA'],
  env: ['machineRoomTempC', 'machineRoomRhPct', 'motorWindingTempC', 'driveHeatsinkTempC', 'brakeCoilTempC', 'carTempC', 'supplyVoltageV'],
});

/** Rollup resolutions, ms. */
export const ROLLUP_MINUTE_MS = 60_000;
export const ROLLUP_HOUR_MS = 3_600_000;
