// Benchmark: can one 2-core node carry a city? Loader processes publish realistic records (status
// snapshots at QoS 0, trips and door cycles at QoS 1) for 150,000 distinct lifts over MQTT, paced at
// a target rate, and we measure the records stored per second, the publish → stored round trip of
// QoS 1 records (PUBACK waits for the commit), and the server's CPU and resident memory. The same
// load goes, one after the other, to liftwatch (the all-in-one, SQLite), to the floor reference
// (floor-pipeline.ts: aedes whose hook only parses the JSON and appends it to SQLite on a writer
// thread, PUBACK after commit), to the old reference (reference-pipeline.ts) and to Mosquitto
// relaying it to a subscriber (city-servers.ts). Bounded in time; loopback only. The machine's load
// average is printed and kept with the figures: on a shared machine they are indicative only.
//
//   npx tsx bench/city-ingest.ts [--lifts 150000] [--rate 30000] [--seconds 30] [--loaders 2] [--connections 100]
//     [--only liftwatch,floor,reference,mosquitto] [--models true] [--model-thread false] [--mqtt-workers 1] [--profile [--profile-dir DIR]]
// --mqtt-workers N runs liftwatch's broker, decoding and rules in N processes (with a Redis of their
// own); the server's CPU and memory are then those of every process of it, Redis included.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer, KINDS, type Kind } from './city-servers.js';
import { summariseProfiles } from './cpu-profile.js';
import { ratioTo } from './figures.js';
import { waitLine } from './processes.js';

const USAGE = `npx tsx bench/city-ingest.ts [options]   (150,000 lifts over MQTT into liftwatch and the references, one after the other)
  --lifts N           distinct lifts, spread over the loaders (150000)
  --rate N            records offered per second, all loaders together (30000)
  --seconds N         length of each load (30)
  --loaders N         loader processes (2)
  --connections N     MQTT connections per loader (100)
  --only LIST         servers to load, of ${KINDS.join(', ')} (all)
  --models BOOL       liftwatch scores its models as it would in service (true)
  --model-thread BOOL the model serving on a thread of its own (false: on the event loop, the default in service)
  --mqtt-workers N    liftwatch's broker, decoding and rules in N processes (1)
  --profile           CPU profiles of the servers, summarised by part of the process; --profile-dir DIR keeps them
Writes bench/results/city-ingest.json and a line in bench/RESULTS.md.`;
const { values: a } = parseArgs({ options: {
  help: { type: 'boolean', default: false },
  lifts: { type: 'string', default: '150000' }, rate: { type: 'string', default: '30000' }, seconds: { type: 'string', default: '30' },
  loaders: { type: 'string', default: '2' }, connections: { type: 'string', default: '100' }, only: { type: 'string', default: KINDS.join(',') },
  models: { type: 'string', default: 'true' }, 'model-thread': { type: 'string', default: 'false' }, 'mqtt-workers': { type: 'string', default: '1' }, profile: { type: 'boolean', default: false }, 'profile-dir': { type: 'string', default: '' },
} });
if (a.help) { console.log(USAGE); process.exit(0); }
const MQTT_WORKERS = Number(a['mqtt-workers']);
const LIFTS = Number(a.lifts); const RATE = Number(a.rate); const SECONDS = Number(a.seconds); const LOADERS = Number(a.loaders); const CONNECTIONS = Number(a.connections);
/** Seconds before the steady window: at 30,000 records/s every one of 150,000 lifts reports once in 5 s, the first sight of each (new lift state, fleet index row, feature state). */
const WARM_UP_S = 5;
const kinds = a.only.split(',').map((k) => k.trim()) as Kind[];
for (const k of kinds) if (!KINDS.includes(k)) throw new Error(`--only ${k}: not one of ${KINDS.join(', ')}`);
const root = new URL('../', import.meta.url).pathname;
const TARGET = { recordsPerS: 29_500, p99Ms: 1_000, cpuUs: 40, rssMiB: 1_024, floorRatio: 1.5 };
/** Every child process, so that a deadline or a crash never leaves a server or loader running. */
const children = new Set<ChildProcess>();
const killAll = () => { for (const c of children) if (c.exitCode === null) c.kill('SIGKILL'); };
process.on('exit', killAll);
const hardStop = setTimeout(() => { console.error('benchmark deadline reached'); killAll(); process.exit(2); }, (SECONDS * 3 + 120) * kinds.length * 1000);

