import { lwError, RECORD_STREAMS, STREAMS, type ErrorCode, type RecordStream } from '@liftwatch/contract';

/** A field of a contract stream that a source value (a CSV column, a Modbus register) is written to. */
export interface FieldTarget {
  readonly stream: RecordStream;
  readonly field: string;
  readonly type: 'number' | 'integer' | 'boolean' | 'enum';
  /** The allowed texts of an enumeration (e.g. status.direction: none, up, down). */
  readonly values?: readonly string[];
  /** The unit the field name says (`machineRoomRhPct` → %), or undefined for counts and enumerations. */
  readonly unit?: string;
  /** The contract's range of a number field. */
  readonly minimum?: number;
  readonly maximum?: number;
}

/** Why a value cannot go into a field (out of the contract's range, or not an integer), or undefined. */
export function outOfRange(t: FieldTarget, v: number): string | undefined {
  if (t.minimum !== undefined && v < t.minimum) return `${v} is below ${t.stream}.${t.field}'s minimum ${t.minimum}`;
  if (t.maximum !== undefined && v > t.maximum) return `${v} is above ${t.stream}.${t.field}'s maximum ${t.maximum}`;
  return undefined;
}

/** Unit by the end of a field name: the contract puts SI units in field names. Longest suffixes first. */
const UNIT_SUFFIXES: ReadonlyArray<readonly [RegExp, string]> = [
  [/Mps3$/, 'm/s3'], [/Mps2$/, 'm/s2'], [/Mps$/, 'm/s'], [/Pct(Start)?$/, '%'], [/Hpa$/, 'hPa'], [/Dbm$/, 'dBm'], [/Db$/, 'dB'],
  [/Rev$/, 'rev'], [/Mm$/, 'mm'], [/Ms$/, 'ms'], [/Wh$/, 'Wh'], [/TempC$|C$/, '°C'], [/Hours(Total)?$/, 'h'], [/[a-z]S$/, 's'],
  [/M$/, 'm'], [/V$/, 'V'], [/A$/, 'A'],
];

const ENVELOPE = new Set(['schemaVersion', 'liftId', 'seq', 'ts']);

/** `°C`, `degC` and `C` are one unit; `m/s²` is `m/s2`; case does not matter except for m and M. */
export function sameUnit(a: string, b: string): boolean {
  const norm = (u: string) => u.trim().replace('²', '2').replace('³', '3').replace(/^(°|deg)\s*/i, '').replace(/^c$/i, '°C').replace(/^pct$/i, '%').toLowerCase();
  return norm(a) === norm(b);
}

export function unitOfField(field: string): string | undefined {
  return UNIT_SUFFIXES.find(([re]) => re.test(field))?.[1];
}

interface PropertySchema { type?: string; anyOf?: Array<{ const?: unknown }>; minimum?: number; maximum?: number }

function propertiesOf(stream: RecordStream): Record<string, PropertySchema> {
  return (STREAMS[stream].schema as unknown as { properties: Record<string, PropertySchema> }).properties;
}

/** The fields of a stream a source may write, for error messages. */
function writableFields(stream: RecordStream): string[] {
  return Object.keys(propertiesOf(stream)).filter((k) => !ENVELOPE.has(k));
}

/**
 * Resolves `stream.field` (e.g. `env.machineRoomRhPct`) against the contract and checks the unit the
 * mapping states. `where` names the mapping entry in errors (a column, a register).
 */
export function resolveTarget(
  to: string, unit: string | undefined, where: string, streams: readonly RecordStream[] = RECORD_STREAMS, code: ErrorCode = 'LW_ERR_CSV_MAPPING',
): FieldTarget {
  const m = /^([a-z]+)\.([A-Za-z0-9]+)$/.exec(to);
  const stream = m?.[1] as RecordStream | undefined;
  if (!m || stream === undefined || !(RECORD_STREAMS as readonly string[]).includes(stream)) {
    throw lwError(code, `${where}: ${JSON.stringify(to)} is not stream.field of the contract, e.g. env.machineRoomRhPct`);
  }
  if (!streams.includes(stream)) throw lwError(code, `${where}: stream ${stream} cannot be written from here; use ${streams.join(', ')}`);
  const field = m[2]!;
  const prop = ENVELOPE.has(field) ? undefined : propertiesOf(stream)[field];
  if (!prop) throw lwError(code, `${where}: ${stream}.${field} is not a field of the ${stream} stream; its fields are ${writableFields(stream).join(', ')}`);
  const values = prop.anyOf?.map((o) => o.const).filter((v): v is string => typeof v === 'string');
  const type = values && values.length > 0 ? 'enum' : prop.type;
  if (type !== 'number' && type !== 'integer' && type !== 'boolean' && type !== 'enum') {
    throw lwError(code, `${where}: ${stream}.${field} is a ${prop.type ?? 'structured'} field; a source value can fill number, integer, boolean or enumeration fields`);
  }
  const fieldUnit = type === 'number' || type === 'integer' ? unitOfField(field) : undefined;
  if (fieldUnit !== undefined && unit !== undefined && !sameUnit(unit, fieldUnit)) {
    throw lwError(code, `${where}: the values are in ${JSON.stringify(unit)} but ${stream}.${field} is in ${fieldUnit}: map it to a field in ${unit}, or give scale and offset that convert it and say unit ${JSON.stringify(fieldUnit)}`);
  }
  return {
    stream, field, type, ...(values && values.length > 0 ? { values } : {}), ...(fieldUnit === undefined ? {} : { unit: fieldUnit }),
    ...(prop.minimum === undefined ? {} : { minimum: prop.minimum }), ...(prop.maximum === undefined ? {} : { maximum: prop.maximum }),
  };
}
