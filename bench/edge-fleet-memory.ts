// Benchmark: memory per 1,000 simulated terminals in one process (npm run agent -- fleet): each is a
// simulated lift, an agent and its own MQTT connection to a bare aedes broker in another process, all
// sharing one spool. Bounded in count and time; loopback only.
//
//   node --expose-gc --import tsx bench/edge-fleet-memory.ts [--count 1000] [--seconds 20]
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startAgentFleet, formatStatus } from '@liftwatch/edge-agent';
import { machine, startSink } from './edge-sink.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '1000' }, seconds: { type: 'string', default: '20' } } });
const COUNT = Number(values.count);
const SECONDS = Number(values.seconds);
const DEADLINE_MS = 180_000;
/** A load generator on a shared 2-core CI runner should hold 1,000 terminals in 512 MiB. */
const REFERENCE_MIB = 512;

const root = new URL('../', import.meta.url).pathname;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const sink = await startSink(root);
const killer = setTimeout(() => { console.error('benchmark deadline reached'); sink.child.kill('SIGKILL'); process.exit(2); }, DEADLINE_MS);
gc();
const before = process.memoryUsage();
const fleet = startAgentFleet({ brokerUrl: sink.url, count: COUNT, seed: 1, trafficScale: 3 });
const t0 = Date.now();
while (fleet.status().connected < COUNT && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 200));
const connectS = (Date.now() - t0) / 1000;
await new Promise((r) => setTimeout(r, SECONDS * 1000));
gc();
const after = process.memoryUsage();
const status = fleet.status();
console.log(formatStatus(status));
await fleet.stop();
await sink.stop();
clearTimeout(killer);

const mib = (b: number) => b / 2 ** 20;
const per1000 = (b: number) => +((mib(b) * 1000) / COUNT).toFixed(1);
const rss = per1000(after.rss - before.rss);
const heap = per1000(after.heapUsed - before.heapUsed);
const command = `node --expose-gc --import tsx bench/edge-fleet-memory.ts --count ${COUNT} --seconds ${SECONDS}`;
const date = new Date().toISOString();
const results = [
  { metric: `resident memory per 1,000 simulated terminals (${COUNT} run, ${status.connected} connected in ${connectS.toFixed(1)} s, ${status.sent} records sent)`, unit: 'MiB', value: rss, reference: REFERENCE_MIB, ratio: +(rss / REFERENCE_MIB).toFixed(3), command, date },
  { metric: `JS heap per 1,000 simulated terminals (after GC)`, unit: 'MiB', value: heap, reference: REFERENCE_MIB, ratio: +(heap / REFERENCE_MIB).toFixed(3), command, date },
];
console.log(`\n${'metric'.padEnd(110)} ${'value'.padStart(8)} ${'reference'.padStart(9)}  ratio`);
for (const r of results) console.log(`${r.metric.padEnd(110)} ${String(r.value).padStart(8)} ${String(r.reference).padStart(9)}  ${r.ratio}`);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/edge-fleet-memory.json'), `${JSON.stringify(results, null, 2)}\n`);
appendFileSync(join(root, 'bench/RESULTS.md'), `| ${date.slice(0, 10)} | \`${command}\` | ${rss} MiB resident, ${heap} MiB heap per 1,000 terminals (reference ${REFERENCE_MIB} MiB) | – | ${machine()} |\n`);
