import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { clip, errorText, preview } from './bounded-text.js';
import { decodeSourceCode, type CodeScheme } from './code-schemes.js';
import { faultCode } from './codes.js';
import type { ErrorCode } from './errors.js';
import { DEFAULT_MAX_JSON_DEPTH, jsonDepthExceeded, tooDeepReason } from './json-depth.js';
import { isRecordStream, STREAMS, type LiftRecord, type RecordStream, type StreamName } from './streams/index.js';
import { parseTopic } from './topics.js';

/** Compiled once at module load (never per message). */
const checks = Object.fromEntries(
  Object.entries(STREAMS).map(([name, spec]) => [name, TypeCompiler.Compile(spec.schema as TSchema)]),
) as Record<StreamName, TypeCheck<TSchema>>;

/** Whether every own field name of `value` is one of `known`. */
function onlyKnownFields(value: object, known: ReadonlySet<string>): boolean {
  const names = Object.getOwnPropertyNames(value);
  for (let i = 0; i < names.length; i++) if (!known.has(names[i]!)) return false;
  return true;
}

/**
 * The same answer as `checks[stream].Check`, quicker on the record path: a schema that allows no other
 * fields than its own (additionalProperties: false) is compiled without that rule, which is then one
 * pass over the record's field names against a Set; TypeBox's code for it makes a closure and searches
 * the list of fields once per field of every record. The reasons of a refusal still come from the
 * whole schema (explainSchemaErrors).
 */
function quickCheckOf(schema: TSchema, check: TypeCheck<TSchema>): (value: unknown) => boolean {
  const { additionalProperties, ...open } = schema as TSchema & { additionalProperties?: unknown; properties?: Record<string, unknown> };
  if (additionalProperties !== false || open.type !== 'object' || !open.properties) return (value) => check.Check(value);
  const known: ReadonlySet<string> = new Set(Object.keys(open.properties));
  const openCheck = TypeCompiler.Compile(open as TSchema);
  return (value) => openCheck.Check(value) && onlyKnownFields(value as object, known);
}
const quickChecks = Object.fromEntries(
  Object.entries(STREAMS).map(([name, spec]) => [name, quickCheckOf(spec.schema as TSchema, checks[name as StreamName])]),
) as Record<StreamName, (value: unknown) => boolean>;

export interface DecodeLimits {
  /** Largest payload accepted, bytes. @defaultValue 262144 (256 KiB) */
  readonly maxBytes: number;
  /** Most records in one message. @defaultValue 1000 */
  readonly maxRecords: number;
  /** Deepest nesting of JSON arrays and objects, the array of records included; deeper payloads are refused before parsing. @defaultValue 32 */
  readonly maxDepth?: number;
}
export const DEFAULT_DECODE_LIMITS: DecodeLimits = Object.freeze({ maxBytes: 256 * 1024, maxRecords: 1000, maxDepth: DEFAULT_MAX_JSON_DEPTH });

/** Longest reason of a rejection, characters: a reason quotes values and field names, cut to fit. */
export const MAX_REASON_CHARS = 1000;
/** Longest field name quoted in a reason. */
const MAX_FIELD_CHARS = 100;

export interface Rejection {
  readonly code: ErrorCode;
  readonly reason: string;
  /** Index of the record inside an array payload; absent when the whole message was rejected. */
  readonly index?: number;
  readonly seq?: number;
}

