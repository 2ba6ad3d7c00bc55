// `npm run models:choose`: for each family's latest model, choose on its own validation lifts what
// serving raises the predicted alert from (the model, the calibrated rule, or either) and record
// the choice with its figures in the manifest. The model, its thresholds and its rule stay as they
// were trained; only the manifest's `serving` field is written.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lwError } from '@liftwatch/contract';
import { FEATURE_NAMES } from '../features/definition.js';
import { parseManifest, type ModelManifest } from '../registry/manifest.js';
import { createRegistry, type LoadedModel } from '../registry/registry.js';
import { RULE_INPUTS, ruleScore } from '../evaluate/threshold-rules.js';
import { intOption, parseCli, runCli } from './cli.js';
import { FAMILY_NAMES, MODEL_ID, type Family } from './families.js';
import { seedsText, type FleetSlice } from './fleet-split.js';
import { replaySlice } from './parallel-replay.js';
import { choosePredictor, predictorTable, type ScoredPair } from './predictor-choice.js';
import { servingField } from './publish.js';
import type { LiftSeries } from './replay.js';

const DAY = 86_400_000;

const options = {
  artifacts: { default: join(import.meta.dirname, '..', '..', 'artifacts'), help: 'model registry: the latest version of each family is chosen for' },
  workers: { default: '1', help: 'worker threads simulating and replaying the validation lifts (results are the same for any number)' },
  'dry-run': { flag: true, help: 'print the choices without writing the manifests' },
} as const;

await runCli(async () => {
  const v = parseCli('npm run models:choose -- [options]\n\nChooses per family, on the validation lifts its manifest names (never on evaluation lifts), whether serving\nraises the predicted alert from the model, the calibrated rule, or either, and records it in the manifest.', options);
  const registry = createRegistry(v['artifacts']!);
  const loaded = {} as Record<Family, LoadedModel>;
  for (const f of FAMILY_NAMES) loaded[f] = await registry.load(MODEL_ID[f]);
  const slice = validationSlice(FAMILY_NAMES.map((f) => loaded[f].manifest));
  console.log(`replaying the validation lifts: ${slice.mixes.join(', ')}; seeds ${seedsText(slice.seeds)}; ${slice.lifts} lifts × ${slice.days} days`);
  const series: LiftSeries[] = [];
  for await (const s of replaySlice(slice, {}, intOption('workers', v['workers']!))) series.push(s);
  for (const f of FAMILY_NAMES) {
    const m = loaded[f];
    const pairs = await scoredPairs(series, f, m);
    const table = predictorTable(pairs, m.manifest.thresholds, m.manifest.validation.rule.thresholds, {
      maxFalsePer100: m.manifest.training.options['maxFalsePer100'] ?? 1, horizonMs: m.manifest.validation.horizonDays * DAY,
    });
    const choice = choosePredictor(table);
    console.log(`${m.id} v${m.version}: ${choice.predictor} (${choice.reason})`);
    if (v['dry-run'] !== 'true') writeServing(registry.root, m, servingField(choice, table));
    await m.classifier.close();
  }
});

/** The validation slice every family's manifest names (they were calibrated together). */
function validationSlice(ms: readonly ModelManifest[]): FleetSlice {
  const key = (m: ModelManifest) => JSON.stringify([m.validation.mixes, m.validation.seeds, m.validation.lifts, m.validation.days]);
  const first = ms[0]!;
  const odd = ms.find((m) => key(m) !== key(first));
  if (odd !== undefined) throw lwError('LW_ERR_CONFIG_INVALID', `${odd.id} v${odd.version} was validated on other lifts than ${first.id} v${first.version}; retrain them together with npm run models:train`);
  return { mixes: first.validation.mixes, seeds: first.validation.seeds, lifts: first.validation.lifts, days: first.validation.days };
}

/** Each validation lift's model scores (onnxruntime, as served) and rule scores at the calibrated scale. */
async function scoredPairs(series: readonly LiftSeries[], f: Family, m: LoadedModel): Promise<ScoredPair[]> {
  const F = FEATURE_NAMES.length;
  const out: ScoredPair[] = [];
  for (const s of series) {
    const n = s.times.length;
    const scores = n === 0 ? new Float32Array(0) : await m.classifier.run(s.x.subarray(0, n * F), n);
    const rules = new Float32Array(n);
    for (let i = 0; i < n; i++) rules[i] = ruleScore(f, s.rules, i * RULE_INPUTS, m.manifest.validation.rule.scale);
    const failures = s.failures.filter((x) => x.family === f).map((x) => x.ts);
    out.push({ model: { from: s.from, to: s.to, times: s.times, scores, failures }, rule: { from: s.from, to: s.to, times: s.times, scores: rules, failures } });
  }
  return out;
}

/** The manifest with its `serving` field (placed before the figures of the model itself). */
function writeServing(root: string, m: LoadedModel, serving: NonNullable<ModelManifest['serving']>): void {
  const file = join(root, m.id, m.version, 'manifest.json');
  const { metrics, importance, featureStats, thresholds, sha256, serving: _old, ...head } = parseManifest(JSON.parse(readFileSync(file, 'utf8')), file);
  writeFileSync(file, `${JSON.stringify({ ...head, serving, metrics, importance, featureStats, thresholds, sha256 }, null, 2)}\n`);
}
