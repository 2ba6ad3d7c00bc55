// Benchmark: does throughput grow with broker+ingest nodes, and does a node's death
// lose or double anything? Separate processes on this machine (no containers): HAProxy in front of
// one, then two liftwatch nodes (--roles broker,ingest) sharing Redis, PostgreSQL and
// victoria-metrics; loader processes publish every record at QoS 1 from many simulated lifts and
// resend what is unacknowledged after a reconnect. Three runs with the same offered load: one node,
// two nodes, two nodes with node 1 killed (SIGKILL) half-way. The one-node run is the reference of
// the ratios. Every record is read back from victoria-metrics and checked. Bounded; loopback only.
//
//   npx tsx bench/scale-out.ts [--lifts 5000] [--rate 6000] [--seconds 30] [--loaders 2] [--connections 50]
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startPostgres } from '@liftwatch/test-kit/servers';
import { runScaleOut, type ScaleOutReport } from './scale-out/cluster.js';

const { values: a } = parseArgs({ options: {
  lifts: { type: 'string', default: '5000' }, rate: { type: 'string', default: '6000' }, seconds: { type: 'string', default: '30' },
  loaders: { type: 'string', default: '2' }, connections: { type: 'string', default: '50' },
} });
const opts = { lifts: Number(a.lifts), rate: Number(a.rate), seconds: Number(a.seconds), loaders: Number(a.loaders), connections: Number(a.connections) };
const root = new URL('../', import.meta.url).pathname;
const hardStop = setTimeout(() => { console.error('benchmark deadline reached'); process.exit(2); }, (opts.seconds * 3 + 240) * 3 * 1000);

const pg = await startPostgres();
const runs: Array<{ name: string; r: ScaleOutReport }> = [];
try {
  for (const [name, nodes, killAtS] of [['1 node', 1, undefined], ['2 nodes', 2, undefined], ['2 nodes, node 1 killed', 2, Math.round(opts.seconds / 2)]] as const) {
    console.log(`\n${name}: ${opts.lifts} lifts, ${opts.rate} records/s offered for ${opts.seconds} s…`);
    const r = await runScaleOut({ ...opts, nodes, ...(killAtS ? { killAtS } : {}), postgres: pg, log: (l) => console.log(`  ${l}`) });
    runs.push({ name, r });
  }
} finally {
  await pg.stop();
  clearTimeout(hardStop);
}

const [one, two, killed] = runs.map((x) => x.r) as [ScaleOutReport, ScaleOutReport, ScaleOutReport];
const cores = (r: ScaleOutReport) => r.perNode.map((n) => n.cpuS);
/** Server CPU per stored record over every node of a run, µs. */
const cpuPerRecord = (r: ScaleOutReport) => (r.perNode.reduce((s, n) => s + n.cpuS, 0) / Math.max(1, r.perNode.reduce((s, n) => s + n.stored, 0))) * 1e6;
console.log(`\n${opts.lifts} lifts, ${opts.rate} records/s offered for ${opts.seconds} s, all at QoS 1, by ${opts.loaders} loaders × ${opts.connections} connections through HAProxy`);
console.log(`${'metric'.padEnd(40)} ${runs.map((x) => x.name.padStart(24)).join(' ')}`);
const row = (name: string, f: (r: ScaleOutReport) => string) => console.log(`${name.padEnd(40)} ${runs.map((x) => f(x.r).padStart(24)).join(' ')}`);
row('records stored per second', (r) => r.storedPerS.toFixed(0));
row('  ratio to 1 node', (r) => (r.storedPerS / one.storedPerS).toFixed(2));
row('publish → stored p50 / p99 ms', (r) => `${r.p50Ms?.toFixed(0)} / ${r.p99Ms?.toFixed(0)}`);
row('  after the first quarter, p50 / p99 ms', (r) => `${r.steadyP50Ms?.toFixed(0)} / ${r.steadyP99Ms?.toFixed(0)}`);
row('published / acknowledged', (r) => `${r.published} / ${r.acked}`);
row('stored (distinct) / samples', (r) => `${r.storedDistinct} / ${r.storedSamples}`);
row('lost / twice (not re-sent) / unknown', (r) => `${r.lost} / ${r.doubled} (${r.doubledNotResent}) / ${r.unknown}`);
row('sent again after reconnect', (r) => `${r.resent} (${r.reconnects} reconnects)`);
row('node CPU seconds', (r) => cores(r).map((c) => c.toFixed(0)).join(' + '));
row('node CPU per stored record, µs', (r) => r.perNode.map((n) => (n.stored > 0 ? (n.cpuS / n.stored) * 1e6 : NaN).toFixed(0)).join(' + '));
row('node RSS MiB', (r) => r.perNode.map((n) => n.rssMiB.toFixed(0)).join(' + '));
if (killed.kill) console.log(`node 1 killed at ${killed.kill.atS.toFixed(1)} s with ${killed.kill.clientsOnKilled} of ${killed.kill.connections} connections; node 2 then held ${killed.kill.clientsOnSurvivorsAfter}`);

