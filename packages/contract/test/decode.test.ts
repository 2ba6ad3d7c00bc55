import { describe, expect, it } from 'vitest';
import { decodeMessage, GOLDEN, GOLDEN_LIFT_ID, liftTopic, RECORD_STREAMS, validateMessage, GOLDEN_CMD, GOLDEN_CONFIG, GOLDEN_PRESENCE, type RecordStream } from '../src/index.js';

const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const decode = (stream: RecordStream, value: unknown) => decodeMessage(liftTopic(GOLDEN_LIFT_ID, stream), bytes(value));

/** A required field of each stream, to be removed, and a field of each to be given a wrong type. */
const requiredField: Record<RecordStream, string> = {
  status: 'speedMps', trip: 'stopErrMm', door: 'closeS', fault: 'state', alarm: 'kind', env: 'seq', counters: 'ts', device: 'liftId', registry: 'ratedSpeedMps', wave: 'samples',
};

describe('every stream schema', () => {
  for (const stream of RECORD_STREAMS) {
    describe(stream, () => {
      it('accepts its golden payload', () => {
        const out = decode(stream, GOLDEN[stream]);
        expect(out.rejections).toEqual([]);
        expect(out.records).toEqual([{ stream, record: GOLDEN[stream] }]);
      });

      it('rejects a missing required field, naming it', () => {
        const field = requiredField[stream];
        const { [field]: _dropped, ...rest } = GOLDEN[stream] as unknown as Record<string, unknown>;
        const out = decode(stream, rest);
        expect(out.records).toEqual([]);
        expect(out.rejections[0]?.code).toBe('LW_ERR_PAYLOAD_INVALID');
        expect(out.rejections[0]?.reason).toContain(`${stream}.${field}`);
      });

      it('rejects a field of the wrong type, naming the field and the value', () => {
        const out = decode(stream, { ...GOLDEN[stream], seq: 'twelve' });
        expect(out.rejections[0]?.reason).toMatch(new RegExp(`${stream}\\.seq: .*got "twelve"`));
      });

      it('rejects an unknown field, so a misspelling is reported', () => {
        const out = decode(stream, { ...GOLDEN[stream], speedMPS: 1 });
        expect(out.rejections[0]?.reason).toContain(`${stream}.speedMPS`);
      });

      it('rejects a timestamp in seconds instead of milliseconds', () => {
        const out = decode(stream, { ...GOLDEN[stream], ts: 1_764_400_000 });
        expect(out.rejections[0]?.reason).toContain(`${stream}.ts`);
        expect(out.rejections[0]?.reason).toContain('1764400000');
      });
    });
  }
});

