import { endianness } from 'node:os';
import { ROLLUP_FIELDS, type RecordStream } from '@liftwatch/contract';
import type { Bucket } from './telemetry-store.js';

/**
 * The figures of a rollup row: for each field of its stream, in ROLLUP_FIELDS order, min, max, sum
 * and count as doubles (32 bytes a field; a field with no value has count 0). SQLite merges a
 * record's figures into its row through `rollup_merge` (registerRollupMerge), in the upsert itself:
 * nothing is read back into JavaScript and nothing is parsed. Rows written before this layout hold
 * JSON (`{"field": [min, max, sum, count]}`); they are read and merged the same way.
 */
const PER_FIELD = 4;

// The doubles are kept in the machine's byte order: Node runs on little-endian machines here, and a
// database file moved to a big-endian one would read wrong figures.
if (endianness() !== 'LE') throw new Error('the SQLite rollups are written little-endian; this machine is big-endian');

/** The values of a record's rollup fields, in ROLLUP_FIELDS order (NaN where it has none), into `into` at `at`. */
export function putRollupValues(stream: RecordStream, record: Readonly<Record<string, unknown>>, into: Float64Array, at: number): void {
  const fields = ROLLUP_FIELDS[stream] ?? [];
  for (let i = 0; i < fields.length; i++) {
    const v = record[fields[i]!];
    into[at + i] = typeof v === 'number' ? v : NaN;
  }
}

/** The figures of one record: each value seen once (`values` from `at`, `n` fields). */
export function statsOfRecord(values: Float64Array, at: number, n: number): Buffer {
  const out = new Float64Array(n * PER_FIELD);
  for (let i = 0; i < n; i++) {
    const v = values[at + i]!;
    const o = i * PER_FIELD;
    if (Number.isFinite(v)) {
      out[o] = v; out[o + 1] = v; out[o + 2] = v; out[o + 3] = 1;
    } else {
      out[o] = Infinity; out[o + 1] = -Infinity;
    }
  }
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

/** A row's figures as doubles, whichever layout it was written in. */
function statsOf(stored: Buffer | string, stream: string): Float64Array {
  if (typeof stored !== 'string') return new Float64Array(stored.buffer.slice(stored.byteOffset, stored.byteOffset + stored.byteLength));
  const fields = ROLLUP_FIELDS[stream as RecordStream] ?? [];
  const json = JSON.parse(stored) as Record<string, [number, number, number, number] | undefined>;
  const out = new Float64Array(fields.length * PER_FIELD);
  fields.forEach((f, i) => {
    const s = json[f];
    out.set(s ?? [Infinity, -Infinity, 0, 0], i * PER_FIELD);
  });
  return out;
}

/** `into` with `from` added: minima, maxima, sums and counts. */
function merge(into: Float64Array, from: Float64Array): Float64Array {
  for (let o = 0; o + 3 < into.length && o + 3 < from.length; o += PER_FIELD) {
    if (from[o]! < into[o]!) into[o] = from[o]!;
    if (from[o + 1]! > into[o + 1]!) into[o + 1] = from[o + 1]!;
    into[o + 2]! += from[o + 2]!;
    into[o + 3]! += from[o + 3]!;
  }
  return into;
}

/** `rollup_merge(stored, added, stream)`: the SQL function the upsert of a rollup row calls on a conflict. */
export function registerRollupMerge(db: { function(name: string, options: { deterministic: boolean }, fn: (...args: never[]) => unknown): unknown }): void {
  db.function('rollup_merge', { deterministic: true }, (stored: Buffer | string, added: Buffer, stream: string) => {
    const sum = merge(statsOf(stored, stream), statsOf(added, stream));
    return Buffer.from(sum.buffer, sum.byteOffset, sum.byteLength);
  });
}

/** Rollup rows (oldest first) summed into buckets `width` ms wide for one field, as a chart draws them. */
export function rollupBuckets(rows: Iterable<{ bucket: number; stats: Buffer | string }>, stream: RecordStream, field: string, width: number): Bucket[] {
  const i = (ROLLUP_FIELDS[stream] ?? []).indexOf(field);
  const out: Bucket[] = [];
  if (i < 0) return out;
  let t = NaN; let min = Infinity; let max = -Infinity; let sum = 0; let count = 0;
  const close = () => { if (count > 0) out.push({ t, min, max, mean: sum / count, count }); };
  for (const r of rows) {
    const s = statsOf(r.stats, stream);
    const o = i * PER_FIELD;
    if (!(s[o + 3]! > 0)) continue;
    const bt = Math.floor(r.bucket / width) * width;
    if (bt !== t) {
      close();
      t = bt; min = Infinity; max = -Infinity; sum = 0; count = 0;
    }
    min = Math.min(min, s[o]!); max = Math.max(max, s[o + 1]!); sum += s[o + 2]!; count += s[o + 3]!;
  }
  close();
  return out;
}
