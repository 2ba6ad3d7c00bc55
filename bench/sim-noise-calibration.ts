// The Huawei elevator file's vibration (repaired) against the simulator's trip vibration levels,
// through the same ride-quality code (ISO 18738-1 A95 of the residual around the trend, kurtosis):
// spread, noise around the trend and step structure, for the evaluation report and docs/simulator.md.
// Writes bench/results/sim-noise-calibration.json: one row per statistic of the file and of each
// simulator run (seed, noise scale), the simulator's compared with the file's where they share a unit;
// models/src/evaluate/real-data.ts reads it.
//
//   npx tsx bench/sim-noise-calibration.ts [--days 40] [--seeds 1,2,3]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { levelStats, readHuaweiColumn, simulatedVibrationLevels, type LevelStats } from '@liftwatch/simulator';
import { resultRow } from './figures.js';

const { values } = parseArgs({ options: { days: { type: 'string', default: '40' }, seeds: { type: 'string', default: '1,2,3' } } });
const days = Number(values.days);
const file = levelStats(readHuaweiColumn('vibration'), 240);
const simulator = values.seeds.split(',').map(Number).flatMap((seed) => [0.7, 1, 1.5].map((noise) => ({ seed, vibrationNoiseScale: noise, ...levelStats(simulatedVibrationLevels({ seed, days, vibrationNoiseScale: noise }), 240) })));
const round = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' && !Number.isInteger(v) ? +v.toPrecision(4) : v])) as T;
const result = {
  command: `npx tsx bench/sim-noise-calibration.ts --days ${days} --seeds ${values.seeds}`, date: new Date().toISOString(),
  huawei: { what: 'vibration column ("dB"), repaired, 4 Hz, windows of 240 samples (1 min)', ...round(file) },
  simulator: { what: `trip vibA95XMps2 of a lift whose guide roller wears from new to failure in ${days} days, windows of 240 trips`, runs: simulator.map(round) },
};
console.log(JSON.stringify(result, null, 1));

/**
 * The statistics written, in order. The level's percentiles are in each side's own unit (the file's
 * column, the simulator's m/s²), so only the unitless ones are compared with the file's.
 */
const STATISTICS: ReadonlyArray<{ key: Exclude<keyof LevelStats, 'samples'>; name: string; unit?: string }> = [
  { key: 'p05', name: '5th percentile of the level' },
  { key: 'p50', name: 'median of the level' },
  { key: 'p95', name: '95th percentile of the level' },
  { key: 'dynamicRange', name: 'p95 / p05 of the level', unit: '×' },
  { key: 'relativeNoiseA95', name: 'noise around the trend (A95 of the residual / level)', unit: 'ratio' },
  { key: 'residualKurtosis', name: 'residual kurtosis', unit: 'dimensionless' },
  { key: 'incrementAutocorrelation', name: 'lag-1 autocorrelation of increments', unit: 'dimensionless' },
];
const run = { command: result.command, date: result.date };
const huawei = result.huawei;
const rows = [
  ...STATISTICS.map((s) => resultRow(`Huawei file: ${s.name}`, s.unit ?? 'dB (the file\'s column)', huawei[s.key], null, run,
    { side: 'huawei', statistic: s.key, what: huawei.what, samples: huawei.samples })),
  ...result.simulator.runs.flatMap((r) => STATISTICS.map((s) => resultRow(
    `simulator, seed ${r.seed}, noise scale ${r.vibrationNoiseScale}: ${s.name}${s.unit === undefined ? '' : ', vs the Huawei file'}`, s.unit ?? 'm/s²', r[s.key], s.unit === undefined ? null : huawei[s.key], run,
    { side: 'simulator', statistic: s.key, seed: r.seed, vibrationNoiseScale: r.vibrationNoiseScale, what: result.simulator.what, samples: r.samples }))),
];
const root = new URL('../', import.meta.url).pathname;
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/sim-noise-calibration.json'), `${JSON.stringify(rows, null, 1)}\n`);