const command = `npx tsx bench/scale-out.ts --lifts ${opts.lifts} --rate ${opts.rate} --seconds ${opts.seconds} --loaders ${opts.loaders} --connections ${opts.connections}`;
const date = new Date().toISOString();
const m = (metric: string, unit: string, value: number, reference: number | null) => ({ metric, unit, value: +value.toFixed(1), reference: reference === null ? null : +reference.toFixed(1), ratio: reference ? +(value / reference).toFixed(3) : null, command, date });
const results = [
  m('records stored per second, 1 node', 'records/s', one.storedPerS, null),
  m('records stored per second, 2 nodes (reference: 1 node)', 'records/s', two.storedPerS, one.storedPerS),
  m('records stored per second, 2 nodes with node 1 killed mid-run (reference: 1 node)', 'records/s', killed.storedPerS, one.storedPerS),
  m('publish → stored p99, 1 node', 'ms', one.p99Ms ?? NaN, null),
  m('publish → stored p99, 2 nodes (reference: 1 node)', 'ms', two.p99Ms ?? NaN, one.p99Ms),
  m('publish → stored p99, node 1 killed (reference: 2 nodes)', 'ms', killed.p99Ms ?? NaN, two.p99Ms),
  m('publish → stored p99 after the first quarter of the run, 1 node', 'ms', one.steadyP99Ms ?? NaN, null),
  m('publish → stored p99 after the first quarter of the run, 2 nodes (reference: 1 node)', 'ms', two.steadyP99Ms ?? NaN, one.steadyP99Ms),
  m('node CPU per stored record, 1 node', 'µs', cpuPerRecord(one), null),
  m('node CPU per stored record, 2 nodes (reference: 1 node)', 'µs', cpuPerRecord(two), cpuPerRecord(one)),
  m('records lost, all three runs', 'records', one.lost + two.lost + killed.lost, null),
  m('records stored twice, all three runs (samples in victoria-metrics without dedup)', 'records', one.doubled + two.doubled + killed.doubled, null),
  m('records stored twice that the terminal had not sent again, all three runs', 'records', one.doubledNotResent + two.doubledNotResent + killed.doubledNotResent, null),
];
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/scale-out.json'), `${JSON.stringify(results, null, 2)}\n`);
const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
appendFileSync(join(root, 'bench/RESULTS.md'), `| ${date.slice(0, 10)} | \`${command}\` | stored/s: 1 node ${one.storedPerS.toFixed(0)}, 2 nodes ${two.storedPerS.toFixed(0)} (${(two.storedPerS / one.storedPerS).toFixed(2)} ×), node killed ${killed.storedPerS.toFixed(0)}; lost ${one.lost + two.lost + killed.lost}, twice ${one.doubled + two.doubled + killed.doubled} (all re-sent after the kill: ${one.doubledNotResent + two.doubledNotResent + killed.doubledNotResent === 0}) | p99 ${one.p99Ms?.toFixed(0)} / ${two.p99Ms?.toFixed(0)} / ${killed.p99Ms?.toFixed(0)} ms; after the first quarter ${one.steadyP99Ms?.toFixed(0)} / ${two.steadyP99Ms?.toFixed(0)} / ${killed.steadyP99Ms?.toFixed(0)} ms; CPU per stored record ${cpuPerRecord(one).toFixed(0)} µs (1 node), ${cpuPerRecord(two).toFixed(0)} µs (2 nodes); load ${loadavg()[0]!.toFixed(2)} | ${machine} |\n`);
process.exit(0);