describe('decodeMessage', () => {
  it('rejects bytes that are not JSON with the parser\'s reason', () => {
    const out = decodeMessage(liftTopic(GOLDEN_LIFT_ID, 'status'), bytes('{"speedMps": 1.2,'));
    expect(out.rejections).toHaveLength(1);
    expect(out.rejections[0]).toMatchObject({ code: 'LW_ERR_PAYLOAD_NOT_JSON' });
    expect(out.rejections[0]?.reason).toMatch(/not valid UTF-8 JSON/);
  });

  it('rejects invalid UTF-8', () => {
    const out = decodeMessage(liftTopic(GOLDEN_LIFT_ID, 'status'), new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
    expect(out.rejections[0]?.code).toBe('LW_ERR_PAYLOAD_NOT_JSON');
  });

  it('keeps the good records of an array and rejects the bad one by index', () => {
    const good = GOLDEN.door;
    const out = decode('door', [good, { ...good, seq: 103, closeS: -1 }, { ...good, seq: 104 }]);
    expect(out.records.map((r) => r.record.seq)).toEqual([102, 104]);
    expect(out.rejections).toEqual([{ code: 'LW_ERR_PAYLOAD_INVALID', index: 1, seq: 103, reason: expect.stringContaining('door.closeS') }]);
  });

  it('names the allowed values of an enumeration', () => {
    const out = decode('status', { ...GOLDEN.status, direction: 'sideways' });
    expect(out.rejections[0]?.reason).toContain('status.direction: expected one of "none", "up", "down", got "sideways"');
  });

  it('rejects a record whose liftId is not the topic\'s lift', () => {
    const out = decode('status', { ...GOLDEN.status, liftId: 'OTHER-1' });
    expect(out.rejections[0]?.code).toBe('LW_ERR_LIFT_MISMATCH');
  });

  it('rejects a fault code that is not in the table', () => {
    const out = decode('fault', { ...GOLDEN.fault, code: 'E99' });
    expect(out.rejections[0]?.code).toBe('LW_ERR_UNKNOWN_FAULT_CODE');
    expect(out.rejections[0]?.reason).toContain('"E99"');
  });

  it('rejects a payload over the size limit before parsing it', () => {
    const out = decodeMessage(liftTopic(GOLDEN_LIFT_ID, 'status'), new Uint8Array(300_000));
    expect(out.rejections[0]?.code).toBe('LW_ERR_PAYLOAD_TOO_LARGE');
    expect(out.rejections[0]?.reason).toContain('300000 bytes');
  });

  it('rejects too many records in one message', () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ ...GOLDEN.status, seq: i }));
    const out = decodeMessage(liftTopic(GOLDEN_LIFT_ID, 'status'), bytes(many), { maxBytes: 1e6, maxRecords: 4 });
    expect(out.rejections[0]?.code).toBe('LW_ERR_BATCH_TOO_LARGE');
  });

  it('rejects a scalar, null and an empty array', () => {
    for (const v of ['42', 'null', '[]']) {
      const out = decodeMessage(liftTopic(GOLDEN_LIFT_ID, 'trip'), bytes(v));
      expect(out.records).toEqual([]);
      expect(out.rejections[0]?.code).toBe('LW_ERR_PAYLOAD_INVALID');
    }
  });

  it('rejects a foreign topic and a platform-only stream', () => {
    expect(decodeMessage('home/kitchen/temp', bytes(GOLDEN.status)).rejections[0]?.code).toBe('LW_ERR_TOPIC_INVALID');
    expect(decodeMessage(liftTopic(GOLDEN_LIFT_ID, 'config'), bytes(GOLDEN_CONFIG)).rejections[0]?.code).toBe('LW_ERR_STREAM_DIRECTION');
  });
});

describe('messages without an envelope', () => {
  it('accept their golden payloads and reject wrong ones', () => {
    expect(validateMessage('presence', GOLDEN_PRESENCE)).toEqual({ ok: true });
    expect(validateMessage('config', GOLDEN_CONFIG)).toEqual({ ok: true });
    expect(validateMessage('cmd', GOLDEN_CMD)).toEqual({ ok: true });
    expect(validateMessage('presence', { state: 'asleep' })).toMatchObject({ ok: false, reason: expect.stringContaining('presence.state') });
    expect(validateMessage('config', { ...GOLDEN_CONFIG, statusIdleS: 0 })).toMatchObject({ ok: false, reason: expect.stringContaining('config.statusIdleS') });
    expect(validateMessage('cmd', { ...GOLDEN_CMD, cmd: 'openDoors' })).toMatchObject({ ok: false, reason: expect.stringContaining('cmd.cmd') });
  });
});

describe('the text of a payload', () => {
  it('comes with a message of one record accepted as sent, which it serialises', () => {
    const text = ` ${JSON.stringify(GOLDEN.trip)}\n`;
    const out = decodeMessage(liftTopic(GOLDEN_LIFT_ID, 'trip'), bytes(text));
    expect(out.text).toBe(text);
    expect(JSON.parse(out.text!)).toEqual(out.records[0]!.record);
  });

  it('does not come with an array, a rejected record, or a fault whose code was mapped', () => {
    expect(decode('trip', [GOLDEN.trip]).text).toBeUndefined();
    expect(decode('trip', { ...GOLDEN.trip, seq: 'twelve' }).text).toBeUndefined();
    const { code: _code, ...rest } = GOLDEN.fault as unknown as Record<string, unknown>;
    const mapped = decode('fault', { ...rest, sourceScheme: 'gbt24476-2017', sourceCode: '11' });
    expect(mapped.records[0]?.record).toMatchObject({ code: 'E01' });
    expect(mapped.text).toBeUndefined();
  });
});
