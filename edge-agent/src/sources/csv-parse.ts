import { lwError, STREAMS } from '@liftwatch/contract';

/** Maps one CSV column to a numeric field of the `env` stream (the only stream a slow sensor file fits). */
export interface ColumnMapping {
  readonly column: string;
  readonly stream: 'env';
  readonly field: string;
}

/** A cell that should hold a number and does not: where it is and why it was skipped. */
export interface BadCell {
  /** 1-based line of the file; line 1 is the header. */
  readonly line: number;
  readonly column: string;
  readonly value: string;
  readonly reason: string;
}

export interface CsvReport {
  /** Data rows read (the header not counted). */
  rowsRead: number;
  /** Rows with at least one bad cell; their good cells are still used. */
  rowsRejected: number;
  badCells: number;
  badCellsByColumn: Record<string, number>;
  /** The first bad cells, with line, column, value and reason (at most `keepBadCells`). */
  examples: BadCell[];
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const LOCALE_DATE = /^(\d{1,2}\. ?\p{L}{3,4}|\p{L}{3,4}\.? ?\d{2,4})$/u;

/** Parses a cell as a plain decimal number ("." as the decimal point), or says why it is not one. */
export function parseCell(text: string): { ok: true; value: number } | { ok: false; reason: string } {
  const t = text.trim();
  if (t === '') return { ok: false, reason: 'the cell is empty' };
  if (NUMBER.test(t)) return { ok: true, value: Number(t) };
  if (LOCALE_DATE.test(t)) {
    return { ok: false, reason: `${JSON.stringify(t)} is not a number: it looks like a date made by a German-locale spreadsheet from a decimal (domain §5.1); the cell is skipped` };
  }
  return { ok: false, reason: `${JSON.stringify(t)} is not a number with "." as decimal point; the cell is skipped` };
}

/** The file's delimiter, from its header: ';' (as the Huawei file), ',' or tab. */
export function detectDelimiter(header: string): string {
  const counts = [';', ',', '\t'].map((d) => [d, header.split(d).length] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![0];
}

/** Parses `humidity=env.machineRoomRhPct,temp=env.machineRoomTempC`. */
export function parseMapping(spec: string): ColumnMapping[] {
  return spec.split(',').filter((s) => s.trim() !== '').map((part) => {
    const m = /^\s*([^=]+?)\s*=\s*env\.([A-Za-z]+)\s*$/.exec(part);
    if (!m) throw lwError('LW_ERR_CSV_MAPPING', `mapping ${JSON.stringify(part)} is not column=env.field, e.g. humidity=env.machineRoomRhPct`);
    return { column: m[1]!, stream: 'env', field: m[2]! };
  });
}

/** Checks a mapping against the file's header and the env schema, once, before any row is read. */
export function resolveMapping(header: readonly string[], mapping: readonly ColumnMapping[]): Array<ColumnMapping & { index: number }> {
  const props = (STREAMS.env.schema as unknown as { properties: Record<string, { type?: string }> }).properties;
  return mapping.map((m) => {
    const index = header.indexOf(m.column);
    if (index < 0) throw lwError('LW_ERR_CSV_MAPPING', `column ${JSON.stringify(m.column)} is not in the file; its columns are ${header.map((h) => JSON.stringify(h)).join(', ')}`);
    if (props[m.field]?.type !== 'number') {
      const numeric = Object.keys(props).filter((k) => props[k]?.type === 'number' && !['seq', 'ts', 'schemaVersion'].includes(k));
      throw lwError('LW_ERR_CSV_MAPPING', `env.${m.field} is not a numeric field of the env stream; use one of ${numeric.join(', ')}`);
    }
    return { ...m, index };
  });
}

/**
 * Reads numeric CSV text row by row. Every cell is checked: a cell that is not a number is reported
 * with its line and column, counted and skipped (never published as a number), and the row's other
 * cells are kept. `onRow` gets the row's numbers, NaN where a cell was skipped.
 */
export function readNumericCsv(
  text: string, onRow: (values: Float64Array, line: number) => void, keepBadCells = 100, onHeader?: (header: string[]) => void,
): { header: string[]; report: CsvReport } {
  const lines = text.split(/\r?\n/);
  const headerLine = lines[0] ?? '';
  const delimiter = detectDelimiter(headerLine);
  const header = headerLine.split(delimiter).map((h) => h.trim());
  onHeader?.(header);
  const report: CsvReport = { rowsRead: 0, rowsRejected: 0, badCells: 0, badCellsByColumn: {}, examples: [] };
  const values = new Float64Array(header.length);
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw === '' && i === lines.length - 1) break; // the final newline
    const cells = raw.split(delimiter);
    report.rowsRead++;
    let bad = false;
    for (let c = 0; c < header.length; c++) {
      const parsed = parseCell(cells[c] ?? '');
      if (parsed.ok) {
        values[c] = parsed.value;
        continue;
      }
      values[c] = Number.NaN;
      bad = true;
      const column = header[c]!;
      report.badCells++;
      report.badCellsByColumn[column] = (report.badCellsByColumn[column] ?? 0) + 1;
      if (report.examples.length < keepBadCells) report.examples.push({ line: i + 1, column, value: cells[c] ?? '', reason: parsed.reason });
    }
    if (bad) report.rowsRejected++;
    onRow(values, i + 1);
  }
  return { header, report };
}
