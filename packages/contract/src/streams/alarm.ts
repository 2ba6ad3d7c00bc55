import { Type, type Static } from '@sinclair/typebox';
import { EpochMs, Floor, record } from './envelope.js';

/** `alarm`: the EN 81-28 remote-alarm lifecycle plus the Chinese rescue steps (docs/telemetry.md#why-these-fields). */
export const AlarmRecord = record('alarm', {
  kind: Type.Union([Type.Literal('button'), Type.Literal('intercom'), Type.Literal('autoEntrapment'), Type.Literal('pit'), Type.Literal('carRoof')]),
  state: Type.Union([Type.Literal('raised'), Type.Literal('acknowledged'), Type.Literal('ended'), Type.Literal('falseAlarm')]),
  floor: Type.Optional(Floor),
  passengersPresent: Type.Optional(Type.Boolean()),
  dispatchTs: Type.Optional(EpochMs),
  respondTs: Type.Optional(EpochMs),
  arriveTs: Type.Optional(EpochMs),
  releaseTs: Type.Optional(EpochMs),
  rescueTier: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)], { description: '1 maintenance unit, 2 grid rescue, 3 fire service (119)' })),
  videoConfirmPersons: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
}, 'Remote alarm and entrapment lifecycle');
export type AlarmRecord = Static<typeof AlarmRecord>;
