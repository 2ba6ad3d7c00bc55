// Benchmark: can one node keep a city's lifts scored? The model serving of the all-in-one (streaming
// feature states, the five shipped models, the health score) with N lifts whose states hold a month
// of history, fed at the city's record rate (a status every 10 s per lift, trips, door cycles and env
// readings in the proportions of a simulated residential lift), measured in four parts:
//   1. memory per lift once every lift has a state (heap and array buffers, after a full GC);
//   2. CPU per stored record into its lift's state (records as objects, and as the JSON body the
//      threaded writer hands over);
//   3. CPU per lift scored (features, five models in micro-batches, health score, risk table);
//   4. both together for --seconds: records at --rate and the rescoring loop (new records first, then
//      the round), CPU of the process (less the bench's own making of records), lifts scored per
//      second, the lag, and what a full rescore of 150,000 lifts costs in cores.
// Ingest's own work (MQTT, decoding, SQLite) is not in it: bench/city-ingest.ts runs the whole node.
//
//   node --expose-gc --import tsx bench/city-scoring.ts [--lifts 150000] [--seconds 60] [--rate 30000] [--scored-per-s 600]
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { HealthView } from '@liftwatch/contract';
import {
  BLOCK_BYTES, createHealthService, createModelServing, DEFAULT_ARTIFACTS_DIR, LiftFeatureState, saveState, simulatedDoorWear, type StoredRow,
} from '@liftwatch/models';
import { resultRow } from './figures.js';

const { values: a } = parseArgs({ options: {
  lifts: { type: 'string', default: '150000' }, seconds: { type: 'string', default: '60' }, rate: { type: 'string', default: '' },
  'scored-per-s': { type: 'string', default: '600' }, 'round-min': { type: 'string', default: '5' }, 'interval-min': { type: 'string', default: '1' },
} });
const N = Number(a.lifts); const SECONDS = Number(a.seconds); const RATE = a.rate ? Number(a.rate) : Math.round(N / 5);
const PER_S = Number(a['scored-per-s']); const ROUND_MIN = Number(a['round-min']); const INTERVAL_MIN = Number(a['interval-min']);
const CITY = 150_000;
const DAY = 86_400_000;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) { console.error('run with node --expose-gc --import tsx bench/city-scoring.ts'); process.exit(2); }
const cpuS = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const mem = () => { gc(); gc(); const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers + (m.external - m.arrayBuffers); };
const idOf = (i: number) => `C${String(i).padStart(6, '0')}`;

// A month of one residential lift: the template of every lift's state, and its last day's records the live ones.
const end = Date.now() - DAY;
const sim = simulatedDoorWear('T', { end, days: 31, trafficScale: 1, wornFromDay: Infinity });
const template = new LiftFeatureState('T');
for (const r of sim.records) if (r.record.ts < end - DAY) template.add(r.stream, r.record as never);
const saved = saveState(template);
const day = sim.records.filter((r) => r.record.ts >= end - DAY && r.stream !== 'status' && r.stream !== 'fault');
const perLiftPerDay = day.length + 8_640; // and a status every 10 s
const statusShare = 8_640 / perLiftPerDay;

const noHistory = { latest: () => [] as HealthView[], append: () => {}, history: () => [] as HealthView[] };
const m0 = mem();
const health = createHealthService({ history: noHistory });
const serving = await createModelServing({
  registryDir: DEFAULT_ARTIFACTS_DIR, minIntervalMs: INTERVAL_MIN * 60_000, roundMs: ROUND_MIN * 60_000, maxLiftsPerS: PER_S, maxResidentStates: N + 1, tickMs: 3_600_000, checkpointMs: 3_600_000,
}, {
  store: { recent: async () => [] }, alerts: { raise: () => ({}), conditionCleared: () => {} }, health, storedBefore: () => false,
  featureStates: { load: () => saved, save: () => {} },
});

