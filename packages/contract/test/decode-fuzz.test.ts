import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DECODE_LIMITS, decodeMessage, decodePayload, ERROR_CATALOG, GOLDEN, GOLDEN_LIFT_ID, jsonDepthExceeded, MAX_REASON_CHARS, RECORD_STREAMS, STREAMS, type DecodedMessage, type StreamName } from '../src/index.js';

/**
 * Property-based tests of the decoder: whatever a terminal sends, decoding returns records or
 * rejections with a known code and a short reason, and never throws. Runs are bounded (a few
 * thousand in all) so that they stay in `npm test`; a failure prints the seed that replays it.
 */
const SEED_RUNS = { numRuns: 400 };
const streams = Object.keys(STREAMS) as StreamName[];
const stream = fc.constantFrom(...streams);
const recordStream = fc.constantFrom(...RECORD_STREAMS);
const encoder = new TextEncoder();

function wellFormed(out: DecodedMessage): void {
  expect(out.records.length + out.rejections.length).toBeGreaterThan(0);
  for (const r of out.rejections) {
    expect(Object.keys(ERROR_CATALOG)).toContain(r.code);
    expect(typeof r.reason).toBe('string');
    expect(r.reason.length).toBeGreaterThan(0);
    expect(r.reason.length).toBeLessThanOrEqual(MAX_REASON_CHARS);
  }
}

/** JSON text nested `depth` levels, mixing arrays and objects, with a value at the bottom. */
const deepText = fc.tuple(fc.oneof(fc.integer({ min: 1, max: 29 }), fc.integer({ min: 33, max: 20_000 })), fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })).map(([depth, kinds, leaf]) => {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    const array = kinds[i % kinds.length];
    open += array ? '[' : '{"k":';
    close = (array ? ']' : '}') + close;
  }
  return { depth, text: open + JSON.stringify(leaf) + close };
});

describe('the decoder on arbitrary input', () => {
  it('arbitrary bytes on any stream', () => {
    fc.assert(fc.property(stream, fc.uint8Array({ maxLength: 4096 }), (s, payload) => {
      wellFormed(decodePayload(GOLDEN_LIFT_ID, s, payload));
    }), { numRuns: 500 });
  });

  it('arbitrary topics', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (topic) => {
      wellFormed(decodeMessage(topic, encoder.encode(JSON.stringify(GOLDEN.status))));
    }), SEED_RUNS);
  });

  it('arbitrary JSON values, alone, in arrays and as the value of a record\'s field', () => {
    fc.assert(fc.property(recordStream, fc.jsonValue(), fc.string({ maxLength: 40 }), (s, value, field) => {
      const golden = GOLDEN[s] as unknown as Record<string, unknown>;
      const keys = Object.keys(golden);
      const key = keys.includes(field) || field === '' ? keys[field.length % keys.length]! : field;
      for (const payload of [value, [value, golden], { ...golden, [key]: value }]) {
        wellFormed(decodePayload(GOLDEN_LIFT_ID, s, encoder.encode(JSON.stringify(payload))));
      }
    }), SEED_RUNS);
  });

  it('deep nesting, alone and inside a field: rejected as too deep past the limit, never a crash', () => {
    fc.assert(fc.property(recordStream, deepText, fc.boolean(), (s, { depth, text }, inField) => {
      const payload = inField ? JSON.stringify({ ...GOLDEN[s], seq: 0 }).replace('"seq":0', `"seq":${text}`) : text;
      const out = decodePayload(GOLDEN_LIFT_ID, s, encoder.encode(payload));
      wellFormed(out);
      const codes = out.rejections.map((r) => r.code);
      if (depth > DEFAULT_DECODE_LIMITS.maxDepth!) expect(codes).toEqual(['LW_ERR_PAYLOAD_TOO_DEEP']);
      else expect(codes).not.toContain('LW_ERR_PAYLOAD_TOO_DEEP');
    }), { numRuns: 300 });
  });

  it('the depth scan agrees with the depth of the parsed value, escapes in strings included', () => {
    const depthOf = (v: unknown): number => (v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0);
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 8 }), (value, max) => {
      expect(jsonDepthExceeded(JSON.stringify(value), max) === -1).toBe(depthOf(value) <= max);
    }), { numRuns: 300 });
  });

  it('long strings as values and as field names', () => {
    fc.assert(fc.property(recordStream, fc.string({ minLength: 1_000, maxLength: 60_000, unit: 'binary' }), fc.boolean(), (s, text, asName) => {
      const golden = GOLDEN[s] as unknown as Record<string, unknown>;
      const record = asName ? { ...golden, [text]: 1 } : { ...golden, liftId: text };
      wellFormed(decodePayload(GOLDEN_LIFT_ID, s, encoder.encode(JSON.stringify(record))));
    }), { numRuns: 100 });
  });
});
