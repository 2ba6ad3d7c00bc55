import { Type, type Static } from '@sinclair/typebox';

/**
 * `presence`: the terminal's own online state, retained, with the last will "offline".
 * A last will is fixed when the terminal connects, so this message has no seq and an optional ts.
 */
export const PresenceRecord = Type.Object({
  state: Type.Union([Type.Literal('online'), Type.Literal('offline')]),
  ts: Type.Optional(Type.Integer({ minimum: 0 })),
  terminalId: Type.Optional(Type.String({ maxLength: 128 })),
}, { $id: 'presence', additionalProperties: false, description: 'Terminal online/offline (retained, last will)' });
export type PresenceRecord = Static<typeof PresenceRecord>;
