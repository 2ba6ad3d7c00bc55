import type { Duplex } from 'node:stream';
import { checkConnect, connackBytes, ConnectRefused, firstPacketLength } from './connect-check.js';
import { NoHead, readHead } from './stream-head.js';

export interface GateOptions {
  /** Largest packet the broker reads (`maxPacketBytes`). */
  readonly maxPacketBytes: number;
  /** Time a new connection has to send its whole CONNECT. */
  readonly timeoutMs: number;
  /** Called for each refused CONNECT with the reason, its clause of MQTT 3.1.1 and the CONNACK code sent, if any. */
  readonly onRefused: (reason: string, clause: string, connack: number | undefined) => void;
}

/** How long a refused client has to read its CONNACK before the connection is cut. */
const LINGER_MS = 2_000;

/**
 * Reads a new connection's first packet and checks it (connect-check.ts) before aedes sees a byte.
 * Resolves true when the CONNECT passed: it is back in the stream, unread, for aedes. Resolves false
 * when the connection was refused (CONNACK 1 or 2 and a close, or a close alone) or went away first;
 * a connection that goes away or times out before a whole CONNECT is closed without a word.
 */
export async function gateConnect(stream: Duplex, opts: GateOptions): Promise<boolean> {
  try {
    const packet = await readHead(stream, (bytes) => firstPacketLength(bytes, opts.maxPacketBytes), { maxBytes: opts.maxPacketBytes, timeoutMs: opts.timeoutMs });
    checkConnect(packet);
    stream.unshift(packet);
    return true;
  } catch (err) {
    stream.on('error', () => {}); // the client may reset the connection while it is being closed
    if (err instanceof ConnectRefused) {
      opts.onRefused(err.message, err.clause, err.connack);
      if (err.connack === undefined) stream.destroy();
      else refuseWithConnack(stream, err.connack);
    } else {
      if (err instanceof NoHead && err.why === 'too large') opts.onRefused(err.message, 'MQTT-2.2.3', undefined);
      stream.destroy();
    }
    return false;
  }
}

/** CONNACK with a refusal code, then the close [MQTT-3.2.2-5]; what the client sends meanwhile is discarded. */
function refuseWithConnack(stream: Duplex, code: number): void {
  stream.resume();
  stream.end(connackBytes(code));
  setTimeout(() => stream.destroy(), LINGER_MS).unref();
}