export interface DecodedMessage {
  readonly liftId?: string;
  readonly stream?: StreamName;
  readonly records: LiftRecord[];
  readonly rejections: Rejection[];
  /**
   * The payload's text when it is one record (not an array) accepted as sent: that record's JSON,
   * so that it need not be serialised again to be stored.
   */
  readonly text?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function expected(error: ValueError): string {
  const options = (error.schema as { anyOf?: Array<{ const?: unknown }> }).anyOf;
  if (options && options.every((o) => o.const !== undefined)) {
    return `expected one of ${options.map((o) => JSON.stringify(o.const)).join(', ')}`;
  }
  const message = clip(error.message, 200);
  return message.charAt(0).toLowerCase() + message.slice(1);
}

/** A readable reason naming each wrong field and its value, e.g. `status.speedMps: expected number to be less or equal to 20, got 40`. */
export function explainSchemaErrors(stream: string, check: TypeCheck<TSchema>, value: unknown, max = 3): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `${stream}: a record must be a JSON object, got ${preview(value)}`;
  }
  try {
    return clip(schemaErrors(stream, check, value, max), MAX_REASON_CHARS);
  } catch (err) {
    return `${stream}: does not match the schema of its stream (the details could not be worked out: ${errorText(err, 100)})`;
  }
}

const depth = (path: string) => path.split('/').length;

/**
 * For a value that matches no member of a union of objects (a message with a `kind`): the errors of
 * the member it comes closest to, the one whose first error lies deeper than the union itself, so
 * the reason names the wrong field instead of "expected union value". Undefined when none does.
 */
function closestMember(error: ValueError, max: number): ValueError[] | undefined {
  let best: ValueError[] | undefined;
  for (const member of error.errors) {
    const errors: ValueError[] = [];
    for (const e of member) if (errors.push(e) >= max) break;
    const first = errors[0];
    if (first && depth(first.path) > depth(error.path) && (!best || depth(first.path) > depth(best[0]!.path))) best = errors;
  }
  return best;
}

/** The errors of a value, with a union's replaced by those of its closest member. */
function* explained(errors: Iterable<ValueError>, max: number): Generator<ValueError> {
  for (const error of errors) {
    const closest = error.type === ValueErrorType.Union ? closestMember(error, max) : undefined;
    if (closest) yield* explained(closest, max);
    else yield error;
  }
}

function schemaErrors(stream: string, check: TypeCheck<TSchema>, value: unknown, max: number): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const error of explained(check.Errors(value), max)) {
    if (seen.has(error.path)) continue;
    seen.add(error.path);
    const field = error.path === '' ? stream : `${stream}${clip(error.path, MAX_FIELD_CHARS).replaceAll('/', '.')}`;
    if (error.type === ValueErrorType.ObjectRequiredProperty) parts.push(`${field}: is required but missing`);
    else if (error.type === ValueErrorType.ObjectAdditionalProperties) parts.push(`${field}: is not a field of ${stream} in contract v1 (check its spelling)`);
    else parts.push(`${field}: ${expected(error)}, got ${preview(error.value)}`);
    if (parts.length >= max) break;
  }
  return parts.join('; ');
}

/** Checks one record against its stream's schema and the cross-field rules of the contract. */
export function validateRecord(stream: RecordStream, liftId: string, value: unknown): { ok: true; record: LiftRecord } | { ok: false; code: ErrorCode; reason: string } {
  if (!quickChecks[stream](value)) return { ok: false, code: 'LW_ERR_PAYLOAD_INVALID', reason: explainSchemaErrors(stream, checks[stream], value) };
  const rec = value as { liftId: string };
  if (rec.liftId !== liftId) {
    return { ok: false, code: 'LW_ERR_LIFT_MISMATCH', reason: `${stream}.liftId is ${preview(rec.liftId)} but the topic is for lift ${preview(liftId)}: publish each lift's records on its own topic` };
  }
  if (stream === 'fault') {
    const fault = resolveFaultCode(value as FaultFields);
    if (!fault.ok) return { ok: false, code: 'LW_ERR_UNKNOWN_FAULT_CODE', reason: fault.reason };
    return { ok: true, record: { stream, record: fault.record } as LiftRecord };
  }
  return { ok: true, record: { stream, record: value } as LiftRecord };
}

interface FaultFields { code?: string; sourceScheme?: CodeScheme; sourceCode?: string }

