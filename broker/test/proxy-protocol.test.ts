import { describe, expect, it } from 'vitest';
import { parseProxyHeader, plainAddress, proxyHeaderLength, ProxyHeaderInvalid, trustedProxies } from '../src/proxy-protocol.js';

/** Frames and parses `bytes` as the listener does: the header's length, then the header alone. */
const parse = (bytes: Buffer) => {
  const length = proxyHeaderLength(bytes);
  if (length === undefined) throw new Error('incomplete');
  return { length, client: parseProxyHeader(bytes.subarray(0, length)) };
};
const SIG = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');
/** A v2 header (proxy-protocol.txt §2.2): version 2, `command`, `family` with STREAM, then `body`. */
const v2 = (command: number, family: number, body: Buffer) => Buffer.concat([SIG, Buffer.from([0x20 | command, (family << 4) | 1, body.length >> 8, body.length & 0xff]), body]);
const MQTT = Buffer.from([0x10, 0x0c]); // the start of the CONNECT that follows

describe('PROXY protocol v1', () => {
  it('reads the client of a TCP4 and a TCP6 line, and says where the MQTT bytes start', () => {
    const line = Buffer.from('PROXY TCP4 203.0.113.7 10.0.0.2 51234 1883\r\n');
    expect(parse(Buffer.concat([line, MQTT]))).toEqual({ length: line.length, client: { address: '203.0.113.7', port: 51234 } });
    expect(parse(Buffer.from('PROXY TCP6 2001:db8::7 2001:db8::1 40000 1883\r\n')).client).toEqual({ address: '2001:db8::7', port: 40000 });
  });

  it('goes by the connection\'s own address for UNKNOWN', () => {
    expect(parse(Buffer.from('PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n')).client).toBeUndefined();
    expect(parse(Buffer.from('PROXY UNKNOWN\r\n')).client).toBeUndefined();
  });

  it('waits for the rest of a line that has come in part', () => {
    expect(proxyHeaderLength(Buffer.from('PRO'))).toBeUndefined();
    expect(proxyHeaderLength(Buffer.from('PROXY TCP4 203.0.113.7 10.0'))).toBeUndefined();
  });

  it.each([
    ['an unknown family', 'PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n'],
    ['an address of the other family', 'PROXY TCP4 2001:db8::7 10.0.0.2 1 2\r\n'],
    ['a port above 65535', 'PROXY TCP4 1.2.3.4 5.6.7.8 70000 2\r\n'],
    ['a missing port', 'PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n'],
  ])('refuses %s', (_what, line) => {
    expect(() => parse(Buffer.from(line))).toThrow(ProxyHeaderInvalid);
  });

  it('refuses a line with no CRLF within 107 bytes, and bytes that are no header at all', () => {
    expect(() => proxyHeaderLength(Buffer.from(`PROXY TCP4 ${'1'.repeat(120)}`))).toThrow(/longer than 107 bytes/);
    expect(() => proxyHeaderLength(Buffer.concat([MQTT, Buffer.from('\x00\x04MQTT')]))).toThrow(/no PROXY protocol header/);
  });
});

describe('PROXY protocol v2', () => {
  const inet = Buffer.from([203, 0, 113, 7, 10, 0, 0, 2, 0xc8, 0x22, 0x07, 0x5b]); // 203.0.113.7:51234 → 10.0.0.2:1883

  it('reads the client of an IPv4 header, skipping its TLVs, and says where the MQTT bytes start', () => {
    const tlv = Buffer.from([0x01, 0x00, 0x04, 0x6d, 0x71, 0x74, 0x74]); // PP2_TYPE_ALPN "mqtt"
    const header = v2(1, 1, Buffer.concat([inet, tlv]));
    expect(parse(Buffer.concat([header, MQTT]))).toEqual({ length: header.length, client: { address: '203.0.113.7', port: 51234 } });
  });

  it('writes an IPv6 client in its short form (RFC 5952)', () => {
    const src = Buffer.from('20010db8000000000000000000000007', 'hex');
    const dst = Buffer.from('20010db8000000000000000000000001', 'hex');
    expect(parse(v2(1, 2, Buffer.concat([src, dst, Buffer.from([0x9c, 0x40, 0x07, 0x5b])]))).client).toEqual({ address: '2001:db8::7', port: 40000 });
  });

  it('goes by the connection\'s own address for LOCAL (a health check) and UNSPEC', () => {
    expect(parse(v2(0, 0, Buffer.alloc(0))).client).toBeUndefined();
    expect(parse(v2(1, 0, Buffer.alloc(0))).client).toBeUndefined();
  });

  it('waits for the rest of a header that has come in part', () => {
    const header = v2(1, 1, inet);
    for (const n of [1, 11, 12, 15]) expect(proxyHeaderLength(header.subarray(0, n))).toBeUndefined();
    expect(proxyHeaderLength(header.subarray(0, 16))).toBe(header.length);
  });

  it('refuses another version or command, and addresses shorter than their family', () => {
    const wrongVersion = Buffer.from(v2(1, 1, inet));
    wrongVersion[12] = 0x11;
    expect(() => parse(wrongVersion)).toThrow(/version 1/);
    expect(() => parse(v2(2, 1, inet))).toThrow(/command 2/);
    expect(() => parse(v2(1, 1, inet.subarray(0, 8)))).toThrow(/need 12 bytes/);
  });
});

describe('trusted proxies', () => {
  it('trusts the listed addresses and blocks, an IPv4 client of a dual-stack socket too, and no one else', () => {
    const trusted = trustedProxies('10.0.0.7, 172.28.0.0/16,fd00::/8');
    expect(['10.0.0.7', '172.28.5.9', '::ffff:172.28.0.10', 'fd00::1'].every(trusted)).toBe(true);
    expect(['10.0.0.8', '172.29.0.1', '127.0.0.1', '2001:db8::1'].some(trusted)).toBe(false);
    expect(trustedProxies('')('127.0.0.1')).toBe(false);
    expect(plainAddress('::ffff:10.0.0.7')).toBe('10.0.0.7');
  });

  it.each(['haproxy', '10.0.0.0/33', '10.0.0/8', 'fd00::/x'])('names a wrong entry %s', (entry) => {
    expect(() => trustedProxies(`10.0.0.7,${entry}`)).toThrow(new RegExp(`${JSON.stringify(entry).replace(/[/.]/g, '\\$&')} is not an IP address or CIDR block`));
  });
});
