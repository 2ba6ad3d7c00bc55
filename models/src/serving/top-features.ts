import { logisticContributions } from '../gbt/logistic.js';
import type { ModelManifest } from '../registry/manifest.js';

export interface TopFeature { readonly name: string; readonly value: number; readonly z: number; readonly weight: number }

/**
 * Fewest standard deviations from the training mean for a feature to be a reason: one at its mean
 * (a logistic term a hair above 0 because its weight is large, "z −0") explains nothing to a crew.
 */
export const MIN_REASON_Z = 0.1;

/**
 * The features that most explain a score. A logistic regression's (its manifest keeps its terms,
 * `linear`) are the terms that raised its logit most, each feature clipped to its training range as
 * the model reads it: a door feature far outside the traction rows moves a traction score no
 * further than its edge, so it must not lead the reasons either. Trees have no such terms: theirs
 * are the gain importance times how far the lift's value sits from the training mean, in standard
 * deviations. A cheap reason for the crew ("door close time +32 % vs its baseline"), not an exact
 * attribution. A feature outside the manifest's `featureSet` (another family's) is never a reason:
 * the model gave it no weight and no split, and it is not named even if a manifest said otherwise.
 */
export function topFeatures(m: ModelManifest, x: ArrayLike<number>, count = 3): TopFeature[] {
  const set = m.featureSet === undefined ? undefined : new Set(m.featureSet);
  const inSet = (name: string) => set === undefined || set.has(name);
  if (m.linear !== undefined) return linearTopFeatures(m.featureNames, m.linear, x, count, inSet);
  return m.featureNames
    .map((name, i) => {
      const value = x[i] ?? 0;
      const z = (value - (m.featureStats.mean[i] ?? 0)) / (m.featureStats.std[i] || 1);
      return { name, value: round(value), z: round(z), weight: round((m.importance[name] ?? 0) * Math.abs(z)) };
    })
    .filter((f) => f.weight > 0 && Math.abs(f.z) >= MIN_REASON_Z && inSet(f.name))
    .sort((a, b) => b.weight - a.weight)
    .slice(0, count);
}

/** A logistic regression's reasons: its positive terms, largest first; z is the clipped value's. */
function linearTopFeatures(names: readonly string[], linear: NonNullable<ModelManifest['linear']>, x: ArrayLike<number>, count: number, inSet: (name: string) => boolean): TopFeature[] {
  const terms = logisticContributions(linear, x);
  return names
    .map((name, i) => ({ name, value: round(x[i] ?? 0), z: round(linear.weights[i] === 0 ? 0 : terms[i]! / linear.weights[i]!), weight: round(terms[i]!) }))
    .filter((f) => f.weight > 0 && Math.abs(f.z) >= MIN_REASON_Z && inSet(f.name))
    .sort((a, b) => b.weight - a.weight)
    .slice(0, count);
}

const round = (v: number) => Math.round(v * 1e4) / 1e4;
