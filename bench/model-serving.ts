// The models in the running platform: stored records into each lift's streaming feature state
// (records/s on one core), one lift scored from its state (features and the five models, ms per
// lift, in micro-batches), a checkpoint of every state, and what that means at 150,000 lifts.
// Bounded: --lifts simulated lifts × --days days at --traffic × a residential lift's traffic.
// npx tsx bench/model-serving.ts [--lifts 20] [--days 30] [--traffic 1] [--rounds 3]
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { createSqliteTelemetry } from '@liftwatch/ingest';
import { createModelServing, DEFAULT_ARTIFACTS_DIR, simulatedDoorWear, sqliteFeatureStates } from '@liftwatch/models';
import { resultRow } from './figures.js';

const root = join(import.meta.dirname, '..');
const { values } = parseArgs({ options: { lifts: { type: 'string', default: '20' }, days: { type: 'string', default: '30' }, traffic: { type: 'string', default: '1' }, rounds: { type: 'string', default: '3' } } });
const LIFTS = Number(values.lifts); const DAYS = Number(values.days); const TRAFFIC = Number(values.traffic); const ROUNDS = Number(values.rounds);
const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'lw-bench-serving-'));
// the serving's own timers do not hold the process open; this does while the benchmark awaits them
const keepAlive = setInterval(() => {}, 1_000);
try {
  const db = new Database(join(dir, 'liftwatch.db'));
  db.pragma('journal_mode = WAL');
  const store = createSqliteTelemetry(db);
  const end = Date.UTC(2026, 5, 1);
  const rows = Array.from({ length: LIFTS }, (_, i) => simulatedDoorWear(`BENCH-${i}`, { end, days: DAYS, seed: i + 1, trafficScale: TRAFFIC, wornFromDay: i % 2 === 0 ? DAYS - 10 : Infinity }).records)
    .flat().sort((a, b) => a.record.ts - b.record.ts)
    .map((r) => ({ liftId: r.record.liftId, stream: r.stream, ts: r.record.ts, record: r.record as unknown as Record<string, unknown> }));
  const noAlerts = { raise: () => ({}), conditionCleared: () => {} };
  const open = (minIntervalMs: number) => createModelServing({ registryDir: DEFAULT_ARTIFACTS_DIR, minIntervalMs, maxBatch: 256, maxLiftsPerS: 10_000, tickMs: 3_600_000 },
    { store, alerts: noAlerts, featureStates: sqliteFeatureStates(db) });
  // 1. stored records into the feature states (no scoring: the interval is never reached after the first)
  const feeding = await open(Number.MAX_SAFE_INTEGER);
  const cpu0 = process.cpuUsage();
  for (let k = 0; k < rows.length; k += 2_000) feeding.onStored(rows.slice(k, k + 2_000));
  const updateCpuS = (process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1e6;
  await feeding.flush();
  // 2. a checkpoint of every state
  const t0 = performance.now();
  const savedStates = feeding.checkpoint();
  const checkpointMs = performance.now() - t0;
  await feeding.close();
  // 3. scoring from the states (loaded from their checkpoints by a new serving, as after a restart)
  const scoring = await open(0);
  const door = rows.find((r) => r.stream === 'door')!.record;
  const perLift: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const ts = end + DAY * (round + 1);
    const t = performance.now();
    scoring.onStored(Array.from({ length: LIFTS }, (_, i) => ({ liftId: `BENCH-${i}`, stream: 'door', ts, record: { ...door, liftId: `BENCH-${i}`, ts, seq: ts } })));
    await scoring.flush();
    if (round > 0) perLift.push((performance.now() - t) / LIFTS); // round 0 loads the checkpoints
  }
  const stateBytes = (db.prepare('SELECT length(block) AS n FROM model_feature_states LIMIT 1').get() as { n: number }).n;
  await scoring.close(); db.close();
  const ms = Math.min(...perLift);
  const date = new Date().toISOString();
  const result = {
    date: date.slice(0, 10), lifts: LIFTS, days: DAYS, traffic: TRAFFIC, records: rows.length,
    featureUpdatesPerCpuSecond: Math.round(rows.length / updateCpuS), msPerLiftScored: Math.round(ms * 100) / 100, liftsScoredPerSecond: Math.round(1000 / ms),
    checkpointMsPerLift: Math.round((checkpointMs / Math.max(savedStates, 1)) * 1000) / 1000, checkpointBytesPerLift: stateBytes,
    recordsPerSecondAt150k: 30_000, minIntervalMinFor150k: Math.ceil(150_000 / (1000 / ms) / 60),
    node: process.version, cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`, memGiB: Math.round(totalmem() / 2 ** 30),
  };
  console.log(JSON.stringify(result, null, 2));
  const command = `npx tsx bench/model-serving.ts --lifts ${LIFTS} --days ${DAYS} --traffic ${TRAFFIC} --rounds ${ROUNDS}`;
  const run = { command, date };
  const machine = { node: result.node, cpus: result.cpus, memGiB: result.memGiB };
  const resultRows = [
    resultRow('simulated records fed into the feature states', 'records', result.records, null, run, machine),
    // The one figure with a target: a city's 150,000 lifts send 30,000 records/s.
    resultRow(`stored records into the lifts' feature states per CPU second, vs a city's ${result.recordsPerSecondAt150k} records/s`, 'records/CPU s', result.featureUpdatesPerCpuSecond, result.recordsPerSecondAt150k, run, machine),
    resultRow('time to score one lift from its state (features and the five models, in micro-batches)', 'ms', result.msPerLiftScored, null, run, machine),
    resultRow('lifts scored per second from their states, on one core', 'lifts/s', result.liftsScoredPerSecond, null, run, machine),
    resultRow('checkpoint of every state, time per lift', 'ms', result.checkpointMsPerLift, null, run, machine),
    resultRow('checkpoint of every state, bytes per lift', 'B', result.checkpointBytesPerLift, null, run, machine),
    resultRow('shortest rescoring interval of 150,000 lifts on one core', 'min', result.minIntervalMinFor150k, null, run, machine),
  ];
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'model-serving.json'), `${JSON.stringify(resultRows, null, 2)}\n`);
  appendFileSync(join(root, 'bench', 'RESULTS.md'), `| ${result.date} | \`${command}\` | ${result.featureUpdatesPerCpuSecond} records/CPU s into feature states (city: 30,000/s); ${result.liftsScoredPerSecond} lifts scored/s from their states (${result.msPerLiftScored} ms each, 5 models) | checkpoint ${result.checkpointMsPerLift} ms and ${result.checkpointBytesPerLift} B per lift | ${result.cpus}, ${result.memGiB} GiB, Node ${result.node}, shared and loaded |\n`);
} finally {
  clearInterval(keepAlive);
  rmSync(dir, { recursive: true, force: true });
}
