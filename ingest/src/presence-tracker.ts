import type { LiftState, LiftTable } from './lift-table.js';
import type { PresenceOp } from './store/store-op.js';

/**
 * Terminal presence from MQTT sessions (docs/lessons.md#3-offline-detection-that-cannot-be-trusted): a lift is online while a client that sends its
 * records (or its retained presence) is connected, offline when the broker says that client is gone
 * (a clean DISCONNECT sends no last will) or when its last will says so. Kept in each lift's state
 * (lift-table.ts); the state writes are added to the message's operations.
 */
export function createPresenceTracker(lifts: LiftTable) {
  /** The lifts each client sent records of; a lift that moved on to another client is skipped when this one goes. */
  const liftsByClient = new Map<string, Set<LiftState>>();

  /** A client that sends a lift's records speaks for it (nothing to do, the usual case: the same client, online). */
  function seenFrom(clientId: string, lift: LiftState, rx: number, ops: PresenceOp[] | { push(op: PresenceOp): unknown }): void {
    if (lift.client === clientId && lift.presence === 'online') return;
    if (lift.client !== clientId) {
      let set = liftsByClient.get(clientId);
      if (!set) liftsByClient.set(clientId, (set = new Set()));
      set.add(lift);
      lift.client = clientId;
    }
    if (lift.presence === 'online') return;
    lift.presence = 'online';
    ops.push({ kind: 'presence', liftId: lift.liftId, state: 'online', rx });
  }

  /** A presence message (retained online, or the last will's offline). */
  function declared(liftId: string, state: 'online' | 'offline', clientId: string | null, rx: number): PresenceOp[] {
    const lift = lifts.of(liftId);
    lift.presence = state;
    if (clientId !== null && state === 'online') seenFrom(clientId, lift, rx, []);
    return [{ kind: 'presence', liftId, state, rx }];
  }

  /** The broker says a client's connection is gone: the lifts it spoke for are offline until they speak again. */
  function clientGone(clientId: string, rx: number): PresenceOp[] {
    const set = liftsByClient.get(clientId);
    liftsByClient.delete(clientId);
    const ops: PresenceOp[] = [];
    for (const lift of set ?? []) {
      if (lift.client !== clientId) continue;
      lift.client = undefined;
      lift.presence = 'offline';
      ops.push({ kind: 'presence', liftId: lift.liftId, state: 'offline', rx });
    }
    return ops;
  }

  return { seenFrom, declared, clientGone };
}

export type PresenceTracker = ReturnType<typeof createPresenceTracker>;
