import fc from 'fast-check';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { GOLDEN, RECORD_STREAMS, STREAMS, validateRecord, type RecordStream } from '../src/index.js';

/**
 * validateRecord checks "no fields but the schema's own" by itself (decode.ts, quickCheckOf): it must
 * accept and refuse exactly what the whole schema does, whatever fields a record adds, drops or changes.
 */
const full = new Map(RECORD_STREAMS.map((s) => [s, TypeCompiler.Compile(STREAMS[s].schema as TSchema)]));
const fieldsOf = (s: RecordStream) => Object.keys(GOLDEN[s]);
const value = fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constant(undefined));

const variant = fc.constantFrom(...RECORD_STREAMS).chain((s) => fc.record({
  stream: fc.constant(s),
  drop: fc.subarray(fieldsOf(s), { maxLength: 2 }),
  change: fc.dictionary(fc.constantFrom(...fieldsOf(s)), value, { maxKeys: 2 }),
  extra: fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('toString', '__proto__', 'constructor', 'schemaVersion2')), value, { maxKeys: 2 }),
}));

describe('the quick check of a record against its stream', () => {
  it('gives the answer of the whole schema for records with fields dropped, changed or added', () => {
    fc.assert(fc.property(variant, ({ stream, drop, change, extra }) => {
      const rec: Record<string, unknown> = { ...GOLDEN[stream], ...change };
      for (const f of drop) delete rec[f];
      for (const [k, v] of Object.entries(extra)) Object.defineProperty(rec, k, { value: v, enumerable: true, configurable: true, writable: true });
      const quick = validateRecord(stream, rec.liftId as string, rec);
      const whole = full.get(stream)!.Check(rec);
      expect(quick.ok || quick.code !== 'LW_ERR_PAYLOAD_INVALID').toBe(whole);
    }), { numRuns: 2000 });
  });

  it('refuses a field of another stream or a misspelt one, naming it', () => {
    const r = validateRecord('status', GOLDEN.status.liftId, { ...GOLDEN.status, speedMPS: 1 });
    expect(r).toMatchObject({ ok: false, code: 'LW_ERR_PAYLOAD_INVALID' });
    expect(!r.ok && r.reason).toMatch(/speedMPS: is not a field of status/);
    expect(validateRecord('door', GOLDEN.door.liftId, { ...GOLDEN.door, fromFloor: 1 }).ok).toBe(false);
  });
});
