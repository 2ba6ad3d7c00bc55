import { lwError, type RecordStream } from '@liftwatch/contract';
import type { RecordDraft } from '../spool/spool.js';
import { readCsv, parseCell, type BadCell } from './csv-parse.js';
import { resolveColumns, type CsvMapping, type ResolvedColumn } from './csv-mapping.js';
import { outOfRange } from './field-target.js';

export interface CsvReport {
  /** Data rows read (the header not counted). */
  rowsRead: number;
  /** Rows with at least one bad cell; their good cells are still used (a bad time cell drops the row). */
  rowsRejected: number;
  badCells: number;
  badCellsByColumn: Record<string, number>;
  /** The first bad cells, with line, column, value and reason. */
  examples: BadCell[];
  /** Data time from the first row to the last, ms. */
  spanMs: number;
}

/** One window of samples: its records (no ts yet) and where it lies in the file's time. */
export interface ReplayWindow {
  /** Data time of the window's last row, ms after the file's first row. */
  readonly offsetMs: number;
  /** The file's own time of that row, ms since the epoch, when the file or `startTs` gives one. */
  readonly fileTs: number | undefined;
  readonly drafts: readonly RecordDraft[];
}

export interface PrepareOptions {
  readonly path: string;
  readonly mapping: CsvMapping;
  /** Timestamp of the first row for a file without a time column, ms. */
  readonly startTs?: number;
  /** 'file': rows whose own time is later than `now` are rejected (a record is never stamped ahead of the clock). */
  readonly timeBase: 'file' | 'now';
  readonly now: () => number;
  /** Bad cells kept as examples. @defaultValue 100 */
  readonly keepBadCells?: number;
}

/** Running summary of one column within a window. */
interface Acc { sum: number; n: number; min: number; max: number; last: number }
const emptyAcc = (): Acc => ({ sum: 0, n: 0, min: Infinity, max: -Infinity, last: Number.NaN });

function valueOf(acc: Acc, c: ResolvedColumn): number {
  const v = c.summary === 'mean' ? acc.sum / acc.n : c.summary === 'min' ? acc.min : c.summary === 'max' ? acc.max : acc.last;
  return c.target.type === 'integer' ? Math.round(v) : Math.round(v * 1000) / 1000;
}

function parseTime(text: string, format: NonNullable<CsvMapping['time']>['format']): number | undefined {
  const t = text.trim();
  const ms = format === 'iso' ? Date.parse(t) : /^\d+(\.\d+)?$/.test(t) ? Number(t) * (format === 'epoch-s' ? 1000 : 1) : Number.NaN;
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}

/**
 * Reads the file once, checks every cell, and cuts the rows into windows of `windowS` of data time,
 * each summarised into one record per stream. A bad cell is reported with its line and column,
 * counted and skipped; the replay goes on.
 */
export async function prepareCsvReplay(options: PrepareOptions): Promise<{ windows: ReplayWindow[]; report: CsvReport; columns: string[] }> {
  const { mapping } = options;
  const rateHz = mapping.rateHz ?? 4;
  const windowMs = (mapping.windowS ?? 60) * 1000;
  const keep = options.keepBadCells ?? 100;
  if (options.timeBase === 'file' && !mapping.time && options.startTs === undefined) {
    throw lwError('LW_ERR_CSV_MAPPING', `${options.path} has no time column in its mapping: give the time of its first row (--csv-start) or replay it shifted to now (--csv-time now)`);
  }
  const report: CsvReport = { rowsRead: 0, rowsRejected: 0, badCells: 0, badCellsByColumn: {}, examples: [], spanMs: 0 };
  const windows: ReplayWindow[] = [];
  let header: string[] = [];
  let columns: ResolvedColumn[] = [];
  let timeIndex = -1;
  let accs: Acc[] = [];
  let windowNo = -1;
  let last: { offsetMs: number; fileTs: number | undefined } | undefined;
  let firstTime: number | undefined;
  let prevTime = -Infinity;

  const bad = (line: number, index: number, value: string, reason: string) => {
    const column = header[index] ?? `#${index + 1}`;
    report.badCells++;
    report.badCellsByColumn[column] = (report.badCellsByColumn[column] ?? 0) + 1;
    if (report.examples.length < keep) report.examples.push({ line, column, columnNumber: index + 1, value, reason });
  };

  const flush = () => {
    if (!last) return;
    const byStream = new Map<RecordStream, Record<string, unknown>>();
    columns.forEach((c, k) => {
      const acc = accs[k]!;
      if (acc.n === 0) return;
      const rec = byStream.get(c.target.stream) ?? {};
      rec[c.target.field] = valueOf(acc, c);
      byStream.set(c.target.stream, rec);
    });
    if (byStream.size > 0) windows.push({ ...last, drafts: [...byStream].map(([stream, record]) => ({ stream, record })) });
    accs = columns.map(emptyAcc);
  };

  /** The row's data time (ms after the first row) and file time, or undefined when its time cell is bad. */
  const timeOf = (cells: readonly string[], line: number): { offsetMs: number; fileTs: number | undefined } | undefined => {
    if (timeIndex < 0) {
      const offsetMs = Math.round((report.rowsRead - 1) * 1000 / rateHz);
      return { offsetMs, fileTs: options.startTs === undefined ? undefined : options.startTs + offsetMs };
    }
    const text = cells[timeIndex] ?? '';
    const t = parseTime(text, mapping.time!.format);
    if (t === undefined) return void bad(line, timeIndex, text, `${JSON.stringify(text)} is not a time in ${mapping.time!.format}; the row is skipped`);
    if (t <= prevTime) return void bad(line, timeIndex, text, `time ${new Date(t).toISOString()} is not after the previous row's; the row is skipped`);
    if (options.timeBase === 'file' && t > options.now()) {
      return void bad(line, timeIndex, text, `time ${new Date(t).toISOString()} is in the future; a record is never stamped ahead of the clock, so the row is skipped`);
    }
    prevTime = t;
    firstTime ??= t;
    return { offsetMs: t - firstTime, fileTs: t };
  };

  await readCsv(options.path, mapping.delimiter, (h) => {
    header = h;
    columns = resolveColumns(h, mapping);
    timeIndex = mapping.time ? h.indexOf(mapping.time.column) : -1;
    accs = columns.map(emptyAcc);
  }, (cells, line) => {
    report.rowsRead++;
    const badBefore = report.badCells;
    const at = timeOf(cells, line);
    if (at) {
      const no = Math.floor(at.offsetMs / windowMs);
      if (no !== windowNo) {
        flush();
        windowNo = no;
      }
      columns.forEach((c, k) => {
        const text = cells[c.index] ?? '';
        const parsed = parseCell(text);
        if (!parsed.ok) return bad(line, c.index, text, parsed.reason);
        const v = parsed.value * c.scale + c.offset;
        const why = outOfRange(c.target, v);
        if (why) return bad(line, c.index, text, `${why}; the cell is skipped`);
        const acc = accs[k]!;
        acc.sum += v; acc.n++; acc.last = v;
        if (v < acc.min) acc.min = v;
        if (v > acc.max) acc.max = v;
      });
      last = at;
      report.spanMs = at.offsetMs;
    }
    if (report.badCells > badBefore) report.rowsRejected++;
  });
  flush();
  return { windows, report, columns: header };
}
