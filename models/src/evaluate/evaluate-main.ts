// `npm run models:evaluate`: the registry's latest models and the threshold rules on held-out
// seeds and a scenario mix never used in training; writes models/EVALUATION.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRegistry } from '../registry/registry.js';
import { generateSynthetic } from '../train/synthetic-degradation.js';
import { evaluate } from './evaluate.js';
import { renderEvaluation } from './report.js';

/** Held out: seeds never used by models:train (1–4), and the 'quiet' mix that training never sees. */
export const HOLDOUT_SEEDS = [101, 102];
export const HOLDOUT_SCENARIOS = ['mixed', 'quiet'] as const;

const root = join(import.meta.dirname, '..', '..');
const { values } = parseArgs({ options: { lifts: { type: 'string', default: '12' }, days: { type: 'string', default: '75' }, out: { type: 'string', default: join(root, 'EVALUATION.md') }, artifacts: { type: 'string', default: join(root, 'artifacts') } } });
const t0 = Date.now();
const lifts = HOLDOUT_SCENARIOS.flatMap((scenario) => HOLDOUT_SEEDS.flatMap((seed) => generateSynthetic({ lifts: Number(values.lifts), days: Number(values.days), seed, scenario })));
const e = await evaluate(createRegistry(values.artifacts), lifts);
const head = readFileSync(join(root, 'src', 'evaluate', 'EVALUATION.head.md'), 'utf8');
const body = renderEvaluation(e, `## Results (seeds ${HOLDOUT_SEEDS.join(', ')}; mixes ${HOLDOUT_SCENARIOS.join(', ')}; ${values.lifts} lifts × ${values.days} days each)`);
writeFileSync(values.out, `${head}\n${body}\nCommand: \`npm run models:evaluate\` (${((Date.now() - t0) / 1000).toFixed(0)} s).\n`);
console.log(body);
