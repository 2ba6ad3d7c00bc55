import { FEATURE_NAMES } from '../features/definition.js';
import { trainGbt, type GbtOptions } from '../gbt/train.js';
import { featureImportance, predictProba, type GbtModel } from '../gbt/tree.js';
import { buildSamples, type SampleOptions } from './samples.js';
import { FAMILY_NAMES, type Family, type LabelledLift } from './training-data.js';

export interface TrainedFamily {
  readonly family: Family;
  readonly model: GbtModel;
  readonly importance: Record<string, number>;
  /** Mean and standard deviation of each feature over the training rows (for top-feature reasons). */
  readonly featureStats: { mean: number[]; std: number[] };
  readonly metrics: { samples: number; positives: number; trainAuc: number };
  /** Up to 32 training rows, positives first: the golden inputs. */
  readonly goldenInputs: number[][];
}

/** One classifier per fault family from labelled lifts (issue 6 §2). */
export function trainFamilies(lifts: Iterable<LabelledLift>, opts: { gbt?: GbtOptions; samples?: SampleOptions } = {}): TrainedFamily[] {
  const s = buildSamples(lifts, opts.samples);
  const x = s.rows.map((r) => r.values);
  const stats = columnStats(x);
  return FAMILY_NAMES.map((family) => {
    const y = s.labels[family];
    const model = trainGbt(x, y, opts.gbt);
    const p = x.map((r) => predictProba(model, r));
    const imp = featureImportance(model);
    const pos = y.map((v, i) => (v === 1 ? i : -1)).filter((i) => i >= 0).slice(0, 16);
    const neg = y.map((v, i) => (v === 0 ? i : -1)).filter((i) => i >= 0).filter((_, k) => k % 37 === 0).slice(0, 32 - pos.length);
    return {
      family, model, featureStats: stats,
      importance: Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, round(imp[i] ?? 0)])),
      metrics: { samples: y.length, positives: y.reduce((a, b) => a + b, 0), trainAuc: round(auc(p, y)) },
      goldenInputs: [...pos, ...neg].map((i) => Array.from(x[i]!)),
    };
  });
}

function columnStats(x: readonly Float32Array[]): { mean: number[]; std: number[] } {
  const f = x[0]?.length ?? 0;
  const mean = new Array<number>(f).fill(0);
  const sq = new Array<number>(f).fill(0);
  for (const r of x) for (let j = 0; j < f; j++) { mean[j]! += r[j]!; sq[j]! += r[j]! * r[j]!; }
  const n = Math.max(x.length, 1);
  return { mean: mean.map((m) => round(m / n)), std: sq.map((s, j) => round(Math.sqrt(Math.max(s / n - (mean[j]! / n) ** 2, 1e-12)))) };
}

/** Area under the ROC curve by the rank-sum (Mann–Whitney U) formula. */
export function auc(p: readonly number[], y: readonly number[]): number {
  const idx = p.map((v, i) => i).sort((a, b) => p[a]! - p[b]!);
  let rankSum = 0; let pos = 0;
  idx.forEach((i, r) => { if (y[i] === 1) { rankSum += r + 1; pos++; } });
  const neg = y.length - pos;
  return pos === 0 || neg === 0 ? 0.5 : (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;
