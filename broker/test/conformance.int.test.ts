import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqttPacket from 'mqtt-packet';
import { liftTopic } from '@liftwatch/contract';
import { answerBeforeClose, rawConnect, RawSession, type ConnectFields } from './raw-mqtt.js';
import { startTestBroker } from './helpers.js';

/*
 * MQTT 3.1.1 (OASIS Standard, 29 October 2014) at the byte level, against the running broker: raw TCP,
 * hand-built packets, and the exact bytes the broker answers or its close. Each case is one that
 * third-party conformance suites (Eclipse Paho's interoperability tests, Mosquitto's broker tests)
 * found wrong; the clause it checks is beside it.
 */
const CONNACK_ACCEPTED = '20020000';
const CONNACK_PROTOCOL_LEVEL = '20020001'; // 0x01 unacceptable protocol level
const CONNACK_IDENTIFIER_REJECTED = '20020002'; // 0x02 identifier rejected

let b: Awaited<ReturnType<typeof startTestBroker>>;
let creds: { clientId: string; username: string; password: string };
beforeAll(async () => {
  b = await startTestBroker({ limits: { keepaliveLimitS: 1200 } });
  creds = await b.issue('C-1');
});
afterAll(async () => {
  await b?.close();
});

/** The terminal's own CONNECT with valid credentials, changed by `over`: before these checks, each was let in or refused by authentication. */
const terminal = (over: ConnectFields = {}) => rawConnect({ clientId: creds.clientId, user: creds.username, password: creds.password, ...over });
const firstAnswer = async (packet: Buffer) => {
  const s = await RawSession.open(b.address.port);
  const answer = (await s.send(packet).next(4)).toString('hex');
  s.end();
  return answer;
};

describe('CONNECT: what the broker accepts', () => {
  it('accepts a well-formed CONNECT with CONNACK 0 [MQTT-3.2.2-4]', async () => {
    expect(await firstAnswer(terminal())).toBe(CONNACK_ACCEPTED);
  });

  it('accepts keepalive 0, which turns keepalive off [MQTT-3.1.2-10], instead of the reserved CONNACK 6 [MQTT-3.2.2-6]', async () => {
    expect(await firstAnswer(terminal({ keepalive: 0 }))).toBe(CONNACK_ACCEPTED);
  });

  it('accepts a keepalive above the limit instead of the reserved CONNACK 6 [MQTT-3.2.2-6]', async () => {
    expect(await firstAnswer(terminal({ keepalive: 65535 }))).toBe(CONNACK_ACCEPTED);
  });
});

describe('CONNECT: what the broker refuses', () => {
  it.each([
    ['a protocol level of 5 (MQTT 5)', { level: 5 }],
    ['a protocol level of 2', { level: 2 }],
    ['a protocol level of 6', { level: 6 }],
  ])('answers %s with CONNACK 0x01 and closes [MQTT-3.1.2-2]', async (_what, over) => {
    expect(await answerBeforeClose(b.address.port, terminal(over))).toBe(CONNACK_PROTOCOL_LEVEL);
  });

  it('answers an empty client id with clean session 0 with CONNACK 0x02 and closes [MQTT-3.1.3-8]', async () => {
    expect(await answerBeforeClose(b.address.port, terminal({ clientId: '', clean: false }))).toBe(CONNACK_IDENTIFIER_REJECTED);
  });

  it.each([
    ['a password without the user-name flag [MQTT-3.1.2-22]', { user: undefined }],
    ['a will topic that is not well-formed UTF-8 [MQTT-1.5.3-1]', { will: { topic: Buffer.from([0x6c, 0xc3, 0x28]) } }],
    ['a will topic holding U+0000 [MQTT-1.5.3-2]', { will: { topic: 'lift/v1/C-1/\u0000status' } }],
    ['an empty will topic [MQTT-4.7.3-1]', { will: { topic: '' } }],
    ['a will QoS of 3 [MQTT-3.1.2-14]', { will: { topic: liftTopic('C-1', 'status'), qos: 3 } }],
    ['a will QoS without the will flag [MQTT-3.1.2-13]', { flags: 0xc2 | (1 << 3) }],
    ['the reserved connect flag set [MQTT-3.1.2-3]', { flags: 0xc3 }],
    ['a client id that is not well-formed UTF-8 [MQTT-1.5.3-1]', { clientId: Buffer.from([0x54, 0xed, 0xa0, 0x80]) }], // a UTF-16 surrogate in UTF-8
    ['a client id holding U+0000 [MQTT-1.5.3-2]', { clientId: `${'T-C-1'}\u0000` }],
    ['a user name that is not well-formed UTF-8 [MQTT-1.5.3-1]', { user: Buffer.from([0xff, 0xfe]) }],
    ['a user name holding U+0000 [MQTT-1.5.3-2]', { user: 'T-C-1\u0000' }],
    ['a protocol name other than MQTT [MQTT-3.1.2-1]', { name: 'MQTX' }],
    ['bytes after the last field [MQTT-4.8.0-1]', { trailing: Buffer.from([0, 0]) }],
  ] as Array<[string, ConnectFields]>)('closes, without CONNACK, a CONNECT with %s', async (_what, over) => {
    const packet = terminal(over);
    expect(await answerBeforeClose(b.address.port, packet)).toBe('');
  });

  it('closes, without CONNACK, a connection whose first packet is not a CONNECT [MQTT-3.1.0-1]', async () => {
    expect(await answerBeforeClose(b.address.port, mqttPacket.generate({ cmd: 'pingreq' }))).toBe('');
  });

  it('logs each refusal with its clause and counts it', () => {
    expect(b.logs).toContainEqual(expect.stringMatching(/refused connection from 127\.0\.0\.1: a password without a user name \[MQTT-3\.1\.2-22\]: closed \(LW_ERR_MQTT_PROTOCOL\)/));
    expect(b.broker.metrics().connectionsRefused).toMatchObject({ malformedConnect: expect.any(Number), unacceptableProtocolLevel: expect.any(Number), identifierRejected: 1 });
  });
});

