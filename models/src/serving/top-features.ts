import type { ModelManifest } from '../registry/manifest.js';

export interface TopFeature { readonly name: string; readonly value: number; readonly z: number; readonly weight: number }

/**
 * The features that most explain a score: the model's gain importance times how far the lift's
 * value sits from the training mean, in standard deviations. A cheap, model-agnostic reason for
 * the crew ("door close time +32 % vs its baseline"), not an exact attribution.
 */
export function topFeatures(m: ModelManifest, x: ArrayLike<number>, count = 3): TopFeature[] {
  return m.featureNames
    .map((name, i) => {
      const value = x[i] ?? 0;
      const z = (value - (m.featureStats.mean[i] ?? 0)) / (m.featureStats.std[i] || 1);
      return { name, value: round(value), z: round(z), weight: round((m.importance[name] ?? 0) * Math.abs(z)) };
    })
    .filter((f) => f.weight > 0)
    .sort((a, b) => b.weight - a.weight)
    .slice(0, count);
}

const round = (v: number) => Math.round(v * 1e4) / 1e4;
