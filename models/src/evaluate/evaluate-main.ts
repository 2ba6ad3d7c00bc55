// `npm run models:evaluate`: the registry's latest models and the threshold rules on held-out
// seeds and a scenario mix never used in training; writes models/EVALUATION.md.
// `--data sim`: held-out seeds 101-102 of the simulator's scenarios (SIM_SCENARIOS), written to
// --dataset DIR (default data/datasets/sim-holdout) unless it is there; --artifacts DIR, --out FILE.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRegistry } from '../registry/registry.js';
import { ensureSimDataset, SIM_SCENARIOS } from '../train/sim-data.js';
import { iterateSimDataset } from '../train/sim-dataset-reader.js';
import { generateSynthetic } from '../train/synthetic-degradation.js';
import type { LabelledLift } from '../train/training-data.js';
import { evaluate } from './evaluate.js';
import { renderEvaluation } from './report.js';

/** Held out: seeds never used by models:train (1–4), and the 'quiet' mix that training never sees. */
export const HOLDOUT_SEEDS = [101, 102];
export const HOLDOUT_SCENARIOS = ['mixed', 'quiet'] as const;

const root = join(import.meta.dirname, '..', '..');
const { values } = parseArgs({ options: {
  data: { type: 'string', default: 'synthetic' }, dataset: { type: 'string' }, lifts: { type: 'string' }, days: { type: 'string' },
  out: { type: 'string', default: join(root, 'EVALUATION.md') }, artifacts: { type: 'string', default: join(root, 'artifacts') },
} });
if (values.data !== 'synthetic' && values.data !== 'sim') {
  console.error(`--data ${values.data}: write --data synthetic (the stand-in generator) or --data sim (the simulator's dataset)`);
  process.exit(2);
}
const sim = values.data === 'sim';
const liftCount = Number(values.lifts ?? (sim ? 1 : 12));
const t0 = Date.now();
let lifts: Iterable<LabelledLift>;
let heading: string;
if (sim) {
  const dataset = values.dataset ?? join(root, '..', 'data', 'datasets', 'sim-holdout');
  ensureSimDataset(dataset, { scenarios: SIM_SCENARIOS, seeds: HOLDOUT_SEEDS, lifts: liftCount, ...(values.days ? { days: Number(values.days) } : {}) }, (l) => console.log(l));
  lifts = iterateSimDataset(dataset, { seeds: HOLDOUT_SEEDS, scenarios: SIM_SCENARIOS });
  heading = `## Results (simulator dataset: seeds ${HOLDOUT_SEEDS.join(', ')} of ${SIM_SCENARIOS.join(', ')}; ${liftCount} lift per scenario and seed, each scenario's own length)`;
} else {
  const days = Number(values.days ?? 75);
  lifts = HOLDOUT_SCENARIOS.flatMap((scenario) => HOLDOUT_SEEDS.flatMap((seed) => generateSynthetic({ lifts: liftCount, days, seed, scenario })));
  heading = `## Results (seeds ${HOLDOUT_SEEDS.join(', ')}; mixes ${HOLDOUT_SCENARIOS.join(', ')}; ${liftCount} lifts × ${days} days each)`;
}
const e = await evaluate(createRegistry(values.artifacts), lifts);
const head = readFileSync(join(root, 'src', 'evaluate', 'EVALUATION.head.md'), 'utf8');
const body = renderEvaluation(e, heading);
writeFileSync(values.out, `${head}\n${body}\nCommand: \`npm run models:evaluate${sim ? ' -- --data sim' : ''}\` (${((Date.now() - t0) / 1000).toFixed(0)} s).\n`);
console.log(body);
