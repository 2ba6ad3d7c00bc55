import { Type, type Static } from '@sinclair/typebox';
import { EpochMs, record } from './envelope.js';

/** `wave`: a short raw window, sent on request or on anomaly, never one message per sample (docs/telemetry.md#why-these-fields). */
export const WaveRecord = record('wave', {
  channel: Type.Union([Type.Literal('vibX'), Type.Literal('vibY'), Type.Literal('vibZ'), Type.Literal('motorI'), Type.Literal('doorI')]),
  fsHz: Type.Number({ minimum: 1, maximum: 100_000 }),
  unit: Type.Union([Type.Literal('m/s2'), Type.Literal('A')]),
  startTs: EpochMs,
  scale: Type.Number({ exclusiveMinimum: 0, description: 'Physical value = sample × scale' }),
  samples: Type.Array(Type.Integer({ minimum: -32768, maximum: 32767 }), { minItems: 1, maxItems: 32_768 }),
  tripSeq: Type.Optional(Type.Integer({ minimum: 0 })),
}, 'Raw signal window');
export type WaveRecord = Static<typeof WaveRecord>;
