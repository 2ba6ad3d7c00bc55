import { measurementOf, type RecordStream } from '@liftwatch/contract';
import type { TelemetryRow } from './telemetry-store.js';

/**
 * InfluxDB line protocol for liftwatch records: measurement `lift_<stream>`, tag `liftId`, the
 * record's fields as fields, time = device ts. Every number is written as a float (a field's
 * type may never change in InfluxDB, and an integer-valued reading is still a reading) except `seq`,
 * an integer. Arrays and objects are JSON strings under `<name>__json`.
 *
 * A point is identified by measurement, tag set and time, so two records of one lift and stream in
 * the same millisecond would be one point (the second overwrites the first). The time is therefore
 * written in nanoseconds with the record's seq (modulo 10^6) below the millisecond: records with
 * different seqs are different points, the same record sent again is the same point, and no tag is
 * added (series cardinality stays one per lift and measurement). Reads in ms (`epoch=ms`) and
 * buckets of whole milliseconds never see the nanoseconds.
 */
const SKIP = new Set(['schemaVersion', 'liftId', 'ts']);
const JSON_SUFFIX = '__json';

const escTag = (v: string) => v.replace(/[,= \\]/g, (c) => `\\${c}`);
const escKey = escTag;
const escStr = (v: string) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/** The write precision of `toLine`'s timestamps. */
export const LINE_PRECISION = 'ns';
/** Nanoseconds of a millisecond: room for the seq below the device's millisecond. */
const SEQ_SLOTS = 1_000_000;

/** The point's time in ns: the device ms, then the seq modulo 10^6 (a string: ns since 1970 exceed 2^53). */
export function pointTime(ts: number, seq: number): string {
  return `${ts}${String(seq % SEQ_SLOTS).padStart(6, '0')}`;
}

export function toLine(row: TelemetryRow): string {
  const fields: string[] = [];
  for (const [key, value] of Object.entries(row.record)) {
    if (SKIP.has(key) || value === undefined || value === null) continue;
    if (key === 'seq') fields.push(`seq=${row.seq}i`);
    else if (typeof value === 'number') { if (Number.isFinite(value)) fields.push(`${escKey(key)}=${value}`); }
    else if (typeof value === 'boolean') fields.push(`${escKey(key)}=${value}`);
    else if (typeof value === 'string') fields.push(`${escKey(key)}=${escStr(value)}`);
    else fields.push(`${escKey(key + JSON_SUFFIX)}=${escStr(JSON.stringify(value))}`);
  }
  if (!fields.some((f) => f.startsWith('seq='))) fields.push(`seq=${row.seq}i`);
  return `${measurementOf(row.stream)},liftId=${escTag(row.liftId)} ${fields.join(',')} ${pointTime(row.ts, row.seq)}`;
}

/** Turns a row of an InfluxQL `SELECT *` back into a record (columns from the response). */
export function fromColumns(stream: RecordStream, liftId: string, columns: string[], values: unknown[]): TelemetryRow {
  const record: Record<string, unknown> = { schemaVersion: 1, liftId };
  let ts = 0;
  columns.forEach((col, i) => {
    const v = values[i];
    if (v === null || v === undefined || col === 'liftId') return;
    if (col === 'time') ts = v as number;
    else if (col.endsWith(JSON_SUFFIX)) record[col.slice(0, -JSON_SUFFIX.length)] = JSON.parse(v as string) as unknown;
    else record[col] = v;
  });
  record['ts'] = ts;
  return { liftId, stream, seq: Number(record['seq']), ts, rx: ts, record };
}

export const streamOfMeasurement = (name: string): RecordStream => name.replace(/^lift_/, '') as RecordStream;