interface Sample { t: number; cpuS: number; rssMiB: number }
/** The child processes of `pid` (liftwatch's MQTT workers), from /proc. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (Number(readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === pid) out.push(Number(name));
    } catch { /* gone meanwhile */ }
  }
  return out;
}
/** CPU time and resident memory of a server: its process, its children and the processes it needs, summed. */
function sampleServer(server: { pid: number; alsoPids?: () => number[] }): Sample | undefined {
  const main = sampleProcess(server.pid);
  if (!main) return undefined;
  for (const pid of [...childrenOf(server.pid), ...(server.alsoPids?.() ?? [])]) {
    const s = sampleProcess(pid);
    if (s) { main.cpuS += s.cpuS; main.rssMiB += s.rssMiB; }
  }
  return main;
}
function sampleProcess(pid: number): Sample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticks = Number(stat[11]) + Number(stat[12]);
    const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return { t: performance.now(), cpuS: ticks / 100, rssMiB: Number(rss) / 1024 };
  } catch { return undefined; }
}
const coresOf = (w: Sample[]) => (w.length > 1 ? (w.at(-1)!.cpuS - w[0]!.cpuS) / ((w.at(-1)!.t - w[0]!.t) / 1000) : NaN);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function run(kind: Kind) {
  const dataDir = mkdtempSync(join(tmpdir(), `liftwatch-city-${kind}-`));
  const profileDir = a.profile && kind === 'liftwatch' ? (a['profile-dir'] ? join(a['profile-dir'], kind) : join(dataDir, 'prof')) : undefined;
  const server = await startServer(kind, { root, dataDir, profileDir, models: a.models, modelThread: a['model-thread'], mqttWorkers: MQTT_WORKERS, children });
  const samples: Sample[] = [];
  const sampler = setInterval(() => { const s = sampleServer(server); if (s) samples.push(s); }, 500);
  const per = Math.ceil(LIFTS / LOADERS);
  const loaders = Array.from({ length: LOADERS }, (_, i) => spawn(process.execPath, ['--import', 'tsx', 'bench/city-loader.ts',
    '--url', server.mqttUrl, '--first', String(1 + i * per), '--count', String(Math.min(per, LIFTS - i * per)), '--rate', String(RATE / LOADERS),
    '--seconds', String(SECONDS), '--connections', String(CONNECTIONS), '--name', `${kind}-L${i}`, '--warm-up-s', String(WARM_UP_S)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] }));
  for (const l of loaders) children.add(l);
  const loaderSamples: Sample[][] = loaders.map(() => []);
  const loaderSampler = setInterval(() => loaders.forEach((l, i) => { const s = sampleProcess(l.pid!); if (s) loaderSamples[i]!.push(s); }), 500);
  const reports = loaders.map((l) => waitLine(l, /^(\{.*\})$/m, 'loader').then((r) => JSON.parse(r[1]!) as { sent: number; acked: number; errors: number; p50: number; p99: number; max: number; p99Steady: number | null }));

  // Stored rate over the steady middle of the run (after the warm-up, in which every lift is first seen).
  await sleep(WARM_UP_S * 1000);
  const c0 = await server.stored(); const t0 = performance.now(); const load0 = loadavg()[0]!;
  await sleep((SECONDS - 7) * 1000);
  const c1 = await server.stored(); const t1 = performance.now(); const load1 = loadavg()[0]!;
  const memory = await server.memory?.();
  const results = await Promise.all(reports);
  console.log(`${kind}: loaders reported ${JSON.stringify(results)}`);
  let last = await server.stored();
  for (let i = 0; i < 40; i++) { await sleep(250); const n = await server.stored(); if (n === last) break; last = n; }
  clearInterval(sampler);
  clearInterval(loaderSampler);
  await server.stop();

  const window = samples.filter((s) => s.t >= t0 && s.t <= t1);
  const cpu = coresOf(window);
  const loaderCpu = loaderSamples.reduce((sum, ls) => sum + coresOf(ls.filter((x) => x.t >= t0 && x.t <= t1)), 0);
  const profile = profileDir ? summariseProfiles(profileDir, root) : [];
  rmSync(dataDir, { recursive: true, force: true });
  const storedPerS = (c1 - c0) / ((t1 - t0) / 1000);
  return {
    kind, storedPerS, storedTotal: last, sent: results.reduce((s, r) => s + r.sent, 0),
    p50: Math.max(...results.map((r) => r.p50 ?? 0)), p99: Math.max(...results.map((r) => r.p99 ?? 0)),
    p99Steady: Math.max(...results.map((r) => r.p99Steady ?? 0)),
    cpuCores: cpu, loaderCores: loaderCpu, cpuUsPerRecord: (cpu * 1e6) / storedPerS, rssMaxMiB: Math.max(...samples.map((s) => s.rssMiB)),
    errors: results.reduce((s, r) => s + r.errors, 0), load: Math.max(load0, load1), profile, memory,
  };
}

