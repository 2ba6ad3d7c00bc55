import type { AuthorizePublishHandler, Client } from 'aedes';

/** The part of aedes' persistence that holds inbound QoS 2 messages until their PUBREL. */
export interface IncomingStore {
  incomingGetPacket(client: Client, packet: { messageId?: number }): Promise<unknown>;
}

/**
 * Runs `authorize` (ACL, limits, ingest) once per QoS 2 message, not once per copy of it. Until the
 * PUBREL, a sender may send a message again with DUP set (after a reconnect [MQTT-4.4.0-1]); the
 * receiver must then answer PUBREC again but not deliver it twice [MQTT-4.3.3-2]. aedes holds such a
 * message in its incoming store and does not forward it twice, but it calls the authorize hook before
 * looking there, and ingest lives in that hook. A copy whose packet id is in the incoming store is let
 * through without calling `authorize`, so aedes answers it with PUBREC only.
 *
 * Copies arriving while the first is still being stored (one read can carry both) wait for it, and
 * one turn of the event loop more, so that aedes has stored it before they look.
 */
export function oncePerQos2Message(store: () => IncomingStore, authorize: AuthorizePublishHandler): AuthorizePublishHandler {
  const busy = new WeakMap<Client, Map<number, Promise<void>>>();
  return (client, packet, callback) => {
    const id = packet.messageId;
    if (client === null || packet.qos !== 2 || id === undefined) return authorize(client, packet, callback);
    let ids = busy.get(client);
    if (!ids) busy.set(client, (ids = new Map()));
    const before = ids.get(id);
    const turn = (before ? before.then(() => new Promise<void>((r) => setImmediate(r))) : Promise.resolve())
      .then(() => (packet.dup ? store().incomingGetPacket(client, packet).then(() => true, () => false) : false)) // a copy carries DUP [MQTT-3.3.1-1]
      .then((seen) => new Promise<void>((resolve) => {
        const done = (err?: Error | null) => {
          callback(err);
          resolve();
        };
        if (seen) return done(null); // a copy of a message already stored: aedes sends PUBREC and forwards nothing
        try {
          authorize(client, packet, done);
        } catch (err) {
          done(err as Error);
        }
      }));
    ids.set(id, turn);
    void turn.then(() => {
      if (ids.get(id) === turn) ids.delete(id);
    });
  };
}
