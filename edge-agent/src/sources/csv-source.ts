import { readFileSync } from 'node:fs';
import { lwError } from '@liftwatch/contract';
import type { RecordDraft } from '../spool/spool.js';
import { readNumericCsv, resolveMapping, type ColumnMapping, type CsvReport } from './csv-parse.js';
import type { SensorSource, SourceSink } from './source.js';

export { parseMapping } from './csv-parse.js';

/**
 * The Huawei GRC file (domain §5.1): only `humidity` has a contract field. `ball-bearing`
 * ("revolutions") and `vibration` ("dB") have no field with a matching unit, so they are checked
 * cell by cell and summarised in the report, not published.
 */
export const HUAWEI_MAPPING: readonly ColumnMapping[] = Object.freeze([{ column: 'humidity', stream: 'env', field: 'machineRoomRhPct' }]);

export interface CsvSourceOptions {
  readonly path: string;
  /** Rows per second in the file. @defaultValue 4 (the Huawei file) */
  readonly rateHz?: number;
  /** Replay speed: 1 = real time, 60 = a minute per second, 0 = as fast as the agent takes it. @defaultValue 1 */
  readonly speed?: number;
  readonly mapping?: readonly ColumnMapping[];
  /**
   * Seconds of samples summarised into one env record (their mean). A 4 Hz file is never sent one
   * message per sample (domain §6a rule 1: event-first, raw only as short windows). @defaultValue 60
   */
  readonly windowS?: number;
  /** Timestamp of the first row, ms. @defaultValue the time the replay starts */
  readonly startTs?: number;
  readonly now?: () => number;
}

interface Window { offsetMs: number; draft: RecordDraft }

/** Reads the file once, checks every cell and cuts it into windows of mapped means. */
export function prepareCsvReplay(options: CsvSourceOptions, startTs: number): { windows: Window[]; report: CsvReport; columns: string[] } {
  let text: string;
  try {
    text = readFileSync(options.path, 'utf8');
  } catch (err) {
    throw lwError('LW_ERR_CSV_MAPPING', `cannot read the CSV file ${options.path}: ${String(err)}`, err);
  }
  const rateHz = options.rateHz ?? 4;
  const perWindow = Math.max(1, Math.round((options.windowS ?? 60) * rateHz));
  const mapping = options.mapping ?? HUAWEI_MAPPING;
  const windows: Window[] = [];
  let resolved: ReturnType<typeof resolveMapping> | undefined;
  let sums = new Float64Array(mapping.length);
  let counts = new Uint32Array(mapping.length);
  let rows = 0;
  const flush = () => {
    const record: Record<string, unknown> = {};
    resolved!.forEach((m, k) => {
      if (counts[k]! > 0) record[m.field] = Math.round((sums[k]! / counts[k]!) * 1000) / 1000;
    });
    const offsetMs = Math.round((rows * 1000) / rateHz);
    if (Object.keys(record).length > 0) windows.push({ offsetMs, draft: { stream: 'env', record: { ts: startTs + offsetMs, ...record } } });
    sums = new Float64Array(mapping.length);
    counts = new Uint32Array(mapping.length);
  };
  const { header, report } = readNumericCsv(text, (values) => {
    rows++;
    resolved!.forEach((m, k) => {
      const v = values[m.index]!;
      if (Number.isNaN(v)) return;
      sums[k]! += v;
      counts[k]!++;
    });
    if (rows % perWindow === 0) flush();
  }, 100, (h) => {
    resolved = resolveMapping(h, mapping);
  });
  if (rows % perWindow !== 0) flush();
  return { windows, report, columns: header };
}

/** CSV replay as a sensor source: windows are emitted when their time comes (or at once with speed 0). */
export function createCsvSource(options: CsvSourceOptions): SensorSource & { report(): CsvReport | undefined } {
  const now = options.now ?? Date.now;
  const speed = options.speed ?? 1;
  let report: CsvReport | undefined;
  let timer: NodeJS.Timeout | undefined;
  let next = 0;
  let windows: Window[] = [];
  let stopped = false;
  return {
    kind: 'csv',
    report: () => report,
    done: () => next >= windows.length,
    start(sink: SourceSink) {
      const t0 = options.startTs ?? now();
      const prepared = prepareCsvReplay(options, t0);
      windows = prepared.windows;
      report = prepared.report;
      sink.log(`csv ${options.path}: ${report.rowsRead} rows read, ${report.rowsRejected} rejected, ${report.badCells} bad cells ${JSON.stringify(report.badCellsByColumn)}`);
      for (const bad of report.examples.slice(0, 20)) sink.log(`csv ${options.path}: line ${bad.line}, column ${bad.column}: ${bad.reason}`);
      const wallStart = now();
      const tick = () => {
        if (stopped) return;
        const dataMs = speed === 0 ? Number.POSITIVE_INFINITY : (now() - wallStart) * speed;
        const batch: RecordDraft[] = [];
        while (next < windows.length && windows[next]!.offsetMs <= dataMs && batch.length < 500) batch.push(windows[next++]!.draft);
        if (batch.length > 0) sink.emit(batch);
        if (next < windows.length) timer = setTimeout(tick, speed === 0 ? 0 : 250);
      };
      tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
