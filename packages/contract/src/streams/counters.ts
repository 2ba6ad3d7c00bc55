import { Type, type Static } from '@sinclair/typebox';
import { EpochMs, record } from './envelope.js';

const count = (description: string) => Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description }));

/** `counters`: cumulative counters, hourly plus a daily rollup (docs/telemetry.md#why-these-fields). */
export const CountersRecord = record('counters', {
  tripsTotal: count('Starts since commissioning'),
  runHoursTotal: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
  doorCyclesTotal: count('Door cycles'),
  ropeBendsTotal: count('Rope bends (sheave passes), 钢丝绳折弯次数'),
  brakeCyclesTotal: count('Brake cycles'),
  relevelsTotal: count('Re-levelling moves'),
  powerOnHours: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
  alarmSelfTestLastTs: Type.Optional(EpochMs),
}, 'Cumulative counters');
export type CountersRecord = Static<typeof CountersRecord>;