// 1. every lift gets its state (loaded from the template as from a checkpoint), then memory
let seq = 1e12;
const status = (i: number, ts: number): StoredRow => ({ liftId: idOf(i), stream: 'status', ts, rx: ts, body: `{"schemaVersion":1,"liftId":"${idOf(i)}","seq":${seq++},"ts":${ts},"serviceMode":"normal","moving":false}` });
for (let i = 0; i < N; i += 1000) serving.onStored(Array.from({ length: Math.min(1000, N - i) }, (_, k) => status(i + k, end)));
const m1 = mem();
const bytesPerLift = (m1 - m0) / N;

// 2. records into states: objects (a writer on the ingest thread) and JSON bodies (the threaded writer)
let cursor = 0;
let t = end;
function records(count: number, asBody: boolean): StoredRow[] {
  const out: StoredRow[] = [];
  for (let k = 0; k < count; k++) {
    const i = (cursor++) % N;
    t += 1;
    if ((cursor * 7919) % 1000 < statusShare * 1000) { out.push(status(i, t)); continue; }
    const r = day[cursor % day.length]!;
    const record = { ...(r.record as unknown as Record<string, unknown>), liftId: idOf(i), seq: seq++, ts: t };
    out.push(asBody ? { liftId: idOf(i), stream: r.stream, ts: t, rx: t, body: JSON.stringify(record) } : { liftId: idOf(i), stream: r.stream, ts: t, rx: t, record });
  }
  return out;
}
/** CPU of making the bench's own records (taken out of the process's CPU in part 4). */
const cg = cpuS();
records(100_000, true);
const usPerRecordMade = ((cpuS() - cg) / 100_000) * 1e6;
const measureUpdates = (asBody: boolean) => {
  const batches = Array.from({ length: 200 }, () => records(1_000, asBody));
  const c = cpuS();
  for (const b of batches) serving.onStored(b);
  return ((cpuS() - c) / 200_000) * 1e6;
};
measureUpdates(false);
const usPerRecordObject = measureUpdates(false);
const usPerRecordBody = measureUpdates(true);

// 3. lifts scored from their states, in batches of 256 (five models, health, risk)
const c3 = cpuS();
const w3 = performance.now();
const sample = Math.min(N, 20_000);
for (let i = 0; i < sample; i += 256) await serving.scoreAt(Array.from({ length: Math.min(256, sample - i) }, (_, k) => idOf(i + k)), t);
const usPerLiftScored = ((cpuS() - c3) / sample) * 1e6;
const wallUsPerLift = ((performance.now() - w3) / sample) * 1000;

// 4. together: records at RATE, the rescoring loop ticking each second
const c4 = cpuS();
const w4 = performance.now();
let fed = 0;
const feed = setInterval(() => { const n = Math.round(RATE / 20); serving.onStored(records(n, true)); fed += n; }, 50);
const tick = setInterval(() => void serving.tick(), 1000);
await new Promise((r) => setTimeout(r, SECONDS * 1000));
clearInterval(feed);
clearInterval(tick);
const wall4 = (performance.now() - w4) / 1000;
const cores4 = (cpuS() - c4 - (fed * usPerRecordMade) / 1e6) / wall4;
const loop = serving.metrics().loop;
const scoredPerS = loop.scored / wall4;
await serving.close();
await health.close();

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const city = {
  stateMiB: round((CITY * bytesPerLift) / 2 ** 20, 0),
  scoringCoresEvery5Min: round(((CITY / 300) * usPerLiftScored) / 1e6, 3),
  updateCoresAt30000PerS: round((30_000 * usPerRecordBody) / 1e6, 3),
};
const load = loadavg().map((l) => l.toFixed(2)).join(' ');
const date = new Date().toISOString();
const result = {
  date: date.slice(0, 10), lifts: N, seconds: SECONDS, ratePerS: RATE, scoredPerSLimit: PER_S, roundMin: ROUND_MIN, intervalMin: INTERVAL_MIN,
  memory: { bytesPerLift: Math.round(bytesPerLift), stateBlockBytes: BLOCK_BYTES },
  usPerRecord: { object: round(usPerRecordObject), jsonBody: round(usPerRecordBody) },
  scoring: { cpuUsPerLift: round(usPerLiftScored), wallUsPerLift: round(wallUsPerLift) },
  together: { recordsPerS: round(fed / wall4, 0), cores: round(cores4, 3), liftsScoredPerS: round(scoredPerS, 0), fullRescoreS: round(N / Math.max(scoredPerS, 1e-9), 0), lagS: round(loop.lagS, 1), fromRecords: loop.fromRecords, fromRound: loop.fromRound },
  city, loadAverage: load, node: process.version, cpus: `${cpus().length} × ${cpus()[0]?.model.trim() ?? '?'}`, memGiB: Math.round(totalmem() / 2 ** 30),
};
console.log(JSON.stringify(result, null, 2));
const command = `node --expose-gc --import tsx bench/city-scoring.ts --lifts ${N} --seconds ${SECONDS} --rate ${RATE} --scored-per-s ${PER_S}`
  + `${ROUND_MIN === 5 ? '' : ` --round-min ${ROUND_MIN}`}${INTERVAL_MIN === 1 ? '' : ` --interval-min ${INTERVAL_MIN}`}`;
