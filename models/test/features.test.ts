import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anomalyScore } from '../src/features/anomaly.js';
import { computeFeatures } from '../src/features/compute.js';
import { FEATURE_NAMES, FEATURE_VERSION, FEATURES, featureFingerprint } from '../src/features/definition.js';
import { assertFeaturesMatch } from '../src/registry/manifest.js';
import { createRegistry } from '../src/registry/registry.js';
import { generateSynthetic } from '../src/train/synthetic-degradation.js';
import { readFileSync } from 'node:fs';

const DAY = 86_400_000;

describe('features', () => {
  it('computes one value per declared feature, all finite', () => {
    const [lift] = generateSynthetic({ lifts: 1, days: 30, seed: 3 });
    const row = computeFeatures(lift!.records, lift!.from + 20 * DAY);
    expect(row.values.length).toBe(FEATURE_NAMES.length);
    expect([...row.values].every(Number.isFinite)).toBe(true);
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURES.length);
  });

  it('door close-time drift and the anomaly score rise as a door wears towards failure', () => {
    const lifts = generateSynthetic({ lifts: 10, days: 60, seed: 5, scenario: 'door-heavy' });
    const lift = lifts.find((l) => l.failures.some((f) => f.family === 'doorSystem' && f.ts - l.from > 35 * DAY));
    expect(lift).toBeDefined();
    const fail = lift!.failures.find((f) => f.family === 'doorSystem')!;
    const i = FEATURE_NAMES.indexOf('doorCloseP50Drift');
    const before = computeFeatures(lift!.records, fail.ts - 1 * 3_600_000);
    const early = computeFeatures(lift!.records, fail.ts - 25 * DAY);
    expect(before.values[i]!).toBeGreaterThan(0.15);
    expect(Math.abs(early.values[i]!)).toBeLessThan(0.08);
    expect(anomalyScore(before)).toBeGreaterThan(anomalyScore(early));
  }, 30_000);

  it('has a stable fingerprint for this version (change FEATURE_VERSION when the features change)', () => {
    expect(FEATURE_VERSION).toBe('1.0.0');
    expect(featureFingerprint()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('every committed model manifest agrees with the feature code', () => {
    const root = join(import.meta.dirname, '..', 'artifacts');
    const reg = createRegistry(root);
    const ids = existsSync(root) ? reg.ids() : [];
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) for (const v of reg.versions(id)) {
      const dir = join(root, id, v);
      const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      expect(() => assertFeaturesMatch(m, dir)).not.toThrow();
    }
  });
});
