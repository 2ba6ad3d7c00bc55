import { describe, expect, it } from 'vitest';
import {
  clip, DEFAULT_DECODE_LIMITS, decodeMessage, decodePayload, errorText, GOLDEN, GOLDEN_LIFT_ID, jsonDepthExceeded, liftTopic, MAX_REASON_CHARS,
  parseJson, preview, RECORD_STREAMS, validateMessage, validateRecord,
} from '../src/index.js';

const bytes = (text: string) => Buffer.from(text);
const nested = (depth: number, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);
/** A valid status record whose `floor` holds `value` as raw JSON text. */
const statusWithFloor = (value: string) => JSON.stringify({ ...GOLDEN.status, floor: 0 }).replace('"floor":0', `"floor":${value}`);
/** A value nested `depth` arrays deep, built in memory (no JSON text to check first). */
function deepValue(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe('a payload nested deeper than the limit', () => {
  it('is rejected before parsing, with the limit in the reason, whatever its depth (a crash of the whole process before)', () => {
    for (const depth of [33, 4_100, 10_000, 100_000]) {
      const out = decodeMessage(liftTopic(GOLDEN_LIFT_ID, 'status'), bytes(nested(depth)), { ...DEFAULT_DECODE_LIMITS, maxBytes: 1e6 });
      expect(out.records).toEqual([]);
      expect(out.rejections).toHaveLength(1);
      expect(out.rejections[0]?.code).toBe('LW_ERR_PAYLOAD_TOO_DEEP');
      expect(out.rejections[0]?.reason).toContain('deeper than 32 levels');
    }
  });

  it('is rejected when the deep part is inside a field of an otherwise valid record', () => {
    const out = decodeMessage(liftTopic(GOLDEN_LIFT_ID, 'status'), bytes(statusWithFloor(nested(10_000))));
    expect(out.rejections.map((r) => r.code)).toEqual(['LW_ERR_PAYLOAD_TOO_DEEP']);
    const objects = decodeMessage(liftTopic(GOLDEN_LIFT_ID, 'status'), bytes(statusWithFloor(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`)));
    expect(objects.rejections.map((r) => r.code)).toEqual(['LW_ERR_PAYLOAD_TOO_DEEP']);
  });

  it('within the limit, is an ordinary schema rejection with a short reason', () => {
    const out = decodeMessage(liftTopic(GOLDEN_LIFT_ID, 'status'), bytes(statusWithFloor(nested(30))));
    expect(out.rejections[0]?.code).toBe('LW_ERR_PAYLOAD_INVALID');
    expect(out.rejections[0]?.reason).toContain('status.floor: expected integer, got [[[[');
    expect(out.rejections[0]?.reason.length).toBeLessThan(200);
  });

  it('obeys a configured limit, and every contract payload fits the default one', () => {
    const limits = { ...DEFAULT_DECODE_LIMITS, maxDepth: 2 };
    expect(decodeMessage(liftTopic(GOLDEN_LIFT_ID, 'wave'), bytes(JSON.stringify([GOLDEN.wave])), limits).rejections[0]?.reason).toContain('deeper than 2 levels');
    for (const stream of RECORD_STREAMS) {
      expect(decodeMessage(liftTopic(GOLDEN_LIFT_ID, stream), bytes(JSON.stringify([GOLDEN[stream]]))).rejections).toEqual([]);
    }
  });

  it('counts brackets inside strings as text, not nesting', () => {
    const text = `[[${'\\"'.repeat(3)}${'['.repeat(5_000)}`;
    const out = decodeMessage(liftTopic(GOLDEN_LIFT_ID, 'status'), bytes(JSON.stringify({ ...GOLDEN.status, liftId: text })));
    expect(out.rejections[0]?.code).toBe('LW_ERR_PAYLOAD_INVALID');
    expect(jsonDepthExceeded(JSON.stringify([text]), 1)).toBe(-1);
    expect(jsonDepthExceeded('[{"a":[1]}]', 2)).toBe(6);
    const escapes = JSON.stringify(['a\\"[[[', '\\\\', '"', { 'k"[': [1, [2]] }]);
    expect(jsonDepthExceeded(escapes, 3)).toBe(escapes.indexOf('[2]'));
    expect(jsonDepthExceeded(escapes, 4)).toBe(-1);
    expect(jsonDepthExceeded('["unterminated [[[[', 1)).toBe(-1);
  });

  it('is refused by parseJson too (presence, and the edge agent\'s config and cmd)', () => {
    expect(parseJson(bytes(nested(50_000)))).toMatchObject({ ok: false, code: 'LW_ERR_PAYLOAD_TOO_DEEP' });
    expect(parseJson(bytes('{"state":"online"}'))).toEqual({ ok: true, value: { state: 'online' }, text: '{"state":"online"}' });
  });
});

describe('error texts stay short and never overflow the stack', () => {
  it('a deep value built in memory is explained, not thrown on', () => {
    const deep = deepValue(200_000);
    const bad = validateRecord('status', GOLDEN_LIFT_ID, { ...GOLDEN.status, floor: deep });
    expect(bad).toMatchObject({ ok: false, code: 'LW_ERR_PAYLOAD_INVALID', reason: expect.stringContaining('status.floor: expected integer, got [[[[') });
    expect(validateRecord('status', GOLDEN_LIFT_ID, deep)).toMatchObject({ ok: false, reason: expect.stringContaining('must be a JSON object, got [[[[') });
    expect(validateMessage('presence', { state: deep })).toMatchObject({ ok: false });
  });

  it('a cyclic value, a huge array and a huge field name give bounded reasons', () => {
    const cyclic: Record<string, unknown> = { ...GOLDEN.status };
    cyclic['floor'] = cyclic;
    expect(validateRecord('status', GOLDEN_LIFT_ID, cyclic)).toMatchObject({ ok: false, reason: expect.stringContaining('status.floor: expected integer, got {') });
    const wide = decodePayload(GOLDEN_LIFT_ID, 'status', bytes(statusWithFloor(`[${'1,'.repeat(100_000)}1]`)));
    expect(wide.rejections[0]?.reason.length).toBeLessThan(300);
    const name = 'x'.repeat(200_000);
    const out = decodePayload(GOLDEN_LIFT_ID, 'status', bytes(JSON.stringify({ ...GOLDEN.status, [name]: 1 })));
    expect(out.rejections[0]?.code).toBe('LW_ERR_PAYLOAD_INVALID');
    expect(out.rejections[0]?.reason.length).toBeLessThanOrEqual(MAX_REASON_CHARS);
  });

  it('preview shows values as JSON, cut to the length asked', () => {
    expect(preview({ a: [1, 'two', null, true] })).toBe('{"a":[1,"two",null,true]}');
    expect(preview(undefined)).toBe('nothing');
    expect(preview(deepValue(1_000_000), 20)).toBe('[[[[[[[[[[[[[[[[[...');
    expect(preview('y'.repeat(1e6), 10)).toBe('"yyyyyy...');
    expect(preview(new Array(1e6).fill(0), 12)).toBe('[0,0,0,0,...');
  });

  it('errorText and clip bound any error, even one that throws when shown', () => {
    expect(errorText(new RangeError('Maximum call stack size exceeded'))).toBe('RangeError: Maximum call stack size exceeded');
    expect(errorText(new Error('z'.repeat(10_000)), 50)).toHaveLength(50);
    const nasty = { get message(): string { throw new Error('no'); }, toString(): string { throw new Error('no'); } };
    expect(errorText(Object.setPrototypeOf(nasty, Error.prototype))).toBe('an error that cannot be shown');
    expect(clip('abcdef', 5)).toBe('ab...');
    expect(clip('abc', 5)).toBe('abc');
  });
});
