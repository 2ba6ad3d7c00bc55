import { readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { lwError, type RecordStream } from '@liftwatch/contract';
import { resolveTarget, type FieldTarget } from './field-target.js';

const Summary = Type.Union([Type.Literal('mean'), Type.Literal('min'), Type.Literal('max'), Type.Literal('last')], {
  description: 'How the samples of a window become one value. @defaultValue mean (last for counters)',
});

const MappedColumn = Type.Object({
  to: Type.String({ description: 'The contract field, stream.field: env.machineRoomRhPct' }),
  unit: Type.String({ minLength: 1, description: 'Unit of the column after scale and offset; must be the field\'s unit (the field name says it)' }),
  scale: Type.Optional(Type.Number({ description: 'value = cell × scale + offset. @defaultValue 1' })),
  offset: Type.Optional(Type.Number({ description: '@defaultValue 0' })),
  summary: Type.Optional(Summary),
}, { additionalProperties: false });

const IgnoredColumn = Type.Object({
  ignore: Type.Literal(true),
  why: Type.String({ minLength: 3, description: 'Why this column is not sent (so a dropped signal is a decision, not an accident)' }),
}, { additionalProperties: false });

const TimeColumn = Type.Object({
  column: Type.String({ minLength: 1 }),
  format: Type.Union([Type.Literal('iso'), Type.Literal('epoch-ms'), Type.Literal('epoch-s')], { description: 'ISO 8601 text, or ms or s since 1970-01-01 UTC' }),
}, { additionalProperties: false });

/** A CSV mapping file: every column of the file is mapped to a contract field or ignored with a reason. */
export const CsvMapping = Type.Object({
  description: Type.Optional(Type.String()),
  delimiter: Type.Optional(Type.Union([Type.Literal(';'), Type.Literal(','), Type.Literal('\t')], { description: '@defaultValue detected from the file' })),
  rateHz: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100_000, description: 'Rows per second, for a file without a time column. @defaultValue 4' })),
  windowS: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 86_400, description: 'Seconds of samples summarised into one record. @defaultValue 60' })),
  time: Type.Optional(TimeColumn),
  columns: Type.Record(Type.String(), Type.Union([MappedColumn, IgnoredColumn]), { description: 'Every column of the file by its header name' }),
}, { additionalProperties: false });
export type CsvMapping = Static<typeof CsvMapping>;

const check = TypeCompiler.Compile(CsvMapping);

/** A column as the replay uses it: its index in the file and where its values go. */
export interface ResolvedColumn {
  readonly column: string;
  readonly index: number;
  readonly target: FieldTarget;
  readonly scale: number;
  readonly offset: number;
  readonly summary: Static<typeof Summary>;
}

/** Streams a CSV window may feed: periodic summaries. */
const CSV_STREAMS: readonly RecordStream[] = ['env', 'counters'];

/** Parses and checks a mapping document; errors name the file and the entry. */
export function parseCsvMapping(value: unknown, source: string): CsvMapping {
  if (!check.Check(value)) {
    const errors = [...check.Errors(value)].slice(0, 3).map((e) => `${e.path || '/'}: ${e.message}`);
    throw lwError('LW_ERR_CSV_MAPPING', `${source} is not a CSV mapping (${errors.join('; ')}); see docs/terminals.md for its shape`);
  }
  return value;
}

/** Reads a mapping file (JSON). */
export function loadCsvMapping(path: string): CsvMapping {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw lwError('LW_ERR_CSV_MAPPING', `cannot read the CSV mapping ${path}: ${String(err)}`, err);
  }
  try {
    return parseCsvMapping(JSON.parse(text), path);
  } catch (err) {
    if (err instanceof SyntaxError) throw lwError('LW_ERR_CSV_MAPPING', `${path} is not valid JSON: ${err.message}`, err);
    throw err;
  }
}

/**
 * A mapping written on the command line: `humidity=env.machineRoomRhPct,note=-` (`-` ignores a
 * column). Each column's unit is taken to be its field's unit.
 */
export function parseMappingSpec(spec: string): CsvMapping {
  const columns: CsvMapping['columns'] = {};
  for (const part of spec.split(',').filter((s) => s.trim() !== '')) {
    const m = /^\s*([^=]+?)\s*=\s*(-|[a-z]+\.[A-Za-z0-9]+)\s*$/.exec(part);
    if (!m) throw lwError('LW_ERR_CSV_MAPPING', `mapping ${JSON.stringify(part)} is not column=stream.field or column=-, e.g. humidity=env.machineRoomRhPct`);
    columns[m[1]!] = m[2] === '-' ? { ignore: true, why: 'ignored on the command line' } : { to: m[2]!, unit: '' };
  }
  return { columns };
}

/** Checks a mapping against the file's header, once, before any row is read: every column must be accounted for. */
export function resolveColumns(header: readonly string[], mapping: CsvMapping): ResolvedColumn[] {
  const names = Object.keys(mapping.columns);
  const quoted = (list: readonly string[]) => list.map((h) => JSON.stringify(h)).join(', ');
  const missing = names.filter((n) => !header.includes(n) && n !== mapping.time?.column);
  if (missing.length > 0) throw lwError('LW_ERR_CSV_MAPPING', `the mapping names column(s) ${quoted(missing)} that the file does not have; its columns are ${quoted(header)}`);
  if (mapping.time && !header.includes(mapping.time.column)) throw lwError('LW_ERR_CSV_MAPPING', `time column ${JSON.stringify(mapping.time.column)} is not in the file; its columns are ${quoted(header)}`);
  const unmapped = header.filter((h) => mapping.columns[h] === undefined && h !== mapping.time?.column);
  if (unmapped.length > 0) {
    throw lwError('LW_ERR_CSV_MAPPING', `column(s) ${quoted(unmapped)} of the file are not in the mapping: map each to a contract field ({"to": "env.…", "unit": "…"}) or write {"ignore": true, "why": "…"}, so that no signal is dropped unseen`);
  }
  const out: ResolvedColumn[] = [];
  header.forEach((column, index) => {
    const entry = mapping.columns[column];
    if (!entry || 'ignore' in entry) return;
    const target = resolveTarget(entry.to, entry.unit === '' ? undefined : entry.unit, `column ${JSON.stringify(column)}`, CSV_STREAMS);
    if (target.type !== 'number' && target.type !== 'integer') throw lwError('LW_ERR_CSV_MAPPING', `column ${JSON.stringify(column)}: ${entry.to} is not a numeric field`);
    out.push({ column, index, target, scale: entry.scale ?? 1, offset: entry.offset ?? 0, summary: entry.summary ?? (target.stream === 'counters' ? 'last' : 'mean') });
  });
  return out;
}