type Result = Awaited<ReturnType<typeof run>>;
const out = new Map<Kind, Result>();
for (const k of kinds) out.set(k, await run(k));
clearTimeout(hardStop);
const lw = out.get('liftwatch');
const others = (['floor', 'reference', 'mosquitto'] as const).filter((k) => out.has(k));

console.log(`\n${LIFTS} lifts, offered ${RATE} records/s for ${SECONDS} s by ${LOADERS} loader processes × ${CONNECTIONS} connections (10 % trips and door cycles at QoS 1, status at QoS 0)`);
console.log(`${'metric'.padEnd(44)} ${'liftwatch'.padStart(10)} ${others.map((k) => `${k.padStart(10)} ${'×'.padStart(6)}`).join(' ')} ${'target'.padStart(8)}`);
const line = (name: string, f: (r: Result) => number, target: number | string, digits = 0) => {
  const cells = others.map((k) => `${f(out.get(k)!).toFixed(digits).padStart(10)} ${(lw ? (f(lw) / f(out.get(k)!)).toFixed(2) : '-').padStart(6)}`);
  console.log(`${name.padEnd(44)} ${(lw ? f(lw).toFixed(digits) : '-').padStart(10)} ${cells.join(' ')} ${String(target).padStart(8)}`);
};
line('records stored per second (steady window)', (r) => r.storedPerS, `≥ ${TARGET.recordsPerS}`);
line('QoS 1 publish → stored, p50 ms', (r) => r.p50, '-', 1);
line('QoS 1 publish → stored, p99 ms', (r) => r.p99, `≤ ${TARGET.p99Ms}`, 1);
line(`  the same, sent after the first ${WARM_UP_S} s`, (r) => r.p99Steady, '-', 1);
line('server CPU, cores', (r) => r.cpuCores, '≤ 2', 2);
line('server CPU per stored record, µs', (r) => r.cpuUsPerRecord, `≤ ${TARGET.cpuUs}`, 1);
line('loader processes CPU, cores (same machine)', (r) => r.loaderCores, '-', 2);
line('server resident memory, max MiB', (r) => r.rssMaxMiB, `≤ ${TARGET.rssMiB}`);
line('records sent by loaders', (r) => r.sent, '-');
line('records stored in all', (r) => r.storedTotal, '-');
line('load average (1 min) during the run', (r) => r.load, '-', 2);
console.log('(Mosquitto: records relayed to the subscriber, no storage; its p99 is publish → PUBACK, sent at once)');
if (lw?.memory) console.log(`liftwatch at the end of the steady window: V8 heap ${lw.memory.heapUsedMiB.toFixed(0)} MiB used of ${lw.memory.heapTotalMiB.toFixed(0)}, outside the heap (array buffers, native) ${lw.memory.externalMiB.toFixed(0)} MiB`);
if (lw?.profile.length) console.log(`\nwhere liftwatch's time goes (self time, top 15):\n${lw.profile.join('\n')}`);

