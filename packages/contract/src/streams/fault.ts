import { Type, type Static } from '@sinclair/typebox';
import { Direction, Floor, record } from './envelope.js';
import { DoorState } from './status.js';

export const Severity = Type.Union([Type.Literal('P1'), Type.Literal('P2'), Type.Literal('P3'), Type.Literal('P4')]);
export type Severity = Static<typeof Severity>;

/**
 * `fault`: a raise/clear pair, sent on the transition; active faults are re-sent every 10–60 s
 * (domain §6a). `code` is a liftwatch code from the code table (codes.ts); the GB/T, 15-fault and
 * EN 627 numbers are looked up from it, so the terminal need not send them.
 */
export const FaultRecord = record('fault', {
  code: Type.String({ pattern: '^[EDUQ][0-9]{2}$', description: 'liftwatch fault code, e.g. E01' }),
  state: Type.Union([Type.Literal('raised'), Type.Literal('cleared')]),
  severity: Type.Optional(Severity),
  detail: Type.Optional(Type.String({ maxLength: 200, description: 'Free text from the detector, e.g. "top" for overtravel' })),
  floor: Type.Optional(Floor),
  posMm: Type.Optional(Type.Number({ minimum: -5_000, maximum: 1_000_000 })),
  direction: Type.Optional(Direction),
  speedMps: Type.Optional(Type.Number({ minimum: -20, maximum: 20 })),
  doorState: Type.Optional(DoorState),
  passengersPresent: Type.Optional(Type.Boolean()),
  detector: Type.Union([Type.Literal('controller'), Type.Literal('terminalRule'), Type.Literal('model')]),
  confidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
}, 'A fault raised or cleared by the controller, a terminal rule or a model');
export type FaultRecord = Static<typeof FaultRecord>;
