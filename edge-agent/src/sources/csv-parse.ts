import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { parse } from 'csv-parse';
import { LiftwatchError, lwError } from '@liftwatch/contract';

/** A cell that should hold a value and does not: where it is and why it was skipped. */
export interface BadCell {
  /** 1-based line of the file; line 1 is the header. */
  readonly line: number;
  readonly column: string;
  /** 1-based position of the column in the header. */
  readonly columnNumber: number;
  readonly value: string;
  readonly reason: string;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const LOCALE_DATE = /^(\d{1,2}\. ?\p{L}{3,4}|\p{L}{3,4}\.? ?\d{2,4})$/u;

/** Parses a cell as a plain decimal number ("." as the decimal point), or says why it is not one. */
export function parseCell(text: string): { ok: true; value: number } | { ok: false; reason: string } {
  const t = text.trim();
  if (t === '') return { ok: false, reason: 'the cell is empty' };
  if (NUMBER.test(t)) return { ok: true, value: Number(t) };
  if (LOCALE_DATE.test(t)) {
    return { ok: false, reason: `${JSON.stringify(t)} is not a number: it looks like a date that a spreadsheet with a German locale made from a decimal; the cell is skipped` };
  }
  return { ok: false, reason: `${JSON.stringify(t)} is not a number with "." as decimal point; the cell is skipped` };
}

/** The file's delimiter, from its header: ';' (as the Huawei file), ',' or tab. */
export function detectDelimiter(header: string): string {
  const counts = [';', ',', '\t'].map((d) => [d, header.split(d).length] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![0];
}

/** The first line of a file (up to 64 KiB), to find its delimiter before parsing. */
function firstLine(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if (err instanceof LiftwatchError) throw err; // a mapping that does not fit the header
    throw lwError('LW_ERR_CSV_MAPPING', `cannot read the CSV file ${path}: ${String(err)}`, err);
  }
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8').split(/\r?\n/)[0] ?? '';
  } finally {
    closeSync(fd);
  }
}

/**
 * Streams a CSV file through csv-parse (quotes, CRLF and blank lines handled by the library): the
 * header first, then each row's cells with its 1-based line number. A row with fewer cells than the
 * header gets '' for the missing ones (reported by the caller as empty cells).
 */
export async function readCsv(
  path: string, delimiter: string | undefined,
  onHeader: (header: string[]) => void, onRow: (cells: readonly string[], line: number) => void,
): Promise<void> {
  const parser = createReadStream(path).pipe(parse({
    delimiter: delimiter ?? detectDelimiter(firstLine(path)), info: true, relax_column_count: true, skip_empty_lines: true, bom: true,
  }));
  let header: string[] | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (header === undefined) {
        header = record.map((h) => h.trim());
        onHeader(header);
        continue;
      }
      onRow(record, info.lines);
    }
  } catch (err) {
    if (err instanceof LiftwatchError) throw err; // a mapping that does not fit the header
    throw lwError('LW_ERR_CSV_MAPPING', `cannot read the CSV file ${path}: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  if (header === undefined) throw lwError('LW_ERR_CSV_MAPPING', `the CSV file ${path} is empty: it needs a header line naming its columns`);
}