/**
 * The liftwatch code of a fault record: `code` as sent, or mapped from `sourceScheme` + `sourceCode`
 * (then written into the record beside the original). When both are sent they must agree.
 */
export function resolveFaultCode<R extends FaultFields>(rec: R): { ok: true; record: R & { code: string } } | { ok: false; reason: string } {
  const { code, sourceScheme, sourceCode } = rec;
  if ((sourceScheme === undefined) !== (sourceCode === undefined)) {
    return { ok: false, reason: `fault: sourceScheme and sourceCode go together (got only ${sourceScheme === undefined ? 'sourceCode' : 'sourceScheme'}); send both, or a liftwatch code alone` };
  }
  if (sourceScheme === undefined || sourceCode === undefined) {
    if (code === undefined) return { ok: false, reason: 'fault: no code: send code (a liftwatch code listed in docs/fault-codes.md) or sourceScheme + sourceCode' };
    if (faultCode(code) === undefined) return { ok: false, reason: `fault.code: ${preview(code)} is not in the code table; use a code listed in docs/fault-codes.md` };
    return { ok: true, record: rec as R & { code: string } };
  }
  const mapped = decodeSourceCode(sourceScheme, sourceCode);
  if (!mapped.ok) return { ok: false, reason: `fault.sourceCode: ${mapped.reason}` };
  if (code !== undefined && code !== mapped.code.code) {
    return { ok: false, reason: `fault.code ${preview(code)} disagrees with ${sourceScheme} code ${preview(sourceCode)}, which is ${mapped.code.code}: send the mapped code or leave code out` };
  }
  return { ok: true, record: { ...rec, code: mapped.code.code } };
}

/** Validates a message for a stream that has no envelope (presence, config, cmd). */
export function validateMessage(stream: StreamName, value: unknown): { ok: true } | { ok: false; reason: string } {
  const check = checks[stream];
  return check.Check(value) ? { ok: true } : { ok: false, reason: explainSchemaErrors(stream, check, value) };
}

/** Parses UTF-8 JSON bytes nested at most `maxDepth` levels; never throws. */
export function parseJson(payload: Uint8Array, maxDepth = DEFAULT_MAX_JSON_DEPTH): { ok: true; value: unknown; text: string } | { ok: false; code: 'LW_ERR_PAYLOAD_NOT_JSON' | 'LW_ERR_PAYLOAD_TOO_DEEP'; reason: string } {
  try {
    const text = utf8.decode(payload);
    const tooDeep = jsonDepthExceeded(text, maxDepth);
    if (tooDeep >= 0) return { ok: false, code: 'LW_ERR_PAYLOAD_TOO_DEEP', reason: tooDeepReason('payload', tooDeep, maxDepth) };
    return { ok: true, value: JSON.parse(text) as unknown, text };
  } catch (err) {
    const why = err instanceof Error ? clip(err.message, 200) : errorText(err, 200);
    return { ok: false, code: 'LW_ERR_PAYLOAD_NOT_JSON', reason: `payload is not valid UTF-8 JSON (${why}): send one JSON record or an array of records` };
  }
}

/** validateRecord, with a fault of its own turned into a rejection of this record only. */
function validateSafely(stream: RecordStream, liftId: string, value: unknown): ReturnType<typeof validateRecord> {
  try {
    return validateRecord(stream, liftId, value);
  } catch (err) {
    return { ok: false, code: 'LW_ERR_PAYLOAD_UNPROCESSABLE', reason: `${stream}: the record could not be checked (${errorText(err, 200)})` };
  }
}

function seqOf(value: unknown): number | undefined {
  const seq = (value as { seq?: unknown } | null)?.seq;
  return typeof seq === 'number' && Number.isSafeInteger(seq) ? seq : undefined;
}

/**
 * Decodes one MQTT message of a terminal: the topic, then the bytes, then each record.
 * Never throws: every problem becomes a rejection with a code and a reason, and one bad record
 * in an array leaves the others accepted.
 */
