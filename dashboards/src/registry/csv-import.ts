import { parse } from 'csv-parse/sync';
import { Value } from '@sinclair/typebox/value';
import { InspectionWrite, isValidLiftId, LIFT_PROFILE_FIELDS, LiftProfileFields, lwError, type ImportRowError, type LiftProfileField, type LiftProfileWrite } from '@liftwatch/contract';
import { entryProblems, type EntryRules } from './check-entry.js';

/** Columns of the registry CSV besides the profile fields: the lift's latest periodic inspection. */
export const INSPECTION_COLUMNS = ['inspectionDate', 'inspectionResult', 'inspectionNextDue'] as const;
/** Every column the import reads (and the export writes), in this order. */
export const REGISTRY_COLUMNS: readonly string[] = ['liftId', ...LIFT_PROFILE_FIELDS, ...INSPECTION_COLUMNS];
const NUMBERS = new Set<string>(['latitude', 'longitude', 'ratedSpeedMps', 'ratedLoadKg', 'floors']);

/** What the import reads of the registry: the entries of the file's lifts, and which lift holds each registration code. */
export interface StoredLookups {
  current(liftIds: readonly string[]): Promise<ReadonlyMap<string, LiftProfileWrite>>;
  held(codes: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

export interface ParsedImport {
  /** Data lines of the file. */
  readonly rows: number;
  readonly entries: Array<{ liftId: string } & LiftProfileWrite>;
  readonly inspections: Array<{ liftId: string } & InspectionWrite>;
  readonly errors: ImportRowError[];
}

/** A cell as the field's value: empty clears it (null); numbers must be numbers. */
function cellValue(column: string, text: string): unknown {
  const t = text.trim();
  if (t === '') return null;
  if (NUMBERS.has(column)) return /^-?[0-9]+(\.[0-9]+)?$/.test(t) ? Number(t) : t;
  return t;
}

/** The first schema error of a field, said for people, or undefined. */
function fieldError(column: LiftProfileField, value: unknown): string | undefined {
  const first = Value.Errors(LiftProfileFields[column], value).First();
  if (!first) return undefined;
  const schema = LiftProfileFields[column].anyOf[0] as { description?: string; pattern?: string; minimum?: number; maximum?: number; exclusiveMinimum?: number; enum?: unknown; anyOf?: Array<{ const: string }> };
  const allowed = schema.anyOf ? `one of ${schema.anyOf.map((s) => s.const).join(', ')}`
    : schema.pattern ? `the form ${schema.pattern}` : schema.maximum !== undefined ? `a ${column === 'floors' ? 'whole number' : 'number'} ${schema.minimum ?? schema.exclusiveMinimum ?? ''}–${schema.maximum}` : 'a valid value';
  return `${JSON.stringify(value)} is not valid for ${column}: give ${allowed}${schema.description ? ` (${schema.description})` : ''}, or leave it empty`;
}

/**
 * Reads a registry CSV (RFC 4180, UTF-8, a header naming the columns: `liftId` and any of the
 * profile fields and inspection columns; columns left out are kept as stored, an empty cell clears
 * the field). Every line is checked; each problem is reported with its line and column, and
 * nothing is written while there is one. `held`: which lift holds each registration code already.
 */
export async function parseRegistryCsv(text: string, rules: EntryRules, stored: StoredLookups, maxRows: number): Promise<ParsedImport> {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as typeof records;
  } catch (err) {
    throw lwError('LW_ERR_IMPORT_INVALID', `the file is not CSV (${(err as Error).message}): save it as CSV, UTF-8, comma-separated`, err);
  }
  const header = (records.shift()?.record ?? []).map((h) => h.trim());
  if (!header.includes('liftId')) throw lwError('LW_ERR_IMPORT_INVALID', `the header ${JSON.stringify(header.slice(0, 20))} has no liftId column: the first line names the columns, liftId and any of ${REGISTRY_COLUMNS.slice(1).join(', ')}`);
  const unknown = header.filter((h) => !REGISTRY_COLUMNS.includes(h));
  if (unknown.length > 0) throw lwError('LW_ERR_IMPORT_INVALID', `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => JSON.stringify(u)).join(', ')}: the columns are ${REGISTRY_COLUMNS.join(', ')}`);
  const twice = header.find((h, i) => header.indexOf(h) !== i);
  if (twice) throw lwError('LW_ERR_IMPORT_INVALID', `column ${twice} is twice in the header: name each column once`);
  if (records.length > maxRows) throw lwError('LW_ERR_IMPORT_INVALID', `the file has ${records.length} lines of lifts, more than ${maxRows} in one import: split it`);

  const errors: ImportRowError[] = [];
  const entries: ParsedImport['entries'] = [];
  const inspections: ParsedImport['inspections'] = [];
  const lineOf = new Map<string, number>();
  const codeLine = new Map<string, { line: number; liftId: string }>();
  const fields = header.filter((h): h is LiftProfileField => (LIFT_PROFILE_FIELDS as readonly string[]).includes(h));
  const inspectionGiven = INSPECTION_COLUMNS.some((c) => header.includes(c));
  const checked: Array<{ line: number; entry: { liftId: string } & LiftProfileWrite }> = [];
  for (const { record, info } of records) {
    const line = info.lines;
    const cell = (column: string) => record[header.indexOf(column)] ?? '';
    const liftId = cell('liftId').trim();
    const fail = (column: string | null, message: string) => errors.push({ line, liftId: liftId || null, column, message });
    if (record.length !== header.length) fail(null, `the line has ${record.length} cells, the header ${header.length}: quote cells that hold a comma ("…")`);
    if (!isValidLiftId(liftId)) {
      fail('liftId', `lift id ${JSON.stringify(liftId)} is not valid: use 1–64 of A–Z a–z 0–9 _ . -, starting with a letter or digit`);
      continue;
    }
    const first = lineOf.get(liftId);
    if (first !== undefined) {
      fail('liftId', `lift ${liftId} is on line ${first} already: give each lift once`);
      continue;
    }
    lineOf.set(liftId, line);
    const entry: { liftId: string } & LiftProfileWrite = { liftId };
    let ok = true;
    for (const column of fields) {
      const value = cellValue(column, cell(column));
      const wrong = fieldError(column, value);
      if (wrong) {
        fail(column, wrong);
        ok = false;
      } else (entry as Record<string, unknown>)[column] = value;
    }
    if (ok) checked.push({ line, entry });
    if (entry.registrationCode) {
      const other = codeLine.get(entry.registrationCode);
      if (other) fail('registrationCode', `registration code ${entry.registrationCode} is lift ${other.liftId}'s on line ${other.line} too: a code belongs to one lift`);
      else codeLine.set(entry.registrationCode, { line, liftId });
    }
    entries.push(entry);
    if (inspectionGiven) inspectionOf(liftId, cell, fail, inspections);
  }
  const current = await stored.current(checked.map((c) => c.entry.liftId));
  for (const { line, entry } of checked) {
    for (const p of entryProblems(entry, rules, current.get(entry.liftId))) errors.push({ line, liftId: entry.liftId, column: p.column, message: p.message });
  }
  // Codes that other lifts of the registry hold already (a lift of the file taking a new code gives its old one up).
  for (const [code, holder] of await stored.held([...codeLine.keys()])) {
    const mine = codeLine.get(code)!;
    const holderMoves = entries.some((e) => e.liftId === holder && e.registrationCode !== undefined && e.registrationCode !== code);
    if (holder !== mine.liftId && !holderMoves) errors.push({ line: mine.line, liftId: mine.liftId, column: 'registrationCode', message: `registration code ${code} is already lift ${holder}'s in the registry: a code belongs to one lift; correct one of them` });
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows: records.length, entries, inspections, errors };
}

/** The inspection columns of a line: all three or none. */
function inspectionOf(liftId: string, cell: (c: string) => string, fail: (column: string | null, message: string) => void, out: ParsedImport['inspections']): void {
  const [date, result, next] = INSPECTION_COLUMNS.map((c) => cell(c).trim());
  if (!date && !result && !next) return;
  if (!date || !result || !next) {
    fail(INSPECTION_COLUMNS[[date, result, next].findIndex((v) => !v)]!, 'an inspection needs inspectionDate, inspectionResult and inspectionNextDue together, or none of them');
    return;
  }
  const value = { inspectedOn: date, result, nextDue: next };
  const first = Value.Errors(InspectionWrite, value).First();
  if (first) {
    const column = first.path.includes('result') ? 'inspectionResult' : first.path.includes('nextDue') ? 'inspectionNextDue' : 'inspectionDate';
    fail(column, `${JSON.stringify(first.value)} is not valid for ${column}: give ${column === 'inspectionResult' ? 'pass, passAfterRecheck or fail' : 'a date YYYY-MM-DD'}`);
    return;
  }
  if (next <= date) {
    fail('inspectionNextDue', `the next inspection (${next}) is not after this one (${date}): give the date the report sets`);
    return;
  }
  out.push({ liftId, ...(value as InspectionWrite) });
}
