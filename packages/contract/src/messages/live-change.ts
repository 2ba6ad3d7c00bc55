import { Type, type Static } from '@sinclair/typebox';
import { AlertView } from '../api.js';

/**
 * A change the console's live page should see, as nodes pass it on: lifts whose summary changed,
 * an alert's new view, or a user whose sessions were closed (disabled, new password), whose live
 * streams end. Objects are open: a newer node may add a field, an older one reads what it knows.
 */
export const LiveChange = Type.Union([
  Type.Object({ kind: Type.Literal('lifts'), liftIds: Type.Array(Type.String()) }),
  Type.Object({ kind: Type.Literal('alert'), alert: AlertView }),
  Type.Object({ kind: Type.Literal('sessions'), userId: Type.String() }),
]);
export type LiveChange = Static<typeof LiveChange>;

/** One message of the change feed on Redis pub/sub: the node that made the change (it skips its own), and the change. */
export const ChangeFeedMessage = Type.Object({
  node: Type.String({ description: 'host:pid:random of the sending node' }),
  change: LiveChange,
});
export type ChangeFeedMessage = Static<typeof ChangeFeedMessage>;
