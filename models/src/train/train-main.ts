// `npm run models:train`: simulated fleets streamed through the streaming features → one
// classifier per family (several learners, the best kept on validation lifts), thresholds and rule
// baselines calibrated on those validation lifts → ONNX → the next version in the registry.
import { join } from 'node:path';
import { lwError } from '@liftwatch/contract';
import { createRegistry } from '../registry/registry.js';
import { assertNoSharedFleet, intOption, numberOption, parseCli, runCli, sliceOption } from './cli.js';
import { generatorVersion, liftYearsOf, seedsText } from './fleet-split.js';
import { DEFAULT_FALSE_ALERT_BUDGET } from './budget-choice.js';
import { FEATURE_CHOICES, runTraining, type FeatureChoice } from './pipeline.js';
import { checkPublished, publishRun } from './publish.js';
import { familiesOption } from './families-option.js';
import { LEARNER_NAMES, type LearnerName } from './train-models.js';

const DAY = 86_400_000;

const options = {
  mixes: { default: 'city-mixed,busy-offices', help: 'training mixes: shipped names or mix JSON files, comma-separated' },
  seeds: { default: '1-20', help: 'training seeds, e.g. 1-20 or 1,3,5' },
  lifts: { default: '50', help: 'lifts per training mix and seed' },
  days: { default: '365', help: 'simulated days per training lift' },
  'validation-mixes': { default: 'old-stock', help: 'validation mixes (thresholds, learner choice, rule baselines), e.g. old-stock,city-mixed,busy-offices: a training mix may be one with other seeds than training (another fleet of lifts), so that the learner is chosen on the lifts models:choose serves from' },
  'validation-seeds': { default: '101-112', help: 'validation seeds; none may be a training seed of a training mix' },
  'validation-lifts': { default: '50', help: 'lifts per validation mix and seed' },
  'validation-days': { default: '365', help: 'simulated days per validation lift' },
  families: { default: '', help: 'model ids to train, comma-separated, e.g. traction-ropes; the others keep their versions (empty: all)' },
  features: { default: 'family', help: "features each family's learners may use: family (its own precursors and the context every family shares) or all (the whole vector; its reasons may then name another family's feature)" },
  learners: { default: LEARNER_NAMES.join(','), help: 'learners to try per family (model and label horizon: a sample is positive when its family fails within that many days)' },
  'horizon-days': { default: '30', help: 'evaluation horizon: an alert counts for a failure at most this many days ahead, else it is false' },
  'max-false': { default: String(DEFAULT_FALSE_ALERT_BUDGET), help: 'false alerts per 100 lift-months the calibrated thresholds and the served predictor may give on the validation lifts (the target is 1; lower leaves a margin for lifts unlike them)' },
  'negative-keep': { default: '0.1', help: 'share of samples more than 28 days from any failure kept for training (weighted back)' },
  workers: { default: '1', help: 'worker threads simulating and replaying lifts (results are the same for any number)' },
  out: { default: join(import.meta.dirname, '..', '..', 'artifacts'), help: 'registry directory the new versions are written to' },
  version: { default: '', help: 'version number to write (refused if it exists); empty: the next of each model' },
} as const;

await runCli(async () => {
  const v = parseCli('npm run models:train -- [options]\n\nTrains one model per fault family on simulated fleets (summary mode, streamed: never all in memory)\nand writes the next version of each to the registry, then loads each as a server would: one that onnxruntime\ndoes not reproduce is renamed <version>.rejected (never served) and the run fails.', options);
  const train = sliceOption(v);
  const validation = sliceOption(v, 'validation-');
  assertNoSharedFleet(train, 'training', validation, 'validation');
  const learners = v['learners']!.split(',').map((l) => l.trim()) as LearnerName[];
  for (const l of learners) if (!LEARNER_NAMES.includes(l)) throw lwError('LW_ERR_CONFIG_INVALID', `--learners: unknown learner ${l}; choose from ${LEARNER_NAMES.join(', ')}`);
  const families = familiesOption(v['families']!);
  const features = v['features'] as FeatureChoice;
  if (!FEATURE_CHOICES.includes(features)) throw lwError('LW_ERR_CONFIG_INVALID', `--features: unknown choice ${features}; choose ${FEATURE_CHOICES.join(' or ')}`);
  const horizonDays = numberOption('horizon-days', v['horizon-days']!);
  const negativeKeep = numberOption('negative-keep', v['negative-keep']!);
  console.log(`training on ${liftYearsOf(train).toFixed(0)} lift-years (${train.mixes.join(', ')}; seeds ${seedsText(train.seeds)}; ${train.lifts} lifts × ${train.days} days), validating on ${liftYearsOf(validation).toFixed(0)} (${validation.mixes.join(', ')}; seeds ${seedsText(validation.seeds)})`);
  const t0 = performance.now();
  const run = await runTraining({
    train, validation, learners, families, features, workers: intOption('workers', v['workers']!), log: (l) => console.log(l),
    target: { maxFalsePer100: numberOption('max-false', v['max-false']!), horizonMs: horizonDays * DAY },
    trainingSet: { negativeKeep },
  });
  const published = publishRun(createRegistry(v['out']!), run, {
    generator: generatorVersion(), train, validation, horizonDays, options: { negativeKeep, maxFalsePer100: Number(v['max-false']) },
  }, new Date(), v['version'] === '' ? undefined : String(intOption('version', v['version']!)));
  for (const p of published) console.log(`wrote ${p.dir}`);
  await checkPublished(createRegistry(v['out']!), published);
  console.log(`${run.seen.lifts} training lifts (${run.seen.liftYears.toFixed(0)} lift-years, ${run.seen.records} records, ${run.seen.rows} rows kept of ${run.seen.samples} samples); replay ${run.seconds.replay.toFixed(0)} s, fit ${run.seconds.fit.toFixed(0)} s, validation ${run.seconds.validation.toFixed(0)} s; total ${((performance.now() - t0) / 1000).toFixed(0)} s`);
});
