import type { ModbusTable, ResolvedPoint } from './modbus-profile.js';

/** One read request: a run of addresses of one table that covers several points. */
export interface ReadBlock {
  readonly table: ModbusTable;
  readonly address: number;
  readonly length: number;
  readonly points: readonly ResolvedPoint[];
}

/** Most registers (125) and bits (2000) one Modbus read may ask for (Modbus Application Protocol v1.1b3, 6.1–6.4). */
const MAX_REGISTERS = 125;
const MAX_BITS = 2000;

/**
 * Groups points into as few reads as possible: points of one table whose addresses are at most
 * `maxGap` apart share a read, within the protocol's limit per read. Fewer requests cost the device
 * and the link less than a few unused registers.
 */
export function planReads(points: readonly ResolvedPoint[], maxGap = 8): ReadBlock[] {
  const blocks: ReadBlock[] = [];
  const tables = [...new Set(points.map((p) => p.table))];
  for (const table of tables) {
    const limit = table === 'coil' || table === 'discrete' ? MAX_BITS : MAX_REGISTERS;
    const sorted = points.filter((p) => p.table === table).sort((a, b) => a.address - b.address);
    let current: { address: number; end: number; points: ResolvedPoint[] } | undefined;
    for (const p of sorted) {
      const end = p.address + p.width;
      if (current && p.address - current.end <= maxGap && end - current.address <= limit) {
        current.end = Math.max(current.end, end);
        current.points.push(p);
        continue;
      }
      if (current) blocks.push({ table, address: current.address, length: current.end - current.address, points: current.points });
      current = { address: p.address, end, points: [p] };
    }
    if (current) blocks.push({ table, address: current.address, length: current.end - current.address, points: current.points });
  }
  return blocks;
}

/** The raw number of a point from its block's registers (16-bit words, each big-endian as Modbus sends them). */
function rawOf(p: ResolvedPoint, words: readonly number[], at: number, wordOrder: 'big' | 'little'): number {
  const w0 = words[at] ?? 0;
  if (p.type === 'int16') return w0 >= 0x8000 ? w0 - 0x10000 : w0;
  if (p.type === 'uint16') return w0;
  if (p.type === 'bool') return (w0 >> (p.bit ?? 0)) & 1;
  const w1 = words[at + 1] ?? 0;
  const [hi, lo] = wordOrder === 'big' ? [w0, w1] : [w1, w0];
  const buf = Buffer.alloc(4);
  buf.writeUInt16BE(hi, 0);
  buf.writeUInt16BE(lo, 2);
  if (p.type === 'int32') return buf.readInt32BE(0);
  if (p.type === 'uint32') return buf.readUInt32BE(0);
  return buf.readFloatBE(0);
}

/** A point's value for its contract field, or why it cannot be used. */
export function decodePoint(p: ResolvedPoint, data: readonly number[] | readonly boolean[], block: ReadBlock, wordOrder: 'big' | 'little'): { ok: true; value: number | boolean | string } | { ok: false; reason: string } {
  const at = p.address - block.address;
  const raw = typeof data[at] === 'boolean' ? (data[at] ? 1 : 0) : rawOf(p, data as readonly number[], at, wordOrder);
  if (p.enum) {
    const text = p.enum[String(raw)];
    if (text === undefined) return { ok: false, reason: `${p.table} ${p.address}: ${raw} is not in the profile's enum for ${p.target.stream}.${p.target.field}` };
    return { ok: true, value: p.target.type === 'boolean' ? text === 'true' : text };
  }
  if (p.target.type === 'boolean') return { ok: true, value: raw !== 0 };
  const v = raw * (p.scale ?? 1) + (p.offset ?? 0);
  if (!Number.isFinite(v)) return { ok: false, reason: `${p.table} ${p.address}: ${v} is not a finite number` };
  return { ok: true, value: p.target.type === 'integer' ? Math.round(v) : Math.round(v * 1e6) / 1e6 };
}
