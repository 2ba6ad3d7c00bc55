import { fileURLToPath } from 'node:url';
import type { RecordStream } from '@liftwatch/contract';
import type { RecordDraft } from '../spool/spool.js';
import { loadCsvMapping, type CsvMapping } from './csv-mapping.js';
import { prepareCsvReplay, type CsvReport, type ReplayWindow } from './csv-replay.js';
import type { SensorSource, SourceSink } from './source.js';

/** The mapping shipped for the Huawei GRC file: every column to an env field, with its unit. */
export const HUAWEI_MAPPING_FILE = fileURLToPath(new URL('../../mappings/huawei-grc.json', import.meta.url));

export interface CsvSourceOptions {
  readonly path: string;
  /** Where every column goes. @defaultValue the Huawei mapping (mappings/huawei-grc.json) */
  readonly mapping?: CsvMapping;
  /** Replay speed: 1 = real time, 60 = a minute per second, 0 = as fast as the agent takes it. @defaultValue 1 */
  readonly speed?: number;
  /**
   * 'file': each record keeps the file's own time (its time column, or `startTs` + row / rate); a row
   * later than now is rejected. 'now': the file is shifted so that its records are as recent as
   * possible while none is stamped after the moment it is sent: at speed 1 the first row is now; faster,
   * the last row is the moment it is sent. Spacing between rows is kept either way. @defaultValue 'now'
   */
  readonly timeBase?: 'file' | 'now';
  /** Time of the first row of a file without a time column, ms (timeBase 'file'). */
  readonly startTs?: number;
  readonly now?: () => number;
}

/** What a replay did: the report of the file's cells and the records it emitted. */
export interface CsvSummary extends CsvReport {
  readonly file: string;
  readonly timeBase: 'file' | 'now';
  readonly records: Partial<Record<RecordStream, number>>;
  /** Contract fields that received at least one value (stream.field). */
  readonly fields: string[];
  readonly firstTs: number | undefined;
  readonly lastTs: number | undefined;
  readonly done: boolean;
}

/** The shift added to the file's data time at replay speed `speed` for a file spanning `spanMs` (see timeBase). */
export function shiftToNow(spanMs: number, speed: number): number {
  if (speed === 0) return -spanMs;
  return speed >= 1 ? -(spanMs - spanMs / speed) : 0;
}

/** CSV replay as a sensor source: one record per window and stream, emitted when its time comes. */
export function createCsvSource(options: CsvSourceOptions): SensorSource & { prepare(): Promise<void>; summary(): CsvSummary } {
  const now = options.now ?? Date.now;
  const speed = options.speed ?? 1;
  const timeBase = options.timeBase ?? 'now';
  let prepared: { windows: ReplayWindow[]; report: CsvReport } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let next = 0;
  let stopped = false;
  let failed = false;
  const records: Partial<Record<RecordStream, number>> = {};
  const fields = new Set<string>();
  let firstTs: number | undefined;
  let lastTs: number | undefined;

  async function prepare(): Promise<void> {
    prepared ??= await prepareCsvReplay({
      path: options.path, mapping: options.mapping ?? loadCsvMapping(HUAWEI_MAPPING_FILE), timeBase, now,
      ...(options.startTs === undefined ? {} : { startTs: options.startTs }),
    });
  }

  function play(sink: SourceSink): void {
    const { windows, report } = prepared!;
    sink.log(`csv ${options.path}: ${report.rowsRead} rows read, ${report.rowsRejected} with a bad cell, ${report.badCells} bad cells ${JSON.stringify(report.badCellsByColumn)}`);
    for (const b of report.examples.slice(0, 20)) sink.log(`csv ${options.path}: line ${b.line}, column ${b.columnNumber} (${b.column}): ${b.reason}`);
    const wallStart = now();
    const shift = shiftToNow(report.spanMs, speed);
    const tick = () => {
      if (stopped) return;
      const dataMs = speed === 0 ? Number.POSITIVE_INFINITY : (now() - wallStart) * speed;
      const batch: RecordDraft[] = [];
      while (next < windows.length && windows[next]!.offsetMs <= dataMs && batch.length < 500) {
        const w = windows[next++]!;
        // Never ahead of the clock: the formula keeps ts ≤ now; the min() covers rounding.
        const ts = Math.min(now(), timeBase === 'file' ? w.fileTs! : wallStart + w.offsetMs + shift);
        for (const d of w.drafts) {
          batch.push({ stream: d.stream, record: { ...d.record, ts } });
          records[d.stream] = (records[d.stream] ?? 0) + 1;
          for (const f of Object.keys(d.record)) fields.add(`${d.stream}.${f}`);
        }
        firstTs ??= ts;
        lastTs = ts;
      }
      if (batch.length > 0) sink.emit(batch);
      if (next < windows.length) timer = setTimeout(tick, speed === 0 ? 0 : 250);
    };
    tick();
  }

  return {
    kind: 'csv',
    prepare,
    summary: (): CsvSummary => ({
      ...(prepared?.report ?? { rowsRead: 0, rowsRejected: 0, badCells: 0, badCellsByColumn: {}, examples: [], spanMs: 0 }),
      file: options.path, timeBase, records, fields: [...fields].sort(), firstTs, lastTs, done: prepared !== undefined && next >= prepared.windows.length,
    }),
    done: () => failed || (prepared !== undefined && next >= prepared.windows.length),
    start(sink: SourceSink) {
      prepare().then(() => play(sink), (err: unknown) => {
        failed = true;
        sink.log(`csv ${options.path}: not replayed: ${err instanceof Error ? err.message : String(err)}`);
      });
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