describe('keepalive held to the limit', () => {
  it('closes a client that turned keepalive off once it is silent for 1.5 × the limit [MQTT-3.1.2-24]', async () => {
    const short = await startTestBroker({ limits: { keepaliveLimitS: 1 } });
    try {
      const c = await short.issue('K-1');
      const s = await RawSession.open(short.address.port);
      expect((await s.send(rawConnect({ clientId: c.clientId, user: c.username, password: c.password, keepalive: 0 })).next(4)).toString('hex')).toBe(CONNACK_ACCEPTED);
      await s.untilClosed();
    } finally {
      await short.close();
    }
  });
});

describe('QoS 2 sent again before PUBREL', () => {
  const publish = (dup: boolean, seq: number) => mqttPacket.generate({ cmd: 'publish', topic: liftTopic('C-1', 'status'), payload: JSON.stringify({ liftId: 'C-1', seq }), qos: 2, messageId: 7, dup, retain: false });
  const pubrel = mqttPacket.generate({ cmd: 'pubrel', messageId: 7 });
  const ingested = (seq: number) => b.received.filter((r) => r.payload === JSON.stringify({ liftId: 'C-1', seq })).length;

  it('answers PUBREC again and ingests the message once, on the same connection [MQTT-4.3.3-2]', async () => {
    const s = await RawSession.open(b.address.port);
    expect((await s.send(terminal()).next(4)).toString('hex')).toBe(CONNACK_ACCEPTED);
    expect((await s.send(publish(false, 1)).next(4)).toString('hex')).toBe('50020007'); // PUBREC 7
    expect((await s.send(publish(true, 1)).next(4)).toString('hex')).toBe('50020007');
    expect((await s.send(pubrel).next(4)).toString('hex')).toBe('70020007'); // PUBCOMP 7
    expect(ingested(1)).toBe(1);
    s.end();
  });

  it('ingests it once when it is sent again after a reconnect with clean session 0 [MQTT-4.4.0-1]', async () => {
    const first = await RawSession.open(b.address.port);
    expect((await first.send(terminal({ clean: false })).next(4)).toString('hex')).toBe(CONNACK_ACCEPTED);
    expect((await first.send(publish(false, 2)).next(4)).toString('hex')).toBe('50020007');
    first.end();
    await first.untilClosed();
    const again = await RawSession.open(b.address.port);
    expect((await again.send(terminal({ clean: false })).next(4)).toString('hex')).toMatch(/^20020[01]00$/); // accepted, with or without session present
    expect((await again.send(publish(true, 2)).next(4)).toString('hex')).toBe('50020007');
    expect((await again.send(pubrel).next(4)).toString('hex')).toBe('70020007');
    expect(ingested(2)).toBe(1);
    again.end();
  });
});
