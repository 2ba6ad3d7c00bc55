// `npm run models:train`: labelled data → one classifier per family → ONNX → models/artifacts.
// Options: --data synthetic|sim (default synthetic: the stand-in generator; sim: the issue-3
// simulator's dataset, written to --dataset DIR first unless it is there with the same options),
// --dataset DIR (default data/datasets/sim-train), --scenarios a,b (sim; default SIM_SCENARIOS),
// --seeds 1-4, --lifts N (default 12 synthetic, 1 sim), --days D (sim default: each scenario's own),
// --rounds R, --out DIR, --calibrate (synthetic only: per-family alert thresholds chosen on seeds 5-6
// at ≤ 2 false alerts per 100 lift-months; default: raise 0.7, clear 0.4, 12 h).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRegistry } from '../registry/registry.js';
import { publishFamilies } from './publish.js';
import { iterateSimDataset } from './sim-dataset-reader.js';
import { ensureSimDataset, SIM_SCENARIOS } from './sim-data.js';
import type { LabelledLift } from './training-data.js';
import { generateSynthetic } from './synthetic-degradation.js';
import { trainFamilies } from './train-models.js';
import { calibrateThresholds } from './calibrate.js';

/** Training seeds and mixes; evaluation uses others (evaluate/holdout.ts). */
export const TRAIN_SEEDS = [1, 2, 3, 4];
export const TRAIN_SCENARIOS = ['mixed', 'door-heavy'] as const;
/** Calibration seeds for the alert thresholds: used by neither training nor evaluation (101–102). */
export const CALIBRATION_SEEDS = [5, 6];

export function parseSeeds(s: string): number[] {
  const m = /^(\d+)-(\d+)$/.exec(s);
  if (m !== null) return Array.from({ length: Number(m[2]) - Number(m[1]) + 1 }, (_, i) => Number(m[1]) + i);
  return s.split(',').map(Number);
}

const { values } = parseArgs({ options: {
  data: { type: 'string', default: 'synthetic' }, dataset: { type: 'string' }, scenarios: { type: 'string' }, seeds: { type: 'string', default: '1-4' },
  lifts: { type: 'string' }, days: { type: 'string' }, rounds: { type: 'string', default: '80' }, calibrate: { type: 'boolean', default: false },
  out: { type: 'string', default: join(import.meta.dirname, '..', '..', 'artifacts') },
} });
if (values.data !== 'synthetic' && values.data !== 'sim') {
  console.error(`--data ${values.data}: write --data synthetic (the stand-in generator) or --data sim (the simulator's dataset)`);
  process.exit(2);
}
const sim = values.data === 'sim' || values.dataset !== undefined;
const seeds = parseSeeds(values.seeds);
const liftCount = Number(values.lifts ?? (sim ? 1 : 12));
const days = values.days === undefined ? (sim ? undefined : 75) : Number(values.days);
const dataset = values.dataset ?? join(import.meta.dirname, '..', '..', '..', 'data', 'datasets', 'sim-train');
const scenarios = values.scenarios?.split(',') ?? [...SIM_SCENARIOS];
if (sim) ensureSimDataset(dataset, { scenarios, seeds, lifts: liftCount, ...(days !== undefined ? { days } : {}) }, (l) => console.log(l));
/** What training saw, counted while the lifts stream through (a simulator dataset is not held in memory at once). */
const seen = { lifts: 0, scenarios: new Set<string>() };
function* counted(it: Iterable<LabelledLift>): Generator<LabelledLift> {
  for (const l of it) { seen.lifts++; seen.scenarios.add(l.source.scenario); yield l; }
}
const lifts = counted(sim
  ? iterateSimDataset(dataset, { seeds, scenarios })
  : TRAIN_SCENARIOS.flatMap((scenario) => seeds.flatMap((seed) => generateSynthetic({ lifts: liftCount, days: days ?? 75, seed, scenario }))));
const t0 = Date.now();
const options = { rounds: Number(values.rounds), maxDepth: 3, learningRate: 0.1 };
const trained = trainFamilies(lifts, { gbt: options });
const calibration = sim || !values.calibrate ? [] : TRAIN_SCENARIOS.flatMap((scenario) => CALIBRATION_SEEDS.flatMap((seed) => generateSynthetic({ lifts: liftCount, days: days ?? 75, seed, scenario })));
const thresholds: Partial<ReturnType<typeof calibrateThresholds>> = calibration.length > 0 ? calibrateThresholds(trained, calibration) : {};
for (const [f, h] of Object.entries(thresholds)) if (h !== undefined) console.log(`${f}: raise ${h.raise}, clear ${h.clear}, ${h.minDurationMs / 3_600_000} h`);
const registry = createRegistry(values.out);
const published = publishFamilies(registry, trained, {
  source: sim ? `simulator dataset ${dataset}` : 'synthetic-stand-in', scenarios: [...seen.scenarios].sort(), seeds,
  lifts: seen.lifts, horizonDays: 7, options: { ...options, lifts: liftCount, ...(days !== undefined ? { days } : {}), ...(sim ? {} : { calibrationSeedFirst: CALIBRATION_SEEDS[0]!, calibrationSeedLast: CALIBRATION_SEEDS.at(-1)! }) },
}, new Date(), thresholds);
for (const t of trained) console.log(`${t.family}: ${t.metrics.samples} samples, ${t.metrics.positives} positive, train AUC ${t.metrics.trainAuc}`);
for (const p of published) console.log(`wrote ${p.dir}`);
console.log(`trained on ${seen.lifts} lifts in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
