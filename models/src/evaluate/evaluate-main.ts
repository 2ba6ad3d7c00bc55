// `npm run models:evaluate`: the registry's latest models and their calibrated rule baselines on
// simulated lifts they were not trained or calibrated on → models/EVALUATION.md and
// bench/results/model-evaluation.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRegistry } from '../registry/registry.js';
import { intOption, numberOption, parseCli, runCli, sliceOption } from '../train/cli.js';
import { generatorVersion } from '../train/fleet-split.js';
import { evaluate } from './evaluate.js';
import { realDataSection } from './real-data.js';
import { evaluationMetrics, renderEvaluation } from './report.js';
import { summarise } from './summary.js';

const DAY = 86_400_000;
const root = join(import.meta.dirname, '..', '..');

const options = {
  mixes: { default: 'residential-quiet,models/evaluation-mixes/hot-towers.json', help: 'mixes to evaluate on: shipped names or mix JSON files, comma-separated; a file path is relative to the repository root (npm run) (models/evaluation-mixes/ holds mixes made for evaluation only)' },
  seeds: { default: '401-404', help: 'seeds to evaluate on, e.g. 401-404' },
  lifts: { default: '60', help: 'lifts per mix and seed' },
  days: { default: '365', help: 'simulated days per lift' },
  'first-lift': { default: '0', help: 'index of the first lift of each mix and seed (a split by lift: lifts the training did not use)' },
  'from-day': { default: '0', help: 'count failures and alerts only from this day of each run on (a split by time)' },
  'horizon-days': { default: '30', help: 'an alert counts for a failure at most this many days ahead, else it is false' },
  'health-step-days': { default: '14', help: 'grade the health score every this many days (0: no health grades)' },
  bootstrap: { default: '1000', help: 'bootstrap resamples of the lifts for the 95 % intervals' },
  'bootstrap-seed': { default: '1', help: 'seed of the bootstrap' },
  oracle: { default: '0.5,0.7,1,2,5', help: 'false-alert budgets per 100 lift-months at which an oracle reading the simulator\'s true component state is calibrated on the models\' validation lifts and judged here (the ceiling; never served); the served budget is added; none: no oracle' },
  workers: { default: '1', help: 'worker threads simulating and replaying lifts (results are the same for any number)' },
  artifacts: { default: join(root, 'artifacts'), help: 'model registry to evaluate (the latest version of each family)' },
  out: { default: join(root, 'EVALUATION.md'), help: 'report file' },
  results: { default: join(root, '..', 'bench', 'results', 'model-evaluation.json'), help: 'metrics file' },
  'real-data': { default: join(root, '..', 'bench', 'results', 'sim-noise-calibration.json'), help: 'the simulator\'s comparison with the Huawei elevator file (bench/sim-noise-calibration.ts), reported when the file exists' },
} as const;

await runCli(async () => {
  const v = parseCli('npm run models:evaluate -- [options]\n\nEvaluates the latest model of each family, its rule baseline and the predictor it serves on simulated lifts, with 95 % bootstrap\nintervals over lifts; writes the report and the metrics file.', options);
  const slice = sliceOption(v);
  const fromDay = intOption('from-day', v['from-day']!, 0);
  const horizonDays = numberOption('horizon-days', v['horizon-days']!);
  const healthStepDays = Number(v['health-step-days']);
  const command = `npm run models:evaluate -- ${process.argv.slice(2).join(' ')}`.trim().replace(/ --$/, '');
  const e = await evaluate(createRegistry(v['artifacts']!), slice, {
    fromDay, horizonMs: horizonDays * DAY, ...(v['oracle'] === 'none' ? {} : { oracle: { budgets: budgetsOption(v['oracle']!) } }), workers: intOption('workers', v['workers']!), healthStepMs: healthStepDays > 0 ? healthStepDays * DAY : 0, log: (l) => console.log(l),
  });
  const s = summarise(e.lifts, { samples: intOption('bootstrap', v['bootstrap']!), seed: intOption('bootstrap-seed', v['bootstrap-seed']!, 0) });
  const realData = realDataSection(v['real-data']!);
  const byMix = slice.mixes.length < 2 ? undefined : slice.mixes.map((m) => [m, summarise(e.lifts.filter((l) => l.mix === m || m.endsWith(`${l.mix}.json`)), { samples: 200 })] as const);
  const md = renderEvaluation(e, s, { slice, fromDay, horizonDays, generator: generatorVersion(), command, ...(realData !== undefined ? { realData } : {}), ...(byMix !== undefined ? { byMix } : {}) });
  writeFileSync(v['out']!, md);
  mkdirSync(dirname(v['results']!), { recursive: true });
  writeFileSync(v['results']!, `${JSON.stringify(evaluationMetrics(e, s, command), null, 2)}\n`);
  console.log(md);
  console.log(`wrote ${v['out']} and ${v['results']}`);
});

/** Budgets from a comma-separated list of positive numbers. */
function budgetsOption(text: string): number[] {
  return text.split(',').map((b) => numberOption('oracle', b.trim()));
}
