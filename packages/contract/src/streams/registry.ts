import { Type, type Static } from '@sinclair/typebox';
import { Floor, record } from './envelope.js';

/**
 * `registry`: the lift's static profile (docs/telemetry.md#why-these-fields), retained, sent on change and daily.
 * The rated speed is what the overspeed rule compares against.
 */
export const RegistryRecord = record('registry', {
  ratedSpeedMps: Type.Number({ minimum: 0.1, maximum: 20, description: 'Rated speed, m/s' }),
  ratedLoadKg: Type.Optional(Type.Number({ minimum: 100, maximum: 10_000 })),
  lowestFloor: Type.Optional(Floor),
  highestFloor: Type.Optional(Floor),
  travelM: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000 })),
  type: Type.Optional(Type.Union([Type.Literal('traction'), Type.Literal('mrl'), Type.Literal('hydraulic'), Type.Literal('escalator')])),
  registrationCode: Type.Optional(Type.String({ maxLength: 32, description: '注册代码 (20 characters)' })),
  areaCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: 'GB/T 2260 administrative area code' })),
  name: Type.Optional(Type.String({ maxLength: 200 })),
  address: Type.Optional(Type.String({ maxLength: 400 })),
}, 'Static lift profile');
export type RegistryRecord = Static<typeof RegistryRecord>;
