// Scoring one lift in the running platform (issue 6 §4): its records read from the SQLite telemetry
// store, features and health computed, the five models run, per lift and per batch of lifts; and
// what that means for the per-lift minimum interval (modelScoreMinIntervalMin) at 150,000 lifts.
// Bounded: --lifts lifts × --days days × --per-day trips and door cycles, scored --rounds times.
// npx tsx bench/model-serving.ts [--lifts 8] [--days 90] [--per-day 700] [--rounds 3]
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { createSqliteTelemetry } from '@liftwatch/ingest';
import { createHealthService, createModelServing, DEFAULT_ARTIFACTS_DIR, doorWearHistory, stateHealthHistory } from '@liftwatch/models';
import { openStateStore } from '@liftwatch/state-store';

const root = join(import.meta.dirname, '..');
const { values } = parseArgs({ options: { lifts: { type: 'string', default: '8' }, days: { type: 'string', default: '90' }, 'per-day': { type: 'string', default: '700' }, rounds: { type: 'string', default: '3' } } });
const LIFTS = Number(values.lifts); const DAYS = Number(values.days); const PER_DAY = Number(values['per-day']); const ROUNDS = Number(values.rounds);
const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'lw-bench-serving-'));
try {
  const db = new Database(join(dir, 'liftwatch.db'));
  db.pragma('journal_mode = WAL');
  const store = createSqliteTelemetry(db);
  const end = Date.now();
  let records = 0;
  for (let i = 0; i < LIFTS; i++) {
    const liftId = `BENCH-${i}`;
    const { trips, doors } = doorWearHistory(liftId, { end, days: DAYS, wornFrom: end - 4 * DAY, perDay: PER_DAY });
    const rows = [...trips.map((r) => ({ stream: 'trip' as const, r })), ...doors.map((r) => ({ stream: 'door' as const, r }))]
      .map(({ stream, r }) => ({ liftId, stream, seq: r.seq, ts: r.ts, rx: r.ts, record: r as unknown as Record<string, unknown> }));
    for (let k = 0; k < rows.length; k += 20_000) await store.write(rows.slice(k, k + 20_000));
    records += rows.length;
  }
  const health = createHealthService({ store, history: stateHealthHistory((await openStateStore({ url: `sqlite:${db.name}`, connection: db })).health) });
  const serving = await createModelServing({ registryDir: DEFAULT_ARTIFACTS_DIR, minIntervalMs: 0, maxDelayMs: 60_000, maxBatch: 256 }, { store, alerts: { raise: () => ({}), conditionCleared: () => {} }, health });
  const perLift: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const t = performance.now();
    serving.onStored(Array.from({ length: LIFTS }, (_, i) => ({ liftId: `BENCH-${i}`, stream: 'door', ts: end - 1000 })));
    await serving.flush();
    perLift.push((performance.now() - t) / LIFTS);
  }
  await serving.close(); await health.close(); db.close();
  const ms = Math.min(...perLift);
  const liftsPerSecond = 1000 / ms;
  const needed = 150_000 / 600; // every lift once per 10 minutes
  const result = { date: new Date().toISOString().slice(0, 10), lifts: LIFTS, days: DAYS, perDay: PER_DAY, recordsPerLift: records / LIFTS, msPerLift: Math.round(ms), liftsPerSecond: Math.round(liftsPerSecond * 100) / 100,
    neededFor150kAt10Min: needed, minIntervalMinFor150k: Math.ceil(150_000 / liftsPerSecond / 60), node: process.version, cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`, memGiB: Math.round(totalmem() / 2 ** 30) };
  console.log(`one lift scored (read ${result.recordsPerLift} records, features, health, 5 models): ${result.msPerLift} ms → ${result.liftsPerSecond} lifts/s on one core;`);
  console.log(`150,000 lifts every 10 min needs ${needed} lifts/s; at this speed the interval would have to be ≥ ${result.minIntervalMinFor150k} min`);
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'model-serving.json'), `${JSON.stringify(result, null, 2)}\n`);
  appendFileSync(join(root, 'bench', 'RESULTS.md'), `| ${result.date} | \`npx tsx bench/model-serving.ts --lifts ${LIFTS} --days ${DAYS} --per-day ${PER_DAY} --rounds ${ROUNDS}\` | ${result.msPerLift} ms per lift scored (${result.recordsPerLift} records read; features, health, 5 models) = ${result.liftsPerSecond} lifts/s | 150,000 lifts need ${needed}/s at a 10-min interval; this speed allows ≥ ${result.minIntervalMinFor150k} min | ${result.cpus}, ${result.memGiB} GiB, Node ${result.node}, shared and loaded |\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
