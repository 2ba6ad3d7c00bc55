// Benchmark: simulated lift-days per CPU second (target ≥ 1,000 at summary fidelity), through the
// in-process fleet generator the training reads (`simulateFleet`): summary fidelity (trip, door,
// fault records, status as heartbeats, no raw waveforms) on two scenario mixes, full fidelity with
// raw windows (1 Hz status while moving, 100 Hz motion, each trip's own 256 Hz vibration window, the
// signals the edge agent computes its records from), and the dataset command's throughput with JSON
// writing. One process, one thread: per core. Per CPU-second figures are given beside wall-clock
// ones because the machine may be shared. Bounded: fixed counts and a 300 s deadline.
//
//   npx tsx bench/sim-lift-days.ts [--lifts 20] [--days 60]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLiftSim, drawLift, loadMix, simulateFleet, writeMixDataset } from '@liftwatch/simulator';

const { values } = parseArgs({ options: { lifts: { type: 'string', default: '20' }, days: { type: 'string', default: '60' } } });
const LIFTS = Number(values.lifts);
const DAYS = Number(values.days);
const REFERENCE = { liftDaysPerS: 1_000 };
const killer = setTimeout(() => { console.error('benchmark deadline reached'); process.exit(2); }, 300_000);

/** The machine's speed now: ns per iteration of a float-add loop (about 1 ns on an unloaded modern core [M]). */
function calibrate(): number {
  const t = performance.now();
  let s = 0;
  for (let i = 0; i < 5e7; i++) s += i * 0.5;
  if (s < 0) console.log(s);
  return (performance.now() - t) * 1e6 / 5e7;
}

function measure<T>(work: () => T): { wallS: number; cpuS: number; result: T } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = work();
  const c = process.cpuUsage(cpu0);
  return { wallS: (performance.now() - t0) / 1000, cpuS: (c.user + c.system) / 1e6, result };
}

/** Lifts of a mix through `simulateFleet`, every event consumed; returns the events counted. */
function fleet(mix: string, lifts: number, days: number, firstLift = 0): number {
  let events = 0;
  for (const lift of simulateFleet({ mix, seed: 1, lifts, days, firstLift })) for (const _ of lift.events()) events++;
  return events;
}

/** Full fidelity with raw windows (what the edge agent computes its records from). */
function full(lifts: number, days: number): number {
  const mix = loadMix('city-mixed');
  let windows = 0;
  for (let i = 0; i < lifts; i++) {
    const d = drawLift(mix, 1, i, days);
    const sim = createLiftSim({ ...d.options, fidelity: 'full', raw: true });
    for (let h = 1; h <= days * 24; h++) { sim.advanceTo(d.startMs + h * 3_600_000); windows += sim.drainRaw().length; sim.drainTruth(); }
  }
  return windows;
}

const nsPerIteration = calibrate();
fleet('city-mixed', 10, 100, 1_000); // warm-up, about 1,000 lift-days: V8 has compiled and tiered the hot code before it is timed
const summary = measure(() => fleet('city-mixed', LIFTS, DAYS));
const oldStock = measure(() => fleet('old-stock', LIFTS, DAYS));
const fullRun = measure(() => full(Math.max(1, Math.round(LIFTS / 10)), Math.max(1, Math.round(DAYS / 30))));
const out = mkdtempSync(join(tmpdir(), 'lw-bench-dataset-'));
const ds = measure(() => writeMixDataset({ out, mix: 'residential-quiet', seeds: [1], lifts: Math.max(1, Math.round(LIFTS / 4)), days: DAYS }));
rmSync(out, { recursive: true, force: true });
clearTimeout(killer);

const liftDays = { summary: LIFTS * DAYS, full: Math.max(1, Math.round(LIFTS / 10)) * Math.max(1, Math.round(DAYS / 30)), dataset: ds.result.liftDays };
const command = `npx tsx bench/sim-lift-days.ts --lifts ${LIFTS} --days ${DAYS}`;
const date = new Date().toISOString();
const load = loadavg().map((l) => l.toFixed(2)).join(' ');
const row = (metric: string, value: number) => ({ metric, unit: 'lift-days/s', value: +value.toFixed(1), reference: REFERENCE.liftDaysPerS, ratio: +(value / REFERENCE.liftDaysPerS).toFixed(4), command, date });
const results = [
  row(`summary fidelity, city-mixed, ${liftDays.summary} lift-days, per CPU second`, liftDays.summary / summary.cpuS),
  row(`summary fidelity, city-mixed, ${liftDays.summary} lift-days, per wall second (one core)`, liftDays.summary / summary.wallS),
  row(`summary fidelity, old-stock, ${liftDays.summary} lift-days, per CPU second`, liftDays.summary / oldStock.cpuS),
  row(`full fidelity with raw windows, city-mixed, ${liftDays.full} lift-days, per CPU second`, liftDays.full / fullRun.cpuS),
  row(`dataset command (mix, JSON lines written), ${liftDays.dataset} lift-days, per CPU second`, liftDays.dataset / ds.cpuS),
  { metric: 'machine speed now: a float-add loop iteration', unit: 'ns', value: +nsPerIteration.toFixed(2), reference: 1, ratio: +nsPerIteration.toFixed(2), command, date },
  { metric: 'load average (1, 5, 15 min) at the end', unit: 'processes', value: +loadavg()[0]!.toFixed(2), reference: cpus().length, ratio: +(loadavg()[0]! / cpus().length).toFixed(2), command, date },
];
console.log(`\n${'metric'.padEnd(84)} ${'value'.padStart(10)} ${'reference'.padStart(10)}  ratio`);
for (const r of results) console.log(`${r.metric.padEnd(84)} ${String(r.value).padStart(10)} ${String(r.reference).padStart(10)}  ${r.ratio}`);
console.log(`\nevents per lift-day (summary): ${Math.round(summary.result / liftDays.summary)}; raw windows per lift-day (full): ${Math.round(fullRun.result / liftDays.full)}; a lift-year (summary) takes ${(365 * summary.cpuS / liftDays.summary).toFixed(2)} CPU s; load average ${load}`);

const root = new URL('../', import.meta.url).pathname;
const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/sim-lift-days.json'), `${JSON.stringify(results, null, 2)}\n`);
const r = (i: number) => results[i]!.value;
const line = `| ${date.slice(0, 10)} | \`${command}\` | summary ${r(0)}/CPU s (${(r(0) / 1000).toFixed(3)} × 1,000), ${r(1)}/wall s; old-stock ${r(2)}/CPU s; full with raw windows ${r(3)}/CPU s; dataset ${r(4)}/CPU s | float-add loop ${r(5)} ns, load ${load} | ${machine} |`;
// The row goes at the end of the simulator's table (the section this benchmark owns).
const resultsPath = join(root, 'bench/RESULTS.md');
const lines = readFileSync(resultsPath, 'utf8').split('\n');
const section = lines.findIndex((l) => l.startsWith('## Simulator'));
let at = section;
while (at >= 0 && at + 1 < lines.length && !(lines[at]!.startsWith('|') && !lines[at + 1]!.startsWith('|'))) at++;
if (section < 0 || at + 1 >= lines.length) lines.push(line); else lines.splice(at + 1, 0, line);
writeFileSync(resultsPath, lines.join('\n'));
