import type { Duplex } from 'node:stream';
import type { Client } from 'aedes';
import { lwError } from '@liftwatch/contract';

/** How much the broker holds for one subscriber that reads slower than its messages come. */
export interface OutgoingBounds {
  readonly maxMessages: number;
  readonly maxBytes: number;
  /** How long a subscriber may stay at its bound, losing QoS 0 messages, before it is disconnected. */
  readonly graceMs: number;
}

export interface BacklogEvents {
  /** A QoS 0 message for `client` was dropped: its backlog is at the bound. */
  readonly dropped: (client: Client, limit: BacklogLimit) => void;
  /** `client` is being disconnected; `why` says what it did. */
  readonly disconnected: (client: Client, limit: BacklogLimit, why: string) => void;
  /** A QoS 1 or 2 message that a persistent session did not take now: kept for its next connection. */
  readonly keep: (client: Client, packet: OutgoingPacket) => Promise<void>;
}

export type BacklogLimit = 'maxOutgoingMessagesPerClient' | 'maxOutgoingBytesPerClient';
export interface OutgoingPacket { readonly topic: string; readonly payload: Buffer | string; readonly qos: number }
type Deliver = (packet: OutgoingPacket, done: () => void) => void;
/** The parts of an aedes 1.x client this uses: its two delivery functions (instance properties, which subscriptions call), and its session kind. */
interface DeliveringClient { deliver0: Deliver; deliverQoS: Deliver; clean: boolean }

/**
 * Bounds what the broker holds for one subscriber, in messages and bytes. aedes writes each message to
 * the subscriber's socket and, once the socket's buffer is full, holds the delivery (and a slot of the
 * shared message emitter) until the socket drains: one subscriber that stops reading then stalls every
 * delivery, the emitter's queue grows without bound (2.6 GB in 25 s), and releasing that queue when the
 * subscriber goes overflows the stack. Here each delivery gives its slot back at once; the backlog is
 * the messages aedes has not called back for, and the bytes waiting in the socket's buffer or about to
 * be written there. At the bound, QoS 0 messages for that subscriber are dropped; a QoS 1 or 2
 * message, or a stay at the bound longer than `graceMs`, disconnects it (its QoS 1 and 2 messages are
 * kept for its next connection when its session is persistent [MQTT-3.1.2-5]).
 */
export function boundOutgoing(client: Client, conn: Duplex, bounds: OutgoingBounds, events: BacklogEvents): void {
  const c = client as unknown as DeliveringClient;
  let messages = 0; // handed to aedes, not yet called back (written out, or drained after a full buffer)
  let unwritten = 0; // bytes handed to aedes this turn of the event loop, before aedes writes them
  let stall: NodeJS.Timeout | undefined;
  let cut = false;
  const atBound = (): BacklogLimit | undefined => (messages >= bounds.maxMessages ? 'maxOutgoingMessagesPerClient'
    : unwritten + conn.writableLength >= bounds.maxBytes ? 'maxOutgoingBytesPerClient' : undefined);
  const disconnect = (limit: BacklogLimit, why: string) => {
    if (cut) return;
    cut = true;
    clearTimeout(stall);
    events.disconnected(client, limit, why);
    conn.destroy(lwError('LW_ERR_LIMIT_EXCEEDED', `${why} (limit ${limit})`));
  };
  const startGrace = () => {
    stall ??= setTimeout(() => {
      stall = undefined;
      const limit = atBound();
      if (limit) disconnect(limit, `its backlog stayed at the bound for ${bounds.graceMs} ms`);
    }, bounds.graceMs).unref();
  };
  conn.on('drain', () => {
    clearTimeout(stall);
    stall = undefined;
  });

  const deliver0 = c.deliver0;
  const deliverQoS = c.deliverQoS;
  const counted = (deliver: Deliver): Deliver => (packet, done) => {
    const size = Buffer.byteLength(packet.topic) + (typeof packet.payload === 'string' ? Buffer.byteLength(packet.payload) : packet.payload.length) + 7;
    messages++;
    unwritten += size;
    deliver(packet, () => void messages--);
    setImmediate(() => { // after aedes' own setImmediate, which writes the message
      unwritten -= size;
      done(); // the emitter's slot goes back now, not when this subscriber's socket drains
    });
  };
  const sendQoS0 = counted(deliver0);
  const sendQoS = counted(deliverQoS);
  c.deliver0 = (packet, done) => {
    const limit = cut ? undefined : atBound();
    if (!cut && !limit) return sendQoS0(packet, done);
    if (limit) {
      events.dropped(client, limit);
      startGrace();
    }
    setImmediate(done); // dropped: at the bound, or its connection is being closed
  };
  c.deliverQoS = (packet, done) => {
    if (packet.qos === 0) return c.deliver0(packet, done); // aedes delivers a QoS 0 message through deliver0
    const limit = cut ? 'maxOutgoingBytesPerClient' : atBound();
    if (!limit) return sendQoS(packet, done);
    disconnect(limit, `a QoS ${packet.qos} message would pass its outgoing bound of ${bounds.maxMessages} messages or ${bounds.maxBytes} bytes`);
    if (c.clean) return void setImmediate(done);
    events.keep(client, packet).then(() => done(), () => done()); // no error to the emitter: it would throw it
  };
}