export function decodeMessage(topic: string, payload: Uint8Array, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): DecodedMessage {
  const parsed = parseTopic(topic);
  if (!parsed.ok) return { records: [], rejections: [{ code: 'LW_ERR_TOPIC_INVALID', reason: clip(parsed.reason, MAX_REASON_CHARS) }] };
  return decodePayload(parsed.liftId, parsed.stream, payload, limits);
}

/** Decodes the payload of a topic already parsed; never throws (a fault of its own is a rejection too). */
export function decodePayload(liftId: string, stream: StreamName, payload: Uint8Array, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): DecodedMessage {
  try {
    return decodeChecked(liftId, stream, payload, limits);
  } catch (err) {
    return { liftId, stream, records: [], rejections: [{ code: 'LW_ERR_PAYLOAD_UNPROCESSABLE', reason: `the message could not be decoded (${errorText(err, 200)})` }] };
  }
}

/** A message rejected whole, with one reason. */
function rejected(liftId: string, stream: StreamName, code: ErrorCode, reason: string): DecodedMessage {
  return { liftId, stream, records: [], rejections: [{ code, reason: clip(reason, MAX_REASON_CHARS) }] };
}

function decodeChecked(liftId: string, stream: StreamName, payload: Uint8Array, limits: DecodeLimits): DecodedMessage {
  if (!isRecordStream(stream)) {
    return rejected(liftId, stream, 'LW_ERR_STREAM_DIRECTION', `stream ${stream} is not a telemetry stream: terminals publish status, trip, door, fault, alarm, env, counters, device, registry or wave`);
  }
  if (payload.byteLength > limits.maxBytes) {
    return rejected(liftId, stream, 'LW_ERR_PAYLOAD_TOO_LARGE', `payload is ${payload.byteLength} bytes; at most ${limits.maxBytes} are accepted: send fewer records per message`);
  }
  const json = parseJson(payload, limits.maxDepth ?? DEFAULT_MAX_JSON_DEPTH);
  if (!json.ok) return rejected(liftId, stream, json.code, json.reason);
  const value = json.value;
  if (!Array.isArray(value)) return decodedOne(liftId, stream, value, json.text);
  if (value.length === 0) return rejected(liftId, stream, 'LW_ERR_PAYLOAD_INVALID', `${stream}: the array is empty: send at least one record`);
  if (value.length > limits.maxRecords) {
    return rejected(liftId, stream, 'LW_ERR_BATCH_TOO_LARGE', `message holds ${value.length} records; at most ${limits.maxRecords} are accepted: split it`);
  }
  const records: LiftRecord[] = [];
  const rejections: Rejection[] = [];
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    const result = validateSafely(stream, liftId, item);
    if (result.ok) {
      records.push(result.record);
      continue;
    }
    const seq = seqOf(item);
    rejections.push({ code: result.code, reason: clip(`record ${i}: ${result.reason}`, MAX_REASON_CHARS), index: i, ...(seq === undefined ? {} : { seq }) });
  }
  return { liftId, stream, records, rejections };
}

/** The rejections of a message with none, shared (frozen: nothing adds to it). */
const NO_REJECTIONS: Rejection[] = Object.freeze([]) as unknown as Rejection[];

/** A payload of one record: accepted as sent, its text is its JSON (a fault whose code was mapped is another object). */
function decodedOne(liftId: string, stream: RecordStream, value: unknown, text: string): DecodedMessage {
  const result = validateSafely(stream, liftId, value);
  if (!result.ok) {
    const seq = seqOf(value);
    return { liftId, stream, records: [], rejections: [{ code: result.code, reason: clip(result.reason, MAX_REASON_CHARS), ...(seq === undefined ? {} : { seq }) }] };
  }
  return result.record.record === value ? { liftId, stream, records: [result.record], rejections: NO_REJECTIONS, text } : { liftId, stream, records: [result.record], rejections: NO_REJECTIONS };
}