const command = `npx tsx bench/city-ingest.ts --lifts ${LIFTS} --rate ${RATE} --seconds ${SECONDS} --loaders ${LOADERS} --connections ${CONNECTIONS}${a.models === 'true' ? '' : ` --models ${a.models}`}${a['model-thread'] === 'false' ? '' : ` --model-thread ${a['model-thread']}`}${MQTT_WORKERS > 1 ? ` --mqtt-workers ${MQTT_WORKERS}` : ''}`;
const date = new Date().toISOString();
if (lw) {
  const floor = out.get('floor');
  /**
   * A figure of liftwatch with each other server's beside it (and the ratio to each). The old
   * reference pipeline's is the row's reference, so its ratio is the row's ratio; without it (--only)
   * both are null.
   */
  const figure = (metric: string, unit: string, f: (r: Result) => number, digits: number) => {
    const r = (x: number) => +x.toFixed(digits);
    const beside = Object.fromEntries(others.flatMap((k) => [[k, r(f(out.get(k)!))], [`ratioTo${k[0]!.toUpperCase()}${k.slice(1)}`, +(f(lw) / f(out.get(k)!)).toFixed(3)]]));
    const reference = out.get('reference');
    return { metric, unit, value: r(f(lw)), reference: reference ? r(f(reference)) : null, ratio: reference ? ratioTo(f(lw), f(reference)) : null, ...beside, loadAverage: +lw.load.toFixed(2), command, date };
  };
  const floorRatio = floor ? +(lw.cpuUsPerRecord / floor.cpuUsPerRecord).toFixed(3) : undefined;
  const results = [
    figure(`records stored per second, ${LIFTS} lifts, offered ${RATE}/s`, 'records/s', (r) => r.storedPerS, 0),
    figure('QoS 1 publish → stored, p99', 'ms', (r) => r.p99, 1),
    figure(`QoS 1 publish → stored, p99 of messages sent after the first ${WARM_UP_S} s`, 'ms', (r) => r.p99Steady, 1),
    figure('server CPU per stored record', 'µs', (r) => r.cpuUsPerRecord, 1),
    figure('server resident memory, max', 'MiB', (r) => r.rssMaxMiB, 0),
    figure('server CPU during the steady window', 'cores', (r) => r.cpuCores, 2),
    // Compared with its target: the target is the reference.
    ...(floorRatio === undefined ? [] : [{ metric: 'server CPU per stored record, ratio to the floor reference', unit: '×', value: floorRatio, reference: TARGET.floorRatio, ratio: ratioTo(floorRatio, TARGET.floorRatio), loadAverage: +lw.load.toFixed(2), command, date }]),
  ];
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/city-ingest.json'), `${JSON.stringify(results, null, 2)}\n`);
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load ${lw.load.toFixed(1)}`;
  const vs = floor ? ` (floor ${Math.round(floor.storedPerS)}/s at ${floor.cpuUsPerRecord.toFixed(0)} µs: ${(lw.cpuUsPerRecord / floor.cpuUsPerRecord).toFixed(2)} ×)` : '';
  appendFileSync(join(root, 'bench/RESULTS.md'), `| ${date.slice(0, 10)} | \`${command}\` | ${Math.round(lw.storedPerS)} records/s stored; RSS ${Math.round(lw.rssMaxMiB)} MiB; ${lw.cpuUsPerRecord.toFixed(0)} µs CPU per record${vs}, loaders ${lw.loaderCores.toFixed(2)} cores | QoS 1 p50 ${lw.p50.toFixed(0)} ms, p99 ${lw.p99.toFixed(0)} ms | ${machine} |\n`);
}
