// Training and evaluating the fault-prediction models on simulated fleets: lift-years replayed per
// CPU second through the streaming features, the training set's size, the time to fit the learners
// and to calibrate, and the evaluation's time. Bounded: --lift-years of training (split over two
// mixes), a quarter of it for validation and for evaluation.
// npx tsx bench/model-training.ts [--lift-years 8] [--days 180]
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRegistry, evaluate, FEATURE_NAMES, generatorVersion, publishRun, runTraining, type FleetSlice } from '@liftwatch/models';
import { resultRow } from './figures.js';

const root = join(import.meta.dirname, '..');
const { values } = parseArgs({ options: { 'lift-years': { type: 'string', default: '8' }, days: { type: 'string', default: '180' } } });
const days = Number(values.days);
const liftsFor = (years: number, fleets: number) => Math.max(1, Math.round((years * 365) / days / fleets));
const train: FleetSlice = { mixes: ['city-mixed', 'busy-offices'], seeds: [1], lifts: liftsFor(Number(values['lift-years']), 2), days };
const validation: FleetSlice = { mixes: ['old-stock'], seeds: [101], lifts: liftsFor(Number(values['lift-years']) / 4, 1), days };
const evaluation: FleetSlice = { mixes: ['residential-quiet'], seeds: [301], lifts: liftsFor(Number(values['lift-years']) / 4, 1), days };
const dir = mkdtempSync(join(tmpdir(), 'lw-bench-training-'));
try {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const run = await runTraining({ train, validation, learners: ['gbt-depth3-28d', 'gbt-depth3-monotone-28d', 'logistic-28d'] });
  publishRun(createRegistry(dir), run, { generator: generatorVersion(), train, validation, horizonDays: 30, options: {} });
  const trainCpuS = (process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1e6;
  const trainWallS = (performance.now() - t0) / 1000;
  const cpu1 = process.cpuUsage();
  const e = await evaluate(createRegistry(dir), evaluation, { healthStepMs: 14 * 86_400_000 });
  const evalCpuS = (process.cpuUsage(cpu1).user + process.cpuUsage(cpu1).system) / 1e6;
  const s = run.seen;
  const result = {
    date: new Date().toISOString(), command: `npx tsx bench/model-training.ts --lift-years ${values['lift-years']} --days ${days}`,
    trainingLiftYears: round(s.liftYears), recordsReplayed: s.records, samples: s.samples, rowsKept: s.rows,
    trainingSetMiB: round((s.rows * FEATURE_NAMES.length * 4) / 2 ** 20), features: FEATURE_NAMES.length,
    seconds: { replay: round(run.seconds.replay), fit: round(run.seconds.fit), validation: round(run.seconds.validation), trainingWall: round(trainWallS), trainingCpu: round(trainCpuS), evaluationWall: round(e.seconds), evaluationCpu: round(evalCpuS) },
    liftYearsPerCpuSecond: round(s.liftYears / Math.max(trainCpuS, 1e-9)), evaluatedLiftYears: round(e.liftYears), evaluatedLiftYearsPerCpuSecond: round(e.liftYears / Math.max(evalCpuS, 1e-9)),
    node: process.version, cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`, memGiB: Math.round(totalmem() / 2 ** 30),
  };
  console.log(JSON.stringify(result, null, 2));
  const at2000 = (2000 / result.liftYearsPerCpuSecond / 60).toFixed(0);
  console.log(`training: ${result.liftYearsPerCpuSecond} lift-years per CPU second (2,000 lift-years ≈ ${at2000} CPU minutes); evaluation ${result.evaluatedLiftYearsPerCpuSecond} lift-years per CPU second`);
  const machine = { node: result.node, cpus: result.cpus, memGiB: result.memGiB };
  // No reference run and no target: reference and ratio stay null.
  const row = (metric: string, unit: string, value: number) => resultRow(metric, unit, value, null, result, machine);
  const seconds = result.seconds;
  const rows = [
    row('training: lift-years replayed per CPU second through the streaming features', 'lift-years/CPU s', result.liftYearsPerCpuSecond),
    row('training: simulated lift-years', 'lift-years', result.trainingLiftYears),
    row('training: records replayed', 'records', result.recordsReplayed),
    row('training: feature samples', 'samples', result.samples),
    row('training: rows kept in the training set', 'rows', result.rowsKept),
    row('training set size', 'MiB', result.trainingSetMiB),
    row('features per row', 'features', result.features),
    row('training: replay time', 's', seconds.replay),
    row('training: fitting time', 's', seconds.fit),
    row('training: validation and calibration time', 's', seconds.validation),
    row('training: wall time', 's', seconds.trainingWall),
    row('training: CPU time', 's', seconds.trainingCpu),
    row('evaluation: wall time', 's', seconds.evaluationWall),
    row('evaluation: CPU time', 's', seconds.evaluationCpu),
    row('evaluation: simulated lift-years', 'lift-years', result.evaluatedLiftYears),
    row('evaluation: lift-years per CPU second', 'lift-years/CPU s', result.evaluatedLiftYearsPerCpuSecond),
  ];
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'model-training.json'), `${JSON.stringify(rows, null, 2)}\n`);
  appendFileSync(join(root, 'bench', 'RESULTS.md'), `| ${result.date.slice(0, 10)} | \`${result.command}\` | training ${result.liftYearsPerCpuSecond} lift-years/CPU s (2,000 lift-years ≈ ${at2000} CPU min; ${s.rows} rows, ${result.trainingSetMiB} MiB kept of ${s.records} records); fit ${result.seconds.fit} s; evaluation ${result.evaluatedLiftYearsPerCpuSecond} lift-years/CPU s | – | ${result.cpus}, ${result.memGiB} GiB, Node ${result.node}, shared and loaded |\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function round(v: number): number { return Math.round(v * 100) / 100; }
