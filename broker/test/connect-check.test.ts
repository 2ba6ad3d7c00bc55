import { describe, expect, it } from 'vitest';
import { checkConnect, ConnectRefused, firstPacketLength, keepaliveHeld } from '../src/connect-check.js';
import { rawConnect } from './raw-mqtt.js';

describe('firstPacketLength', () => {
  it('waits for the Remaining Length, then gives the whole packet\'s length', () => {
    const connect = rawConnect({ clientId: 'T-1' });
    expect(firstPacketLength(Buffer.alloc(0), 1024)).toBeUndefined();
    expect(firstPacketLength(connect.subarray(0, 1), 1024)).toBeUndefined();
    expect(firstPacketLength(connect.subarray(0, 2), 1024)).toBe(connect.length);
    expect(firstPacketLength(Buffer.from([0x10, 0x80, 0x01]), 1024)).toBe(131); // 128 in two bytes (MQTT 3.1.1 §2.2.3)
    expect(firstPacketLength(Buffer.from([0x10, 0x80]), 1024)).toBeUndefined();
  });

  it('refuses a Remaining Length of five bytes and a packet larger than the limit', () => {
    expect(() => firstPacketLength(Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x01]), 1024)).toThrow(/past four bytes/);
    expect(() => firstPacketLength(Buffer.from([0x10, 0x80, 0x10]), 1024)).toThrow(/announces 2048 bytes, more than the broker's limit of 1024/);
  });

  it('refuses a first packet that is not a CONNECT, or a CONNECT with flags in its first byte', () => {
    expect(() => firstPacketLength(Buffer.from([0x30, 0x00]), 1024)).toThrow(expect.objectContaining({ clause: 'MQTT-3.1.0-1' }) as Error);
    expect(() => firstPacketLength(Buffer.from([0x12, 0x00]), 1024)).toThrow(expect.objectContaining({ clause: 'MQTT-2.2.2-2' }) as Error);
  });
});

describe('checkConnect', () => {
  it('passes a CONNECT of MQTT 3.1.1 and of MQTT 3.1, with will, user name and password', () => {
    expect(checkConnect(rawConnect({ clientId: 'T-1', will: { topic: 'lift/v1/1/status', qos: 1, retain: true }, user: 'T-1', password: 'x', keepalive: 30 }))).toEqual({ level: 4, keepalive: 30 });
    expect(checkConnect(rawConnect({ name: 'MQIsdp', level: 3, clientId: 'T-1' }))).toEqual({ level: 3, keepalive: 60 });
  });

  it('refuses a packet that ends inside a field', () => {
    const connect = rawConnect({ clientId: 'T-1', user: 'T-1', password: 'secret' });
    const cut = Buffer.concat([Buffer.from([0x10, connect[1]! - 3]), connect.subarray(2, connect.length - 3)]);
    expect(() => checkConnect(cut)).toThrow(ConnectRefused);
    expect(() => checkConnect(cut)).toThrow(/ends inside the password/);
  });

  it('names the field and clause of what it refuses', () => {
    expect(() => checkConnect(rawConnect({ clientId: Buffer.from([0xc0, 0x80]) }))).toThrow('the client id is not well-formed UTF-8 (MQTT-3.1.3-4)'); // an overlong encoding of U+0000
    expect(() => checkConnect(rawConnect({ clientId: 'T-1', will: { topic: 'lift/+/x' } }))).toThrow(/will topic "lift\/\+\/x" has a wildcard/);
  });
});

describe('keepaliveHeld', () => {
  it('keeps a keepalive within the limit, and holds 0 and longer ones to the limit', () => {
    expect(keepaliveHeld(30, 1200)).toBe(30);
    expect(keepaliveHeld(1200, 1200)).toBe(1200);
    expect(keepaliveHeld(0, 1200)).toBe(1200);
    expect(keepaliveHeld(65535, 1200)).toBe(1200);
    expect(keepaliveHeld(0, 0)).toBe(0); // no limit: keepalive stays off
  });
});
