import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { lwError } from '@liftwatch/contract';

/**
 * The PROXY protocol of HAProxy (haproxy.org/download/1.8/doc/proxy-protocol.txt), versions 1 (text)
 * and 2 (binary): a load balancer that opens the connection to the broker first sends the address of
 * the client it speaks for. Framing and parsing only; listeners.ts decides whom to believe.
 */
export class ProxyHeaderInvalid extends Error {}

/** The client a header speaks for; undefined for LOCAL (v2), UNKNOWN (v1) and non-IP families: use the connection's own address. */
export interface ProxiedClient {
  readonly address: string;
  readonly port: number;
}

const V1_PREFIX = Buffer.from('PROXY ');
const V1_MAX = 107; // the longest v1 line, CRLF included (§2.1)
const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);

/** Whether `bytes` still could start the given signature (it is shorter than it, and agrees so far). */
const couldStart = (bytes: Buffer, signature: Buffer) => bytes.length < signature.length && signature.subarray(0, bytes.length).equals(bytes);

/**
 * The length of the PROXY header at the start of `bytes`, or undefined while more bytes are needed.
 * Throws `ProxyHeaderInvalid` when the bytes start neither version's signature, or a v1 line has no
 * CRLF within 107 bytes.
 */
export function proxyHeaderLength(bytes: Buffer): number | undefined {
  if (bytes.subarray(0, V2_SIGNATURE.length).equals(V2_SIGNATURE)) return bytes.length < 16 ? undefined : 16 + bytes.readUInt16BE(14);
  if (bytes.subarray(0, V1_PREFIX.length).equals(V1_PREFIX)) {
    const end = bytes.indexOf('\r\n');
    if (end >= 0 && end + 2 <= V1_MAX) return end + 2;
    if (end >= 0 || bytes.length >= V1_MAX) throw new ProxyHeaderInvalid(`a PROXY protocol v1 line longer than ${V1_MAX} bytes`);
    return undefined;
  }
  if (couldStart(bytes, V2_SIGNATURE) || couldStart(bytes, V1_PREFIX)) return undefined;
  throw new ProxyHeaderInvalid(`no PROXY protocol header: the connection starts with ${JSON.stringify(bytes.subarray(0, 16).toString('latin1'))}`);
}

/** Parses one whole header, as `proxyHeaderLength` framed it. */
export function parseProxyHeader(head: Buffer): ProxiedClient | undefined {
  return head[0] === 0x0d ? parseV2(head) : parseV1(head.toString('latin1', 0, head.length - 2));
}

/** `PROXY TCP4|TCP6 <source> <destination> <source port> <destination port>`, or `PROXY UNKNOWN …` (§2.1). */
function parseV1(line: string): ProxiedClient | undefined {
  const parts = line.split(' ');
  const [, family, source = '', destination = '', sourcePort, destinationPort] = parts;
  if (family === 'UNKNOWN') return undefined;
  const valid = family === 'TCP4' ? isIPv4 : family === 'TCP6' ? isIPv6 : undefined;
  if (!valid) throw new ProxyHeaderInvalid(`PROXY protocol v1 family ${JSON.stringify(family)} is none of TCP4, TCP6, UNKNOWN`);
  if (parts.length !== 6 || !valid(source) || !valid(destination)) throw new ProxyHeaderInvalid(`PROXY protocol v1 line ${JSON.stringify(line)} does not hold two ${family} addresses and two ports`);
  port(destinationPort);
  return { address: source, port: port(sourcePort) };
}

function port(text: string | undefined): number {
  const n = Number(text);
  if (!/^\d{1,5}$/.test(text ?? '') || n > 65535) throw new ProxyHeaderInvalid(`PROXY protocol v1 port ${JSON.stringify(text)} is not 0–65535`);
  return n;
}

/** Version and command, family and transport, length, addresses, then TLVs, which are skipped (§2.2). */
function parseV2(head: Buffer): ProxiedClient | undefined {
  const version = head[12]! >> 4;
  const command = head[12]! & 0x0f;
  if (version !== 2) throw new ProxyHeaderInvalid(`PROXY protocol v2 header with version ${version}`);
  if (command === 0) return undefined; // LOCAL: the proxy's own connection, e.g. a health check
  if (command !== 1) throw new ProxyHeaderInvalid(`PROXY protocol v2 command ${command} is neither LOCAL nor PROXY`);
  const family = head[13]! >> 4;
  const body = head.subarray(16);
  if (family === 1) {
    if (body.length < 12) throw new ProxyHeaderInvalid(`PROXY protocol v2 IPv4 addresses need 12 bytes, not ${body.length}`);
    return { address: [...body.subarray(0, 4)].join('.'), port: body.readUInt16BE(8) };
  }
  if (family === 2) {
    if (body.length < 36) throw new ProxyHeaderInvalid(`PROXY protocol v2 IPv6 addresses need 36 bytes, not ${body.length}`);
    const groups = Array.from({ length: 8 }, (_, i) => body.readUInt16BE(2 * i).toString(16));
    return { address: new URL(`http://[${groups.join(':')}]`).hostname.slice(1, -1), port: body.readUInt16BE(32) }; // RFC 5952 form
  }
  return undefined; // UNSPEC or UNIX: no IP address to go by
}

/** An IPv4 address as a dual-stack socket shows it (`::ffff:10.0.0.5`), written plainly. */
export const plainAddress = (address: string): string => (address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address);

/**
 * Who may send a PROXY header: a comma-separated list of addresses and CIDR blocks
 * (`10.0.0.7, 172.28.0.0/16, fd00::/8`). Throws LW_ERR_CONFIG_INVALID naming a wrong entry.
 */
export function trustedProxies(list: string, source = 'setting mqttProxyProtocolFrom'): (address: string) => boolean {
  const blocks = new BlockList();
  for (const entry of list.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const [address = '', bits] = entry.split('/');
    const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
    const prefix = bits === undefined ? undefined : Number(bits);
    const max = family === 'ipv4' ? 32 : 128;
    if (!family || (prefix !== undefined && (!/^\d+$/.test(bits!) || prefix > max))) {
      throw lwError('LW_ERR_CONFIG_INVALID', `${source}: ${JSON.stringify(entry)} is not an IP address or CIDR block; give addresses like 10.0.0.7 or blocks like 172.28.0.0/16, comma-separated`);
    }
    if (prefix === undefined) blocks.addAddress(address, family);
    else blocks.addSubnet(address, prefix, family);
  }
  return (address) => {
    const plain = plainAddress(address);
    return blocks.check(plain, isIPv4(plain) ? 'ipv4' : 'ipv6');
  };
}
