// `npm run sim:dataset -- --mix city-mixed --lifts 50 --seeds 1-5 --days 365 --out data/datasets/x`
// `npm run sim:dataset -- --lifts 50 --seeds 1-5 --scenarios all --days 90 --out data/datasets/x`
// Writes records plus ground truth for many lifts and seeds of a scenario mix, or of the named
// scenario files (see README.md, Dataset).
import { parseArgs } from 'node:util';
import { lwError } from '@liftwatch/contract';
import { parseSeeds, writeDataset } from './dataset.js';
import { writeMixDataset } from './fleet-dataset.js';

const HELP = `usage: npm run sim:dataset -- [--mix NAME|FILE | --scenarios all|a,b] [--lifts N] [--seeds 1-5] [--days D] [--out DIR] [--fidelity summary|full]

  --mix NAME|FILE    a scenario mix (city-mixed, old-stock, busy-offices, residential-quiet) or a mix JSON file:
                     lifts with random draws, functional failures in the ground truth
  --scenarios LIST   instead: named scenario files (packages/simulator/scenarios), or all (default when no --mix)
  --lifts N          lifts per seed (and per scenario) (default 1)
  --seeds LIST       e.g. 1-5 or 1,3,7 (default 1)
  --days D           simulated days per lift (default: 365 for a mix, each scenario's own)
  --out DIR          output directory (default data/datasets/default)
  --fidelity F       summary (default; fast, no raw waveforms) or full; for scenarios also fast`;

try {
  const { values } = parseArgs({
    options: {
      mix: { type: 'string' }, lifts: { type: 'string', default: '1' }, seeds: { type: 'string', default: '1' }, scenarios: { type: 'string' },
      days: { type: 'string' }, out: { type: 'string', default: 'data/datasets/default' }, fidelity: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
  } else {
    if (values.mix !== undefined && values.scenarios !== undefined) throw lwError('LW_ERR_SCENARIO_INVALID', 'Give either --mix or --scenarios, not both.');
    const seeds = parseSeeds(values.seeds);
    const lifts = Number(values.lifts);
    const log = (line: string) => console.log(line);
    const r = values.mix !== undefined
      ? writeMixDataset({ out: values.out, mix: values.mix, seeds, lifts, days: values.days === undefined ? 365 : Number(values.days), fidelity: values.fidelity === 'full' ? 'full' : 'summary' }, log)
      : writeDataset({
        out: values.out, scenarios: (values.scenarios ?? 'all').split(',').map((s) => s.trim()), seeds, lifts,
        ...(values.days !== undefined ? { days: Number(values.days) } : {}), fidelity: values.fidelity === 'full' ? 'full' : 'fast',
      }, log);
    const records = r.files.reduce((n, f) => n + f.recordCount, 0);
    console.log(`wrote ${r.files.length} lifts, ${r.liftDays} lift-days, ${records} records to ${values.out} in ${r.seconds.toFixed(1)} s (${(r.liftDays / r.seconds).toFixed(1)} lift-days/s)`);
  }
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
}
