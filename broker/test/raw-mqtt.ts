import { connect, type Socket } from 'node:net';
import { waitFor } from '@liftwatch/test-kit';

/** A field as it goes on the wire: text is UTF-8 encoded, a Buffer is sent as it is (so it may be malformed). */
type Field = string | Buffer;

const bytesOf = (f: Field) => (typeof f === 'string' ? Buffer.from(f, 'utf8') : f);
/** A length-prefixed field (MQTT 3.1.1 §1.5.3). */
const prefixed = (f: Field) => {
  const b = bytesOf(f);
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
};
/** Remaining Length (MQTT 3.1.1 §2.2.3). */
function remainingLength(n: number): Buffer {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}

export interface ConnectFields {
  name?: Field; level?: number; keepalive?: number; clientId?: Field; clean?: boolean;
  will?: { topic: Field; message?: Field; qos?: number; retain?: boolean };
  user?: Field; password?: Field;
  /** The connect flags byte as given, instead of the one the fields imply. */
  flags?: number;
  /** Bytes after the last field. */
  trailing?: Buffer;
}

/** A CONNECT built byte by byte (MQTT 3.1.1 §3.1), so that each field can be made wrong on purpose. */
export function rawConnect(f: ConnectFields): Buffer {
  const flags = f.flags ?? ((f.clean ?? true ? 0x02 : 0) | (f.will ? 0x04 | ((f.will.qos ?? 0) << 3) | (f.will.retain ? 0x20 : 0) : 0)
    | (f.user !== undefined ? 0x80 : 0) | (f.password !== undefined ? 0x40 : 0));
  const keepalive = f.keepalive ?? 60;
  const body = Buffer.concat([
    prefixed(f.name ?? 'MQTT'), Buffer.from([f.level ?? 4, flags, keepalive >> 8, keepalive & 0xff]),
    prefixed(f.clientId ?? ''),
    ...(f.will ? [prefixed(f.will.topic), prefixed(f.will.message ?? 'gone')] : []),
    ...(f.user !== undefined ? [prefixed(f.user)] : []),
    ...(f.password !== undefined ? [prefixed(f.password)] : []),
    f.trailing ?? Buffer.alloc(0),
  ]);
  return Buffer.concat([Buffer.from([0x10]), remainingLength(body.length), body]);
}

/** A raw TCP conversation with the broker: what it sent so far, and whether it closed the connection. */
export class RawSession {
  received = Buffer.alloc(0);
  closed = false;
  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => { this.received = Buffer.concat([this.received, d]); });
    socket.on('close', () => { this.closed = true; });
    socket.on('error', () => {});
  }

  /** A connection to the broker on loopback, from `localAddress` (any of 127.0.0.0/8) when given. */
  static async open(port: number, localAddress?: string): Promise<RawSession> {
    const socket = connect({ port, host: '127.0.0.1', ...(localAddress ? { localAddress } : {}) });
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new RawSession(socket);
  }

  send(...packets: Buffer[]): this {
    this.socket.write(Buffer.concat(packets));
    return this;
  }

  /** The next `n` bytes from the broker, consumed. */
  async next(n: number): Promise<Buffer> {
    await waitFor(`${n} bytes from the broker`, () => this.received.length >= n || this.closed);
    if (this.received.length < n) throw new Error(`the broker closed the connection after sending ${this.received.toString('hex') || 'nothing'}`);
    const out = this.received.subarray(0, n);
    this.received = this.received.subarray(n);
    return out;
  }

  /** Everything the broker sends until it closes the connection. */
  async untilClosed(): Promise<Buffer> {
    await waitFor('the broker to close the connection', () => this.closed);
    return this.received;
  }

  end(): void {
    this.socket.destroy();
  }
}

/** Sends one packet on a new connection and returns what the broker answered before closing it. */
export async function answerBeforeClose(port: number, packet: Buffer): Promise<string> {
  const s = await RawSession.open(port);
  return (await s.send(packet).untilClosed()).toString('hex');
}
