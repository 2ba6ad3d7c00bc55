import type { StoreOp } from './store/store-op.js';

/**
 * Terminal presence from MQTT sessions (docs/lessons.md#3-offline-detection-that-cannot-be-trusted): a lift is online while a client that sends its
 * records (or its retained presence) is connected, offline when the broker says that client is gone
 * (a clean DISCONNECT sends no last will) or when its last will says so. Returns the state writes.
 */
export function createPresenceTracker() {
  const liftsByClient = new Map<string, Set<string>>();
  const presence = new Map<string, 'online' | 'offline'>();

  /** A client that sends a lift's records speaks for it. */
  function seenFrom(clientId: string, liftId: string, rx: number): StoreOp[] {
    let lifts = liftsByClient.get(clientId);
    if (!lifts) liftsByClient.set(clientId, (lifts = new Set()));
    lifts.add(liftId);
    if (presence.get(liftId) === 'online') return [];
    presence.set(liftId, 'online');
    return [{ kind: 'presence', liftId, state: 'online', rx }];
  }

  /** A presence message (retained online, or the last will's offline). */
  function declared(liftId: string, state: 'online' | 'offline', clientId: string | null, rx: number): StoreOp[] {
    presence.set(liftId, state);
    if (clientId !== null && state === 'online') seenFrom(clientId, liftId, rx);
    return [{ kind: 'presence', liftId, state, rx }];
  }

  /** The broker says a client's connection is gone: its lifts are offline until they speak again. */
  function clientGone(clientId: string, rx: number): StoreOp[] {
    const lifts = liftsByClient.get(clientId);
    liftsByClient.delete(clientId);
    const ops: StoreOp[] = [];
    for (const liftId of lifts ?? []) {
      presence.set(liftId, 'offline');
      ops.push({ kind: 'presence', liftId, state: 'offline', rx });
    }
    return ops;
  }

  return { seenFrom, declared, clientGone };
}

export type PresenceTracker = ReturnType<typeof createPresenceTracker>;
