// `npm run models:train`: labelled data → one classifier per family → ONNX → models/artifacts.
// Options: --dataset DIR (the simulator's dataset output; default: the synthetic stand-in),
// --seeds 1-4, --lifts N, --days D, --rounds R, --out DIR, --calibrate (per-family alert thresholds
// chosen on seeds 5-6 at ≤ 2 false alerts per 100 lift-months; default: raise 0.7, clear 0.4, 12 h).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRegistry } from '../registry/registry.js';
import { publishFamilies } from './publish.js';
import { readSimDataset } from './sim-dataset-reader.js';
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

const { values } = parseArgs({ options: { dataset: { type: 'string' }, seeds: { type: 'string', default: '1-4' }, lifts: { type: 'string', default: '12' }, days: { type: 'string', default: '75' }, rounds: { type: 'string', default: '80' }, calibrate: { type: 'boolean', default: false }, out: { type: 'string', default: join(import.meta.dirname, '..', '..', 'artifacts') } } });
const seeds = parseSeeds(values.seeds);
const lifts = values.dataset !== undefined
  ? readSimDataset(values.dataset, { seeds })
  : TRAIN_SCENARIOS.flatMap((scenario) => seeds.flatMap((seed) => generateSynthetic({ lifts: Number(values.lifts), days: Number(values.days), seed, scenario })));
const t0 = Date.now();
const options = { rounds: Number(values.rounds), maxDepth: 3, learningRate: 0.1 };
const trained = trainFamilies(lifts, { gbt: options });
const calibration = values.dataset !== undefined || !values.calibrate ? [] : TRAIN_SCENARIOS.flatMap((scenario) => CALIBRATION_SEEDS.flatMap((seed) => generateSynthetic({ lifts: Number(values.lifts), days: Number(values.days), seed, scenario })));
const thresholds: Partial<ReturnType<typeof calibrateThresholds>> = calibration.length > 0 ? calibrateThresholds(trained, calibration) : {};
for (const [f, h] of Object.entries(thresholds)) if (h !== undefined) console.log(`${f}: raise ${h.raise}, clear ${h.clear}, ${h.minDurationMs / 3_600_000} h`);
const registry = createRegistry(values.out);
const published = publishFamilies(registry, trained, {
  source: values.dataset ?? 'synthetic-stand-in', scenarios: [...new Set(lifts.map((l) => l.source.scenario))], seeds,
  lifts: lifts.length, horizonDays: 7, options: { ...options, lifts: Number(values.lifts), days: Number(values.days), calibrationSeedFirst: CALIBRATION_SEEDS[0]!, calibrationSeedLast: CALIBRATION_SEEDS.at(-1)! },
}, new Date(), thresholds);
for (const t of trained) console.log(`${t.family}: ${t.metrics.samples} samples, ${t.metrics.positives} positive, train AUC ${t.metrics.trainAuc}`);
for (const p of published) console.log(`wrote ${p.dir}`);
console.log(`trained on ${lifts.length} lifts in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
