import { readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { lwError, STREAMS, type RecordStream } from '@liftwatch/contract';
import { resolveTarget, type FieldTarget } from './field-target.js';

const Table = Type.Union([Type.Literal('holding'), Type.Literal('input'), Type.Literal('coil'), Type.Literal('discrete')], {
  description: 'holding registers (function 3), input registers (4), coils (1), discrete inputs (2)',
});
const DataType = Type.Union(['int16', 'uint16', 'int32', 'uint32', 'float32', 'bool'].map((t) => Type.Literal(t)), {
  description: 'int32, uint32 and float32 take two registers in the profile\'s word order; bool reads a coil, a discrete input, or `bit` of a register',
});

/** One value read from the device into a contract field. */
const Point = Type.Object({
  to: Type.String({ description: 'The contract field, stream.field: status.floor' }),
  table: Table,
  address: Type.Integer({ minimum: 0, maximum: 65_535, description: 'Protocol address, counted from 0 (register 40001 is holding address 0)' }),
  type: DataType,
  bit: Type.Optional(Type.Integer({ minimum: 0, maximum: 15, description: 'For bool from a register: the bit, 0 = least significant' })),
  scale: Type.Optional(Type.Number({ description: 'value = raw × scale + offset. @defaultValue 1' })),
  offset: Type.Optional(Type.Number({ description: '@defaultValue 0' })),
  unit: Type.Optional(Type.String({ description: 'Unit after scale and offset; must be the field\'s unit' })),
  enum: Type.Optional(Type.Record(Type.String({ pattern: '^-?[0-9]+$' }), Type.String(), { description: 'Raw number → value of an enumeration field, e.g. {"0": "none", "1": "up", "2": "down"}' })),
}, { additionalProperties: false });

/** A field the device does not report, sent as a constant so the record is complete. */
const Constant = Type.Object({
  to: Type.String(),
  value: Type.Union([Type.String(), Type.Number(), Type.Boolean()]),
}, { additionalProperties: false });

/** A register that holds the code of the active fault, in the device's own scheme (0 or `none` = no fault). */
const FaultPoint = Type.Object({
  table: Type.Union([Type.Literal('holding'), Type.Literal('input')]),
  address: Type.Integer({ minimum: 0, maximum: 65_535 }),
  scheme: Type.Union([Type.Literal('gbt24476-2017'), Type.Literal('gov15')], { description: 'The code scheme of the register\'s value' }),
  none: Type.Optional(Type.Integer({ description: 'The value that means no fault. @defaultValue 0' })),
}, { additionalProperties: false });

export const ModbusProfile = Type.Object({
  description: Type.String({ minLength: 3 }),
  source: Type.String({ minLength: 3, description: 'Where the register map comes from (a manual and its version), or that it is an example' }),
  wordOrder: Type.Optional(Type.Union([Type.Literal('big'), Type.Literal('little')], { description: 'big: high word first (ABCD); little: low word first (CDAB). @defaultValue big' })),
  periods: Type.Record(Type.String(), Type.Number({ minimum: 0.1, maximum: 86_400 }), { description: 'Seconds between records of each stream: {"status": 1, "env": 60}' }),
  points: Type.Array(Type.Union([Point, Constant]), { minItems: 1 }),
  fault: Type.Optional(FaultPoint),
}, { additionalProperties: false });
export type ModbusProfile = Static<typeof ModbusProfile>;
export type ModbusPoint = Static<typeof Point>;
export type ModbusTable = Static<typeof Table>;

/** A point ready to read: where, how to decode, and which contract field it fills. */
export interface ResolvedPoint extends Omit<ModbusPoint, 'to'> {
  readonly target: FieldTarget;
  /** Registers (or bits) it occupies. */
  readonly width: number;
}

export interface ResolvedProfile {
  readonly profile: ModbusProfile;
  readonly periodsMs: ReadonlyMap<RecordStream, number>;
  readonly points: readonly ResolvedPoint[];
  readonly constants: ReadonlyArray<{ target: FieldTarget; value: string | number | boolean }>;
}

const check = TypeCompiler.Compile(ModbusProfile);
const MODBUS_STREAMS: readonly RecordStream[] = ['status', 'env', 'counters'];

function fail(where: string, message: string): never {
  throw lwError('LW_ERR_MODBUS_PROFILE', `${where}: ${message}`);
}

function resolvePoint(p: ModbusPoint, where: string): ResolvedPoint {
  const target = resolveTarget(p.to, p.unit, where, MODBUS_STREAMS, 'LW_ERR_MODBUS_PROFILE');
  const isBitTable = p.table === 'coil' || p.table === 'discrete';
  if (isBitTable !== (p.type === 'bool' && p.bit === undefined)) {
    if (isBitTable) fail(where, `a ${p.table} holds one bit: give type "bool" without "bit"`);
    if (p.type === 'bool') fail(where, `a bool from a ${p.table} register needs "bit" (0–15)`);
  }
  if (p.bit !== undefined && p.type !== 'bool') fail(where, '"bit" goes with type "bool"');
  if (target.type === 'boolean' && p.type !== 'bool' && !p.enum) fail(where, `${p.to} is a boolean: read it with type "bool", or give "enum" mapping numbers to "true" and "false"`);
  const allowed = target.type === 'boolean' ? ['true', 'false'] : target.values;
  if (target.type === 'enum' && !p.enum) fail(where, `${p.to} is one of ${allowed!.join(', ')}: give "enum" mapping the device's numbers to them`);
  if (p.enum) {
    if (!allowed) fail(where, `"enum" goes with enumeration and boolean fields; ${p.to} is a number`);
    const wrong = Object.values(p.enum).filter((v) => !allowed.includes(v));
    if (wrong.length > 0) fail(where, `enum value(s) ${wrong.map((v) => JSON.stringify(v)).join(', ')} are not ${p.to} values (${allowed.join(', ')})`);
  }
  const width = p.type === 'int32' || p.type === 'uint32' || p.type === 'float32' ? 2 : 1;
  const { to: _to, ...rest } = p;
  return { ...rest, target, width };
}

/** Checks a profile against its schema and the contract: every field exists, units agree, each stream's record is complete. */
export function resolveModbusProfile(value: unknown, source: string): ResolvedProfile {
  if (!check.Check(value)) {
    const errors = [...check.Errors(value)].slice(0, 3).map((e) => `${e.path || '/'}: ${e.message}`);
    fail(source, `not a Modbus profile (${errors.join('; ')}); see docs/terminals.md for its shape`);
  }
  const profile = value;
  const points: ResolvedPoint[] = [];
  const constants: ResolvedProfile['constants'][number][] = [];
  profile.points.forEach((p, i) => {
    const where = `${source} points[${i}] (${p.to})`;
    if ('value' in p) constants.push({ target: resolveTarget(p.to, undefined, where, MODBUS_STREAMS, 'LW_ERR_MODBUS_PROFILE'), value: p.value });
    else points.push(resolvePoint(p, where));
  });
  const periodsMs = new Map<RecordStream, number>();
  const streams = new Set([...points, ...constants].map((p) => p.target.stream));
  for (const stream of streams) {
    const s = profile.periods[stream];
    if (s === undefined) fail(source, `points write ${stream} but "periods" gives no period for it: add "${stream}": seconds`);
    periodsMs.set(stream, s * 1000);
    const given = new Set([...points, ...constants].filter((p) => p.target.stream === stream).map((p) => p.target.field));
    const required = ((STREAMS[stream].schema as unknown as { required?: string[] }).required ?? []).filter((f) => !['schemaVersion', 'liftId', 'seq', 'ts'].includes(f));
    const missing = required.filter((f) => !given.has(f));
    if (missing.length > 0) fail(source, `a ${stream} record needs ${missing.join(', ')}: add a point or a constant ({"to": "${stream}.${missing[0]}", "value": …}) for each`);
  }
  return { profile, periodsMs, points, constants };
}

export function loadModbusProfile(path: string): ResolvedProfile {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    fail(path, `cannot read the Modbus profile: ${err instanceof Error ? err.message : String(err)}`);
  }
  return resolveModbusProfile(value, path);
}
