/**
 * The first packet of an MQTT connection, checked byte by byte before aedes reads it: what MQTT 3.1.1
 * (OASIS Standard, 2014) says a server must refuse at CONNECT, and aedes (through mqtt-packet, which
 * decodes strings leniently) lets through. Each refusal names its clause; a refusal with `connack`
 * answers with that CONNACK return code before closing, every other one only closes the connection
 * [MQTT-4.8.0-1].
 */
export class ConnectRefused extends Error {
  constructor(message: string, readonly clause: string, readonly connack?: 1 | 2) {
    super(message);
  }
}

const CONNECT = 0x10; // packet type 1, reserved flags 0000 [MQTT-2.2.2-1]
/** Protocol levels aedes speaks: 3 (MQTT 3.1, "MQIsdp") and 4 (MQTT 3.1.1, "MQTT"). */
const LEVELS = new Set([3, 4]);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The length of the first packet (fixed header included) once its Remaining Length is readable
 * (MQTT 3.1.1 §2.2.3), or undefined while more bytes are needed. Throws `ConnectRefused` when the
 * first packet is not a CONNECT [MQTT-3.1.0-1], its length is malformed, or it is larger than `maxBytes`.
 */
export function firstPacketLength(bytes: Buffer, maxBytes: number): number | undefined {
  if (bytes.length === 0) return undefined;
  if (bytes[0] !== CONNECT) throw new ConnectRefused(`the first packet is not a CONNECT (first byte 0x${bytes[0]!.toString(16).padStart(2, '0')})`, bytes[0]! >> 4 === 1 ? 'MQTT-2.2.2-2' : 'MQTT-3.1.0-1');
  let length = 0;
  for (let i = 1; i <= 4; i++) {
    const b = bytes[i];
    if (b === undefined) return undefined;
    length += (b & 0x7f) * 128 ** (i - 1);
    if ((b & 0x80) === 0) {
      if (1 + i + length > maxBytes) throw new ConnectRefused(`the CONNECT announces ${length} bytes, more than the broker's limit of ${maxBytes}`, 'MQTT-2.2.3');
      return 1 + i + length;
    }
  }
  throw new ConnectRefused('the CONNECT\'s Remaining Length runs past four bytes', 'MQTT-2.2.3');
}

/** What the broker needs to know of a CONNECT that passed. */
export interface CheckedConnect {
  readonly level: number;
  readonly keepalive: number;
}

/** Checks one whole CONNECT packet (as `firstPacketLength` framed it); throws `ConnectRefused`. */
export function checkConnect(packet: Buffer): CheckedConnect {
  const r = new Reader(packet);
  r.skipFixedHeader();
  const name = r.string('protocol name', 'MQTT-3.1.2-1');
  if (name !== 'MQTT' && name !== 'MQIsdp') throw new ConnectRefused(`protocol name ${JSON.stringify(name)} is neither MQTT nor MQIsdp`, 'MQTT-3.1.2-1');
  const levelByte = r.u8('protocol level');
  const level = levelByte & 0x7f; // bit 7: the bridge flag of Mosquitto bridges, which mqtt-packet accepts too
  if (!LEVELS.has(level)) throw new ConnectRefused(`protocol level ${levelByte} is not supported: this broker speaks MQTT 3.1.1 (level 4) and 3.1 (level 3)`, 'MQTT-3.1.2-2', 1);
  const flags = r.u8('connect flags');
  if (flags & 0x01) throw new ConnectRefused('the reserved connect flag is 1', 'MQTT-3.1.2-3');
  const clean = (flags & 0x02) !== 0;
  const will = (flags & 0x04) !== 0;
  const willQos = (flags >> 3) & 0x03;
  const willRetain = (flags & 0x20) !== 0;
  const hasPassword = (flags & 0x40) !== 0;
  const hasUser = (flags & 0x80) !== 0;
  if (!will && willQos !== 0) throw new ConnectRefused(`will QoS is ${willQos} without a will`, 'MQTT-3.1.2-13');
  if (!will && willRetain) throw new ConnectRefused('will retain is set without a will', 'MQTT-3.1.2-15');
  if (willQos === 3) throw new ConnectRefused('will QoS is 3', 'MQTT-3.1.2-14');
  if (hasPassword && !hasUser) throw new ConnectRefused('a password without a user name', 'MQTT-3.1.2-22');
  const keepalive = r.u16('keep alive');
  const clientId = r.string('client id', 'MQTT-3.1.3-4');
  if (clientId === '' && !clean) throw new ConnectRefused('an empty client id with clean session 0', 'MQTT-3.1.3-8', 2);
  if (will) {
    const topic = r.string('will topic', 'MQTT-3.1.3-10');
    if (topic === '') throw new ConnectRefused('an empty will topic', 'MQTT-4.7.3-1');
    if (/[#+]/.test(topic)) throw new ConnectRefused(`will topic ${JSON.stringify(topic)} has a wildcard`, 'MQTT-3.3.2-2');
    r.binary('will message');
  }
  if (hasUser) r.string('user name', 'MQTT-3.1.3-11');
  if (hasPassword) r.binary('password');
  r.end();
  return { level, keepalive };
}

/** Reads the fields of one packet in order; a field that runs past the packet's end refuses it. */
class Reader {
  private at = 0;
  constructor(private readonly bytes: Buffer) {}

  skipFixedHeader(): void {
    this.at = 1;
    while ((this.bytes[this.at++]! & 0x80) !== 0);
  }

  u8(field: string): number {
    this.need(1, field);
    return this.bytes[this.at++]!;
  }

  u16(field: string): number {
    this.need(2, field);
    const v = this.bytes.readUInt16BE(this.at);
    this.at += 2;
    return v;
  }

  binary(field: string): Buffer {
    const length = this.u16(`length of the ${field}`);
    this.need(length, field);
    const v = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return v;
  }

  /** A UTF-8 encoded string (MQTT 3.1.1 §1.5.3): well-formed [MQTT-1.5.3-1] and without U+0000 [MQTT-1.5.3-2]. */
  string(field: string, clause: string): string {
    const raw = this.binary(field);
    let text: string;
    try {
      text = utf8.decode(raw);
    } catch {
      throw new ConnectRefused(`the ${field} is not well-formed UTF-8 (${clause})`, 'MQTT-1.5.3-1');
    }
    if (text.includes('\u0000')) throw new ConnectRefused(`the ${field} holds U+0000 (${clause})`, 'MQTT-1.5.3-2');
    return text;
  }

  end(): void {
    if (this.at !== this.bytes.length) throw new ConnectRefused(`${this.bytes.length - this.at} bytes follow the last field the flags announce`, 'MQTT-4.8.0-1');
  }

  private need(n: number, field: string): void {
    if (this.at + n > this.bytes.length) throw new ConnectRefused(`the packet ends inside the ${field}`, 'MQTT-4.8.0-1');
  }
}

/** The CONNACK of MQTT 3.1.1 §3.2 with a refusal code and session present 0 [MQTT-3.2.2-4]. */
export const connackBytes = (code: number): Buffer => Buffer.from([0x20, 0x02, 0x00, code]);

/**
 * The keepalive the broker holds a client to: a client may turn keepalive off (0) or ask for more than
 * `limitS`, and still be let in; the broker then closes the connection after 1.5 × `limitS` of silence,
 * as MQTT 3.1.1 §3.1.2.10 lets a server close an inactive connection at any time. `limitS` 0: no limit.
 */
export const keepaliveHeld = (asked: number, limitS: number): number => (limitS > 0 && (asked === 0 || asked > limitS) ? limitS : asked);
