// Benchmark: simulated lift-days per second per core (issue 3 target ≥ 1,000), in accelerated time
// (fidelity 'fast', the dataset default) and at full fidelity (1 Hz status while moving, 100 Hz
// motion, whole-cruise vibration windows), and the dataset command's throughput with JSON writing.
// One process, one thread: per core. Per CPU-second figures are given beside wall-clock ones
// because the machine is shared. Bounded: a fixed count of lift-days and a 300 s deadline.
//
//   npx tsx bench/sim-lift-days.ts [--lifts 20] [--days 30]
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createScenarioLift, loadScenario, writeDataset } from '@liftwatch/simulator';

const { values } = parseArgs({ options: { lifts: { type: 'string', default: '20' }, days: { type: 'string', default: '30' } } });
const LIFTS = Number(values.lifts);
const DAYS = Number(values.days);
const REFERENCE = { liftDaysPerS: 1_000 };
const DAY_MS = 86_400_000;
const killer = setTimeout(() => { console.error('benchmark deadline reached'); process.exit(2); }, 300_000);

/** The machine's speed now: ns per iteration of a float-add loop (about 1 ns on an unloaded modern core [M]). */
function calibrate(): number {
  const t = performance.now();
  let s = 0;
  for (let i = 0; i < 5e7; i++) s += i * 0.5;
  if (s < 0) console.log(s);
  return (performance.now() - t) * 1e6 / 5e7;
}

function simulate(scenario: string, fidelity: 'fast' | 'full', lifts: number, days: number) {
  const s = loadScenario(scenario);
  const start = Date.parse(s.start);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let records = 0;
  for (let i = 0; i < lifts; i++) {
    const sim = createScenarioLift(s, { seed: 1, index: i, liftId: `BENCH-${i}`, fidelity, groundTruth: true });
    for (let d = 1; d <= days; d++) { records += sim.advanceTo(start + d * DAY_MS).length; sim.drainTruth(); }
  }
  const wallS = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(cpu0);
  const cpuS = (c.user + c.system) / 1e6;
  return { liftDays: lifts * days, wallS, cpuS, records };
}

const nsPerIteration = calibrate();
const fast = simulate('healthy-baseline', 'fast', LIFTS, DAYS);
const faulty = simulate('door-wear-to-failure', 'fast', LIFTS, DAYS);
const full = simulate('healthy-baseline', 'full', Math.max(1, Math.round(LIFTS / 10)), Math.max(1, Math.round(DAYS / 3)));
const out = mkdtempSync(join(tmpdir(), 'lw-bench-dataset-'));
const ds0 = process.cpuUsage();
const ds = writeDataset({ out, scenarios: ['healthy-baseline', 'rope-stretch-relevels'], seeds: [1], lifts: Math.max(1, Math.round(LIFTS / 4)), days: DAYS });
const dsc = process.cpuUsage(ds0);
rmSync(out, { recursive: true, force: true });
clearTimeout(killer);

const command = `npx tsx bench/sim-lift-days.ts --lifts ${LIFTS} --days ${DAYS}`;
const date = new Date().toISOString();
const row = (metric: string, value: number) => ({ metric, unit: 'lift-days/s', value: +value.toFixed(1), reference: REFERENCE.liftDaysPerS, ratio: +(value / REFERENCE.liftDaysPerS).toFixed(4), command, date });
const results = [
  row(`fast, healthy baseline, ${fast.liftDays} lift-days, per wall second (one core)`, fast.liftDays / fast.wallS),
  row(`fast, healthy baseline, ${fast.liftDays} lift-days, per CPU second`, fast.liftDays / fast.cpuS),
  row(`fast, door wear to failure, ${faulty.liftDays} lift-days, per CPU second`, faulty.liftDays / faulty.cpuS),
  row(`full fidelity, healthy baseline, ${full.liftDays} lift-days, per CPU second`, full.liftDays / full.cpuS),
  row(`dataset command (JSON lines written), ${ds.liftDays} lift-days, per CPU second`, ds.liftDays / ((dsc.user + dsc.system) / 1e6)),
  { metric: 'machine speed now: a float-add loop iteration', unit: 'ns', value: +nsPerIteration.toFixed(2), reference: 1, ratio: +nsPerIteration.toFixed(2), command, date },
];
console.log(`\n${'metric'.padEnd(84)} ${'value'.padStart(10)} ${'reference'.padStart(10)}  ratio`);
for (const r of results) console.log(`${r.metric.padEnd(84)} ${String(r.value).padStart(10)} ${String(r.reference).padStart(10)}  ${r.ratio}`);
console.log(`\nrecords per lift-day: fast ${Math.round(fast.records / fast.liftDays)}, full ${Math.round(full.records / full.liftDays)}; a lift-year (fast) takes ${(365 / (fast.liftDays / fast.cpuS)).toFixed(1)} CPU s here`);

const root = new URL('../', import.meta.url).pathname;
const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/sim-lift-days.json'), `${JSON.stringify(results, null, 2)}\n`);
const r = (i: number) => results[i]!.value;
appendFileSync(join(root, 'bench/RESULTS.md'), `| ${date.slice(0, 10)} | \`${command}\` | fast ${r(0)}/wall s, ${r(1)}/CPU s (${(r(1) / 1000).toFixed(3)} × 1,000); door wear ${r(2)}/CPU s; full ${r(3)}/CPU s; dataset ${r(4)}/CPU s | float-add loop ${r(5)} ns | ${machine} |\n`);
