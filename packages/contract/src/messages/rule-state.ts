import { Type, type Static } from '@sinclair/typebox';
import { StatusRecord } from '../streams/status.js';

/**
 * A running entrapment timer as saved: `elapsedMs` by the saving node's clock at wall time
 * `savedAt`, plus downtime not yet confirmed by a status. Saves of older versions held `sinceRx`
 * and `lastRx` (server times) instead of `elapsedMs`.
 */
export const SavedRuleTimer = Type.Object({
  sinceTs: Type.Number({ description: 'Device time the condition started, ms' }),
  floor: Type.Integer(),
  last: StatusRecord,
  fired: Type.Boolean(),
  elapsedMs: Type.Optional(Type.Number()),
  savedAt: Type.Optional(Type.Number()),
  unconfirmedMs: Type.Optional(Type.Number()),
  sinceRx: Type.Optional(Type.Number()),
  lastRx: Type.Optional(Type.Number()),
});
export type SavedRuleTimer = Static<typeof SavedRuleTimer>;

/**
 * What the safety rules compare of a lift's previous status: its order (seq, device time), its speed
 * and its doors. Saves of older versions held the whole status: other fields are allowed, not read.
 */
export const LastStatus = Type.Pick(StatusRecord, ['liftId', 'ts', 'seq', 'speedMps', 'carDoor', 'carDoorB'], { additionalProperties: true });
export type LastStatus = Static<typeof LastStatus>;

/** What the safety rules remember of one lift, as JSON: rated speed, last status, open conditions, entrapment timer. */
export const SavedRuleState = Type.Object({
  ratedSpeedMps: Type.Optional(Type.Number()),
  last: Type.Optional(LastStatus),
  active: Type.Array(Type.Tuple([Type.String(), Type.String()]), { description: 'Open conditions: [key, code]' }),
  still: Type.Optional(SavedRuleTimer),
});
export type SavedRuleState = Static<typeof SavedRuleState>;

/** One lift's entry in the rule state that ingest nodes share through Redis: the state, when and by which node it was saved. */
export const SharedRuleStateEntry = Type.Object({
  state: SavedRuleState,
  savedAt: Type.Number({ description: 'Wall time of the save, ms' }),
  node: Type.String(),
});
export type SharedRuleStateEntry = Static<typeof SharedRuleStateEntry>;
