import { Type, type Static } from '@sinclair/typebox';
import { record } from './envelope.js';

const opt = (minimum: number, maximum: number, description: string) => Type.Optional(Type.Number({ minimum, maximum, description }));

/**
 * `env`: machine-room and drive temperatures, humidity, supply, and the slow readings of a retrofit
 * sensor kit (vibration level, bearing), about every 60 s: one summary of a window of samples,
 * never one message per sample.
 */
export const EnvRecord = record('env', {
  machineRoomTempC: opt(-50, 90, 'Machine-room air, °C (normal +5…+40)'),
  machineRoomRhPct: opt(0, 100, 'Machine-room relative humidity, %'),
  motorWindingTempC: opt(-50, 250, 'Motor winding, °C (class F limit 155)'),
  driveHeatsinkTempC: opt(-50, 150, 'Drive heatsink, °C (trip about 85–95)'),
  brakeCoilTempC: opt(-50, 250, 'Brake coil, °C'),
  carTempC: opt(-50, 90, 'Car air, °C'),
  pitWater: Type.Optional(Type.Boolean()),
  supplyVoltageV: opt(0, 1_000, 'Mains supply, V'),
  baroHpa: opt(300, 1_100, 'Barometric pressure, hPa'),
  vibrationDb: opt(-100, 200, 'Vibration level of the machine as a sensor kit reports it, dB (the reference level is the sensor\'s)'),
  bearingRev: opt(0, 1e9, 'Ball-bearing sensor reading as a sensor kit reports it, revolutions'),
}, 'Environment and slow sensor-kit readings');
export type EnvRecord = Static<typeof EnvRecord>;