/** The machine and its load go on every row: on a shared machine the figures are indicative only. */
const machine = { loadAverage: load, node: result.node, cpus: result.cpus, memGiB: result.memGiB };
// Nothing here has a reference run or a target of its own: reference and ratio stay null.
const row = (metric: string, unit: string, value: number) => resultRow(metric, unit, value, null, { command, date }, machine);
const rows = [
  row(`memory per lift once every lift has its streaming state (${N} lifts, heap and array buffers after a full GC)`, 'B', result.memory.bytesPerLift),
  row('streaming state block per lift', 'B', result.memory.stateBlockBytes),
  row('CPU per stored record into its lift\'s state, records as objects', 'µs', result.usPerRecord.object),
  row('CPU per stored record into its lift\'s state, from the JSON body', 'µs', result.usPerRecord.jsonBody),
  row('CPU per lift scored (features, five models, health score)', 'µs', result.scoring.cpuUsPerLift),
  row('wall time per lift scored', 'µs', result.scoring.wallUsPerLift),
  row(`together: records/s into the states with the rescoring loop running (offered ${RATE}/s for ${SECONDS} s)`, 'records/s', result.together.recordsPerS),
  row('together: process CPU (less the benchmark making its records)', 'cores', result.together.cores),
  row(`together: lifts scored per second (at most ${PER_S}/s)`, 'lifts/s', result.together.liftsScoredPerS),
  row(`together: time a full rescore of all ${N} lifts takes`, 's', result.together.fullRescoreS),
  row('together: rescoring lag at the end', 's', result.together.lagS),
  row('together: lifts scored because new records came', 'lifts', result.together.fromRecords),
  row(`together: lifts scored by the ${ROUND_MIN}-minute round`, 'lifts', result.together.fromRound),
  row(`${CITY} lifts: memory of their streaming states`, 'MiB', city.stateMiB),
  row(`${CITY} lifts rescored every 5 minutes`, 'cores', city.scoringCoresEvery5Min),
  row(`${CITY} lifts: records into their states at 30,000/s`, 'cores', city.updateCoresAt30000PerS),
];
const root = join(import.meta.dirname, '..');
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'city-scoring.json'), `${JSON.stringify(rows, null, 2)}\n`);
appendFileSync(join(root, 'bench', 'RESULTS.md'), `| ${result.date} | \`${command}\` | `
  + `${result.memory.bytesPerLift} B per lift (150,000: ${city.stateMiB} MiB); ${result.usPerRecord.object} µs CPU per record (${result.usPerRecord.jsonBody} from JSON); ${result.scoring.cpuUsPerLift} µs CPU per lift scored: 150,000 every 5 min = ${city.scoringCoresEvery5Min} core | `
  + `together: ${result.together.recordsPerS} records/s and ${result.together.liftsScoredPerS} lifts scored/s (all ${N} in ${result.together.fullRescoreS} s), ${result.together.cores} cores, lag ${result.together.lagS} s | ${result.cpus}, ${result.memGiB} GiB, Node ${result.node}, load average ${load} |\n`);
