// `npm run models:choose`: for each family's latest model, calibrate on validation lifts the model's
// thresholds, the rule's limits and model-or-rule within a false-alert budget, choose what serving
// raises the predicted alert from (the model, the rule, or either: the most failures predicted
// ≥ 72 h ahead within the budget), and record thresholds, rule, choice and figures in the manifest.
// The model itself (model.onnx, golden outputs) stays as it was trained.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FEATURE_NAMES } from '../features/definition.js';
import { parseManifest, type ModelManifest } from '../registry/manifest.js';
import { createRegistry, type LoadedModel } from '../registry/registry.js';
import { ruleText } from '../evaluate/threshold-rules.js';
import { chooseWithinBudget, DEFAULT_FALSE_ALERT_BUDGET, type BudgetedChoice } from './budget-choice.js';
import { RULE_SCALES, type ScoredLift } from './calibrate.js';
import { assertNoSharedFleet, intOption, numberOption, parseCli, runCli } from './cli.js';
import { MODEL_ID, type Family } from './families.js';
import { familiesOption } from './families-option.js';
import { seedsText, type FleetSlice } from './fleet-split.js';
import { replaySlice } from './parallel-replay.js';
import { validationSlice, withValidationOverrides } from './validation-slice.js';
import { ruleScored } from './pipeline.js';
import { numbers, servingField } from './publish.js';
import type { LiftSeries } from './replay.js';

const DAY = 86_400_000;

const options = {
  artifacts: { default: join(import.meta.dirname, '..', '..', 'artifacts'), help: 'model registry: the latest version of each family is chosen for' },
  'validation-mixes': { default: '', help: 'validation mixes, comma-separated, e.g. old-stock,city-mixed,busy-offices: every predictor and its thresholds must keep within the budget on each mix (recall is pooled); a training mix may be one with other seeds than training; empty: the manifests\' own' },
  'validation-seeds': { default: '', help: 'validation seeds of the validation mixes, e.g. 101-110 (more lifts for families with few failures); none may be a training seed of a training mix; empty: the manifests\' own' },
  'validation-lifts': { default: '', help: 'lifts per validation mix and seed; empty: the manifests\' own' },
  'validation-days': { default: '', help: 'simulated days per validation lift; empty: the manifests\' own' },
  families: { default: '', help: 'model ids to choose for, comma-separated, e.g. traction-ropes; the other manifests are not read nor written (empty: all)' },
  'max-false': { default: String(DEFAULT_FALSE_ALERT_BUDGET), help: 'false alerts per 100 lift-months each predictor may give on the validation lifts (the target is 1; lower leaves a margin for lifts unlike them)' },
  workers: { default: '1', help: 'worker threads simulating and replaying the validation lifts (results are the same for any number)' },
  'dry-run': { flag: true, help: 'print the choices without writing the manifests' },
} as const;

await runCli(async () => {
  const v = parseCli('npm run models:choose -- [options]\n\nCalibrates per family, on validation lifts (never on evaluation lifts), the model thresholds, the rule limits and\nmodel-or-rule within a false-alert budget; chooses whether serving raises the predicted alert from the model, the rule,\nor either (the most failures predicted ≥ 72 h ahead within the budget), and records all of it in the manifest.', options);
  const registry = createRegistry(v['artifacts']!);
  const families = familiesOption(v['families']!);
  const loaded = {} as Record<Family, LoadedModel>;
  for (const f of families) loaded[f] = await registry.load(MODEL_ID[f]);
  const slice = withValidationOverrides(validationSlice(families.map((f) => loaded[f].manifest)), v);
  const t = loaded[families[0]!].manifest.training;
  assertNoSharedFleet({ mixes: t.mixes, seeds: t.seeds, lifts: t.lifts, days: t.days }, 'training', slice, 'validation');
  const budget = numberOption('max-false', v['max-false']!);
  console.log(`replaying the validation lifts: ${slice.mixes.join(', ')}; seeds ${seedsText(slice.seeds)}; ${slice.lifts} lifts × ${slice.days} days`);
  const series: LiftSeries[] = [];
  for await (const s of replaySlice(slice, {}, intOption('workers', v['workers']!))) series.push(s);
  for (const f of families) {
    const m = loaded[f];
    const model = await modelScored(series, f, m);
    const b = chooseWithinBudget(model, RULE_SCALES.map((scale) => ({ scale, lifts: ruleScored(series, f, scale) })), { budget, horizonMs: m.manifest.validation.horizonDays * DAY });
    console.log(`${m.id} v${m.version}: ${b.choice.predictor} (${b.choice.reason})`);
    if (v['dry-run'] !== 'true') writeChoice(registry.root, m, slice, series, b);
    await m.classifier.close();
  }
});

/** Each validation lift's model scores of one family (onnxruntime, as served). */
async function modelScored(series: readonly LiftSeries[], f: Family, m: LoadedModel): Promise<ScoredLift[]> {
  const F = FEATURE_NAMES.length;
  const out: ScoredLift[] = [];
  for (const s of series) {
    const n = s.times.length;
    const scores = n === 0 ? new Float32Array(0) : await m.classifier.run(s.x.subarray(0, n * F), n);
    out.push({ from: s.from, to: s.to, times: s.times, scores, failures: s.failures.filter((x) => x.family === f).map((x) => x.ts), mix: s.mix });
  }
  return out;
}

/** The manifest with the calibrated thresholds, the rule, the validation slice and figures, and the `serving` field. */
function writeChoice(root: string, m: LoadedModel, slice: FleetSlice, series: readonly LiftSeries[], b: BudgetedChoice): void {
  const file = join(root, m.id, m.version, 'manifest.json');
  const { metrics, importance, featureStats, linear, sha256, serving: _old, validation: old, thresholds: _t, ...head } = parseManifest(JSON.parse(readFileSync(file, 'utf8')), file);
  const validation: ModelManifest['validation'] = {
    ...old, mixes: [...slice.mixes], seeds: [...slice.seeds], lifts: slice.lifts, days: slice.days,
    liftYears: Math.round(series.reduce((t, s) => t + (s.to - s.from) / (365 * DAY), 0) * 10) / 10,
    failures: series.reduce((t, s) => t + s.failures.filter((x) => x.family === m.manifest.family).length, 0),
    figures: numbers(b.modelServed.figures),
    rule: { scale: b.rule.scale, text: ruleText(m.manifest.family as Family, b.rule.scale), thresholds: { ...b.rule.calibration.thresholds }, figures: numbers(b.rule.calibration.figures) },
  };
  const serving = servingField(b.choice, b.table, b.budget);
  writeFileSync(file, `${JSON.stringify({ ...head, validation, serving, metrics, importance, featureStats, ...(linear ? { linear } : {}), thresholds: { ...b.modelServed.thresholds }, sha256 }, null, 2)}\n`);
}
