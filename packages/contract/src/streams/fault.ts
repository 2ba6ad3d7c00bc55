import { Type, type Static } from '@sinclair/typebox';
import { Direction, Floor, record } from './envelope.js';
import { DoorState } from './status.js';

export const Severity = Type.Union([Type.Literal('P1'), Type.Literal('P2'), Type.Literal('P3'), Type.Literal('P4')]);
export type Severity = Static<typeof Severity>;

/** The code schemes a terminal may report a fault in besides liftwatch's own (code-schemes.ts). */
export const SourceScheme = Type.Union([Type.Literal('gbt24476-2017'), Type.Literal('gov15')], {
  description: "Scheme of sourceCode: gbt24476-2017 (GB/T 24476-2017 fault and event codes) or gov15 (the regulators' 15-fault list and its extensions)",
});

/**
 * `fault`: a raise/clear pair, sent on the transition; active faults are re-sent every 10–60 s.
 * The terminal names the fault either by `code`, a liftwatch code from the code table (codes.ts),
 * or by `sourceScheme` + `sourceCode`, the code its controller or government platform uses; the
 * platform then fills `code` from the mapping tables and keeps the original beside it. Both may be
 * sent when they agree.
 */
export const FaultRecord = record('fault', {
  code: Type.Optional(Type.String({ pattern: '^[EDUQS][0-9]{2}$', description: 'liftwatch fault code, e.g. E01; filled by the platform from sourceCode when absent' })),
  sourceScheme: Type.Optional(SourceScheme),
  sourceCode: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: 'The fault code as the controller or government platform numbers it, e.g. "11" (GB/T 24476-2017 entrapment) or "7" (15-fault 平层关人)' })),
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
/** A fault record as the platform stores it: `code` is always there (sent or mapped from sourceCode). */
export type FaultRecord = Static<typeof FaultRecord> & { code: string };
