// `npm run sim:dataset -- --lifts 50 --seeds 1-5 --scenarios all --days 90 --out data/datasets/x`
// Writes records plus ground truth for many lifts, seeds and scenarios (see README.md, Dataset).
import { parseArgs } from 'node:util';
import { parseSeeds, writeDataset } from './dataset.js';

try {
  const { values } = parseArgs({
    options: {
      lifts: { type: 'string', default: '1' }, seeds: { type: 'string', default: '1' }, scenarios: { type: 'string', default: 'all' },
      days: { type: 'string' }, out: { type: 'string', default: 'data/datasets/default' }, fidelity: { type: 'string', default: 'fast' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('usage: npm run sim:dataset -- [--lifts N] [--seeds 1-5] [--scenarios all|a,b] [--days D] [--out DIR] [--fidelity fast|full]');
  } else {
    const fidelity = values.fidelity === 'full' ? 'full' : 'fast';
    const r = writeDataset({
      out: values.out, scenarios: values.scenarios.split(',').map((s) => s.trim()), seeds: parseSeeds(values.seeds), lifts: Number(values.lifts),
      ...(values.days !== undefined ? { days: Number(values.days) } : {}), fidelity,
    }, (line) => console.log(line));
    const records = r.files.reduce((n, f) => n + f.recordCount, 0);
    console.log(`wrote ${r.files.length} lifts, ${r.liftDays} lift-days, ${records} records to ${values.out} in ${r.seconds.toFixed(1)} s (${(r.liftDays / r.seconds).toFixed(1)} lift-days/s)`);
  }
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
}
