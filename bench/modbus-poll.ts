// Benchmark: the Modbus source's cost per poll for several register sets, and the edge agent's memory
// per terminal with a Modbus source. The device is modbus-serial's ServerTCP in another process; the
// agents publish to a bare aedes broker in a third. Bounded in count and time; loopback only.
//
//   node --expose-gc --import tsx bench/modbus-poll.ts [--polls 2000] [--terminals 200] [--seconds 20]
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createEdgeAgent, createModbusLink, createModbusSource, decodePoint, loadModbusProfile, openSqliteSpool, parseEndpoint, planReads, resolveModbusProfile,
  type ModbusProfile, type ResolvedPoint,
} from '@liftwatch/edge-agent';
import { machine, startSink } from './edge-sink.js';
import { percentile, resultRow, type ResultRow } from './figures.js';

const { values } = parseArgs({ options: { polls: { type: 'string', default: '2000' }, terminals: { type: 'string', default: '200' }, seconds: { type: 'string', default: '20' } } });
const POLLS = Number(values.polls);
const TERMINALS = Number(values.terminals);
const SECONDS = Number(values.seconds);
const root = new URL('../', import.meta.url).pathname;
const killer = setTimeout(() => { console.error('benchmark deadline reached'); process.exit(2); }, 240_000);

const device = spawn(process.execPath, ['--import', 'tsx', 'bench/modbus-device.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<number>((resolve) => device.stdout!.on('data', (d: Buffer) => { const m = /port (\d+)/.exec(d.toString()); if (m) resolve(Number(m[1])); }));
const endpoint = `tcp://127.0.0.1:${port}`;

const points = (addresses: number[], type: 'uint16' | 'float32' = 'uint16'): ModbusProfile['points'] =>
  addresses.map((address) => ({ to: 'env.machineRoomTempC', table: 'holding' as const, address, type }));
const sets: Array<{ name: string; points: readonly ResolvedPoint[] }> = [
  { name: '10 registers in a row', points: points(Array.from({ length: 10 }, (_, i) => i)) },
  { name: '125 registers in a row (one full read)', points: points(Array.from({ length: 125 }, (_, i) => i)) },
  { name: '10 registers 100 apart (10 reads)', points: points(Array.from({ length: 10 }, (_, i) => i * 100)) },
  { name: '20 float32 in a row', points: points(Array.from({ length: 20 }, (_, i) => i * 2), 'float32') },
  { name: 'controller example profile (status, counters)', points: loadModbusProfile(join(root, 'edge-agent/profiles/controller-gbt24476-example.json')).points },
].map((s) => ({ name: s.name, points: 'target' in (s.points[0] ?? {}) ? s.points as ResolvedPoint[] : resolveModbusProfile({ description: 'bench', source: 'bench', periods: { env: 1 }, points: s.points }, 'bench').points }));

const pct = (xs: number[], p: number) => percentile(xs.sort((a, b) => a - b), p)!;
const date = new Date().toISOString();
const command = `node --expose-gc --import tsx bench/modbus-poll.ts --polls ${POLLS} --terminals ${TERMINALS} --seconds ${SECONDS}`;
/** No reference run and no target: reference and ratio stay null. */
const row = (metric: string, unit: string, value: number) => resultRow(metric, unit, value, null, { command, date });
const results: ResultRow[] = [];
/** Per register set, for the line in RESULTS.md: the set and its reads per poll, p50 in ms, the agent's CPU per poll in µs. */
const polling: Array<{ name: string; p50: number; cpuUs: number }> = [];
for (const set of sets) {
  const link = createModbusLink(parseEndpoint(endpoint), 1, 2_000);
  const plan = planReads(set.points);
  const times: number[] = [];
  for (let i = 0; i < 50; i++) for (const b of plan) await link.read(b.table, b.address, b.length); // warm-up
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < POLLS; i++) {
    const t = performance.now();
    for (const b of plan) {
      const data = await link.read(b.table, b.address, b.length);
      for (const p of b.points) decodePoint(p, data, b, 'big');
    }
    times.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpu0);
  link.close();
  const cpuUs = +((cpu.user + cpu.system) / POLLS).toFixed(1);
  const p50 = +pct(times, 0.5).toFixed(3);
  const name = `${set.name}: ${plan.length} read(s)`;
  results.push(row(`poll of ${name}, p50`, 'ms', p50), row(`poll of ${name}, p99`, 'ms', +pct(times, 0.99).toFixed(3)), row(`poll of ${name}, agent CPU per poll`, 'µs', cpuUs));
  polling.push({ name, p50, cpuUs });
}

// Memory per terminal: TERMINALS agents, each polling the device (status every second) and publishing.
const sink = await startSink(root);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const profile = loadModbusProfile(join(root, 'edge-agent/profiles/controller-gbt24476-example.json'));
const spool = openSqliteSpool({ path: ':memory:', synchronous: 'normal' });
gc();
const before = process.memoryUsage();
const agents = Array.from({ length: TERMINALS }, (_, i) => {
  const source = createModbusSource({ endpoint, profile, timeoutMs: 2_000 });
  const agent = createEdgeAgent({ brokerUrl: sink.url, liftId: `MB-${i}`, maxInflight: 8 }, { source, spool });
  agent.start();
  return { agent, source };
});
await new Promise((r) => setTimeout(r, SECONDS * 1000));
gc();
const after = process.memoryUsage();
const polls = agents.reduce((n, a) => n + a.source.stats().polls, 0);
const sent = agents.reduce((n, a) => n + a.agent.stats().publisher.sent, 0);
for (const a of agents) await a.agent.close(200);
spool.close();
await sink.stop();
device.kill('SIGTERM');
clearTimeout(killer);
const kib = (b: number) => +((b / 1024) / TERMINALS).toFixed(0);
const residentKiB = kib(after.rss - before.rss);
const heapKiB = kib(after.heapUsed - before.heapUsed);
results.push(row(`resident memory per terminal with the Modbus source (${TERMINALS} terminals, ${polls} polls, ${sent} records sent in ${SECONDS} s)`, 'KiB', residentKiB));
results.push(row('JS heap per terminal with the Modbus source (after GC)', 'KiB', heapKiB));

for (const r of results) console.log(`${r.metric.padEnd(110)} ${String(r.value).padStart(8)} ${r.unit}`);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/modbus-poll.json'), `${JSON.stringify(results, null, 2)}\n`);
const perPoll = polling.map((p) => `${p.name} p50 ${p.p50} ms, ${p.cpuUs} µs CPU`).join('; ');
appendFileSync(join(root, 'bench/RESULTS.md'), `| ${date.slice(0, 10)} | \`${command}\` | per poll: ${perPoll} | ${residentKiB} KiB resident, ${heapKiB} KiB heap per Modbus terminal | ${machine()} |\n`);
