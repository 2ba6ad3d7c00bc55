// The SQLite writer alone, as the writer thread runs it (ingest/src/store/sqlite-writer.ts), on a
// city's records: 150,000 lifts in turn, 10 % trips and door cycles with their rollups, in batches of
// a given size, the write-ahead log copied into the database every given number of pages as the
// writer thread does. It prints the writer's own CPU per record (getrusage around each write and
// checkpoint: what the machine's other work does not add to), the checkpoints' share of it, and the
// bytes written to disk per record. Only what is stored counts; the records are made beforehand.
// Writes bench/results/writer-checkpoint.json (the latest run's figures).
//
//   [CACHE_KIB=16384] npx tsx bench/writer-checkpoint.ts [checkpoint pages 16384] [records 600000] [records per batch 200]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { RecordStream } from '@liftwatch/contract';
import { createSqliteWriter, WRITER_CACHE_KIB } from '../ingest/src/store/sqlite-writer.js';
import { toColumns } from '../ingest/src/store/sqlite-telemetry.js';
import { resultRow } from './figures.js';
import { fillRecord, RECORD_TEMPLATES, recordMix } from './paced.js';

const [pagesArg = '16384', recordsArg = '600000', batchArg = '200'] = process.argv.slice(2);
const CHECKPOINT_PAGES = Number(pagesArg); const RECORDS = Number(recordsArg); const BATCH = Number(batchArg);
const LIFTS = 150_000;
/** Records between two checkpoints of the lift summaries (30 s at 30,000 records/s). */
const SUMMARY_EVERY = 900_000;
/** The writer's page cache, KiB: CACHE_KIB in the environment, else the writer thread's own. */
const CACHE_KIB = process.env.CACHE_KIB ?? String(WRITER_CACHE_KIB);
const dir = mkdtempSync(join(tmpdir(), 'writer-checkpoint-'));
const db = new Database(join(dir, 'liftwatch.db'));
// As the writer thread opens its connection (sqlite-writer-thread.ts).
db.pragma('journal_mode = WAL'); db.pragma('synchronous = FULL'); db.pragma(`cache_size = -${CACHE_KIB}`); db.pragma('wal_autocheckpoint = 0');
const writer = createSqliteWriter(db, { rawDays: 90, minuteDays: 400, hourDays: 3650 });
const writtenBytes = () => Number(/write_bytes: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))![1]);
const liftId = (i: number) => `CITY-${String(i).padStart(6, '0')}`;
const cpuUs = (since: NodeJS.CpuUsage) => { const d = process.cpuUsage(since); return d.user + d.system; };

let pages = 0; let checkpoints = 0; let checkpointUs = 0; let writerUs = 0;
const t0 = Date.now() - 1_000_000; const bytes0 = writtenBytes(); const load0 = loadavg()[0]!;
for (let n = 0; n < RECORDS; n += BATCH) {
  const rows = [];
  const newLifts: Array<[string, number]> = [];
  for (let k = n; k < Math.min(RECORDS, n + BATCH); k++) {
    const id = liftId(k % LIFTS); const ts = t0 + k * 33; const seq = 1 + Math.floor(k / LIFTS);
    if (k < LIFTS) newLifts.push([id, ts]);
    const r = recordMix(k);
    const stream: RecordStream = r < 0.05 ? 'trip' : r < 0.1 ? 'door' : 'status';
    const body = fillRecord(RECORD_TEMPLATES[stream as keyof typeof RECORD_TEMPLATES], id, seq, ts);
    rows.push({ liftId: id, stream, seq, ts, rx: ts, record: JSON.parse(body) as Record<string, unknown>, body });
  }
  const records = toColumns(rows);
  // Every SUMMARY_EVERY records the batch also writes every lift's summary row, as the lift
  // summaries' checkpoint does every 30 s (its status found in the records table: IN_RECORDS, '').
  const summaries = n > 0 && Math.floor(n / SUMMARY_EVERY) !== Math.floor((n + BATCH) / SUMMARY_EVERY);
  const checkpoint = summaries ? Array.from({ length: LIFTS }, (_, i) => {
    const k = n - LIFTS + i; // the lift's latest record before this batch (n ≥ LIFTS here)
    return { liftId: liftId(k % LIFTS), rx: t0 + k * 33, records: 1, body: '', ts: t0 + k * 33, seq: 1 + Math.floor(k / LIFTS) };
  }) : undefined;
  const before = process.cpuUsage();
  writer.write({ newLifts, presence: [], deadLetters: [], records, ...(checkpoint ? { checkpoint } : {}) });
  // As checkpointSoon counts: about one page per row written.
  pages += 1 + rows.length + newLifts.length;
  if (pages >= CHECKPOINT_PAGES) {
    pages = 0;
    const c = process.cpuUsage();
    db.pragma('wal_checkpoint(PASSIVE)');
    checkpointUs += cpuUs(c);
    checkpoints++;
  }
  writerUs += cpuUs(before);
}
const perRecord = (us: number) => Number((us / RECORDS).toFixed(2));
const result = {
  checkpointPages: CHECKPOINT_PAGES, records: RECORDS, batch: BATCH, writerCpuUsPerRecord: perRecord(writerUs), checkpointCpuUsPerRecord: perRecord(checkpointUs),
  cacheKiB: Number(CACHE_KIB), maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024), checkpoints, kibWrittenPerRecord: Number(((writtenBytes() - bytes0) / RECORDS / 1024).toFixed(2)), load: Math.max(load0, loadavg()[0]!),
};
console.log(JSON.stringify(result));
db.close();
rmSync(dir, { recursive: true, force: true });

const command = `${process.env.CACHE_KIB === undefined ? '' : `CACHE_KIB=${CACHE_KIB} `}npx tsx bench/writer-checkpoint.ts ${CHECKPOINT_PAGES} ${RECORDS} ${BATCH}`;
const run = { command, date: new Date().toISOString() };
/** The settings and the machine's load on every row: a sweep compares runs by them. No reference run and no target: reference and ratio stay null. */
const settings = { checkpointPages: CHECKPOINT_PAGES, batch: BATCH, cacheKiB: result.cacheKiB, loadAverage: +result.load.toFixed(2) };
const row = (metric: string, unit: string, value: number) => resultRow(metric, unit, value, null, run, settings);
const resultRows = [
  row(`writer CPU per record (${RECORDS} records, ${BATCH} per batch, checkpoint every ${CHECKPOINT_PAGES} pages)`, 'µs', result.writerCpuUsPerRecord),
  row('writer CPU per record spent in the write-ahead-log checkpoints', 'µs', result.checkpointCpuUsPerRecord),
  row('write-ahead-log checkpoints', 'checkpoints', result.checkpoints),
  row('bytes written to disk per record', 'KiB', result.kibWrittenPerRecord),
  row('resident memory, max', 'MiB', result.maxRssMiB),
];
const root = new URL('../', import.meta.url).pathname;
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/writer-checkpoint.json'), `${JSON.stringify(resultRows, null, 2)}\n`);
