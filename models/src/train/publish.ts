import { renameSync } from 'node:fs';
import { lwError } from '@liftwatch/contract';
import { FEATURE_NAMES, FEATURE_VERSION, featureFingerprint } from '../features/definition.js';
import { ruleText } from '../evaluate/threshold-rules.js';
import { exportOnnx } from '../onnx/export.js';
import { exportLogisticOnnx } from '../onnx/export-logistic.js';
import type { LogisticModel } from '../gbt/logistic.js';
import type { ModelManifest } from '../registry/manifest.js';
import { writeArtifact, type Registry } from '../registry/registry.js';
import { FAMILY_NAMES, MODEL_ID } from './families.js';
import { liftYearsOf, type FleetSlice } from './fleet-split.js';
import type { TrainingRun } from './pipeline.js';
import { PREDICTORS, type PredictorChoice, type PredictorTable } from './predictor-choice.js';

export { MODEL_ID };

/** What a manifest says about how its model was made, beside the run's own figures. */
export interface TrainingMeta {
  readonly generator: string;
  readonly train: FleetSlice;
  readonly validation: FleetSlice;
  readonly horizonDays: number;
  readonly options: Record<string, number>;
}

/** NaN (not measurable) is written as −1: JSON has no NaN. */
export const numbers = (o: object): Record<string, number> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => typeof v === 'number').map(([k, v]) => [k, Number.isFinite(v) ? Math.round((v as number) * 1000) / 1000 : -1]));

/** Export each trained family's chosen model to ONNX and write it as the next version in the registry. */
export function publishRun(registry: Registry, run: TrainingRun, meta: TrainingMeta, now = new Date(), version?: string): { id: string; version: string; dir: string }[] {
  return FAMILY_NAMES.filter((family) => run.families[family] !== undefined).map((family) => {
    const r = run.families[family]!;
    const t = r.trained;
    const id = MODEL_ID[family];
    const v = version ?? registry.nextVersion(id);
    if (registry.versions(id).includes(v)) throw lwError('LW_ERR_CONFIG_INVALID', `${id} version ${v} exists in ${registry.root}; remove it first or write another version`);
    const onnx = t.model.kind === 'gbt' ? exportOnnx(t.model.trees, { name: id, version: v }) : exportLogisticOnnx(t.model.linear, { name: id, version: v });
    // the golden outputs are the TypeScript model's (t.predict), which the exported graph must reproduce
    const golden = { tolerance: 1e-5, inputs: t.goldenInputs, expected: t.goldenInputs.map((x) => t.predict(Float32Array.from(x))) };
    const dir = writeArtifact(registry.root, onnx, {
      id, version: v, family, createdAt: now.toISOString(),
      featureVersion: FEATURE_VERSION, featureNames: [...FEATURE_NAMES], featureFingerprint: featureFingerprint(), featureSet: [...t.featureSet],
      training: {
        source: 'simulator', generator: meta.generator, mixes: [...meta.train.mixes], seeds: [...meta.train.seeds], lifts: meta.train.lifts, days: meta.train.days,
        liftYears: Math.round(liftYearsOf(meta.train) * 10) / 10, learner: t.learner, labelHorizonDays: t.labelDays, options: meta.options,
      },
      validation: {
        mixes: [...meta.validation.mixes], seeds: [...meta.validation.seeds], lifts: meta.validation.lifts, days: meta.validation.days,
        liftYears: Math.round(run.validation.liftYears * 10) / 10, failures: run.validation.failures[family], horizonDays: meta.horizonDays,
        figures: numbers(r.calibration.figures), learners: Object.fromEntries(Object.entries(r.learners).map(([l, f]) => [l, numbers(f)])),
        rule: { scale: r.rule.scale, text: ruleText(family, r.rule.scale), thresholds: { ...r.rule.calibration.thresholds }, figures: numbers(r.rule.calibration.figures) },
      },
      serving: servingField(r.serving.choice, r.serving.table, r.serving.budget),
      metrics: t.metrics, importance: t.importance, featureStats: t.featureStats,
      ...(t.model.kind === 'logistic' ? { linear: linearTerms(t.model.linear) } : {}),
      thresholds: { ...r.calibration.thresholds },
    }, golden);
    return { id, version: v, dir };
  });
}

/**
 * Load each version just written as a server would (features, sha256, golden outputs in
 * onnxruntime). A version that does not load is renamed `<version>.rejected`, which the registry
 * never serves, and the run fails naming it: an export onnxruntime scores differently from the
 * model that was validated must not become anyone's latest version.
 */
export async function checkPublished(registry: Registry, published: readonly { id: string; version: string; dir: string }[]): Promise<void> {
  const rejected: string[] = [];
  for (const p of published) {
    try {
      await (await registry.load(p.id, p.version)).classifier.close();
    } catch (err) {
      renameSync(p.dir, `${p.dir}.rejected`);
      rejected.push(`${p.id} ${p.version} (${(err as Error).message})`);
    }
  }
  if (rejected.length > 0) throw lwError('LW_ERR_MODEL_INVALID', `${rejected.join('; ')}: renamed to <version>.rejected, not served; the other versions of this run are kept`);
}

/** A logistic regression's terms as a manifest keeps them (its bias is in the graph only: reasons compare terms). */
export const linearTerms = (m: LogisticModel): NonNullable<ModelManifest['linear']> =>
  ({ weights: [...m.weights], mean: [...m.mean], std: [...m.std], low: [...m.low], high: [...m.high] });

/** A manifest's `serving` field: the predictor chosen on the validation lifts and every predictor's figures there, pooled and on each mix. */
export function servingField(choice: PredictorChoice, table: PredictorTable, budget?: number): NonNullable<ModelManifest['serving']> {
  const mixes = Object.keys(table.rule.byMix ?? {}).filter((m) => m !== '');
  return {
    predictor: choice.predictor, chosenOn: 'validation', reason: choice.reason, ...(budget !== undefined ? { budget } : {}),
    figures: Object.fromEntries(PREDICTORS.map((p) => [p, { ...numbers(table[p].figures), withinTarget: table[p].withinTarget ? 1 : 0 }])),
    ...(mixes.length > 0 ? { byMix: Object.fromEntries(PREDICTORS.map((p) => [p, Object.fromEntries(mixes.map((m) => [m, numbers(table[p].byMix![m]!)]))])) } : {}),
  };
}
