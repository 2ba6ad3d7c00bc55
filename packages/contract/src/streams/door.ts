import { Type, type Static } from '@sinclair/typebox';
import { Floor, record } from './envelope.js';

/** `door`: one summary per door cycle (docs/telemetry.md#why-these-fields). Door times per GB/T 10058 Table 1 are 3.2–4.9 s per movement. */
export const DoorRecord = record('door', {
  floor: Floor,
  side: Type.Union([Type.Literal('A'), Type.Literal('B')]),
  openS: Type.Number({ minimum: 0, maximum: 120, description: 'Opening time, s (typical 1.5–6)' }),
  dwellS: Type.Number({ minimum: 0, maximum: 86_400, description: 'Fully-open time, s' }),
  closeS: Type.Number({ minimum: 0, maximum: 120, description: 'Closing time, s (typical 1.5–7)' }),
  lockMadeMs: Type.Optional(Type.Number({ minimum: 0, maximum: 60_000, description: 'Closed to lock contact made, ms' })),
  reopens: Type.Integer({ minimum: 0, maximum: 1_000 }),
  curtainInterrupts: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  obstructedClose: Type.Optional(Type.Boolean()),
  doorMotorIMeanA: Type.Optional(Type.Number({ minimum: 0, maximum: 50 })),
  doorMotorIPeakA: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  doorImpactG: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  result: Type.Union([Type.Literal('ok'), Type.Literal('timeoutOpen'), Type.Literal('timeoutClose'), Type.Literal('lockFail')]),
}, 'One summary per door cycle');
export type DoorRecord = Static<typeof DoorRecord>;
