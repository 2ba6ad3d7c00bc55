// The Huawei elevator file's vibration (repaired) against the simulator's trip vibration levels,
// through the same ride-quality code (ISO 18738-1 A95 of the residual around the trend, kurtosis):
// spread, noise around the trend and step structure, for the evaluation report and docs/simulator.md.
// Writes bench/results/sim-noise-calibration.json.
//
//   npx tsx bench/sim-noise-calibration.ts [--days 40] [--seeds 1,2,3]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { levelStats, readHuaweiColumn, simulatedVibrationLevels } from '@liftwatch/simulator';

const { values } = parseArgs({ options: { days: { type: 'string', default: '40' }, seeds: { type: 'string', default: '1,2,3' } } });
const days = Number(values.days);
const file = levelStats(readHuaweiColumn('vibration'), 240);
const simulator = values.seeds.split(',').map(Number).flatMap((seed) => [0.7, 1, 1.5].map((noise) => ({ seed, vibrationNoiseScale: noise, ...levelStats(simulatedVibrationLevels({ seed, days, vibrationNoiseScale: noise }), 240) })));
const round = (o: object) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' && !Number.isInteger(v) ? +v.toPrecision(4) : v]));
const result = {
  command: `npx tsx bench/sim-noise-calibration.ts --days ${days} --seeds ${values.seeds}`, date: new Date().toISOString(),
  huawei: { what: 'vibration column ("dB"), repaired, 4 Hz, windows of 240 samples (1 min)', ...round(file) },
  simulator: { what: `trip vibA95XMps2 of a lift whose guide roller wears from new to failure in ${days} days, windows of 240 trips`, runs: simulator.map(round) },
};
console.log(JSON.stringify(result, null, 1));
const root = new URL('../', import.meta.url).pathname;
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/sim-noise-calibration.json'), `${JSON.stringify(result, null, 1)}\n`);
