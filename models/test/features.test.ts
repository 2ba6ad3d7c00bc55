import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anomalyScore, ANOMALY_SCALES } from '../src/features/anomaly.js';
import { FEATURE_NAMES, FEATURE_VERSION, FEATURES, featureFingerprint } from '../src/features/definition.js';
import { assertFeaturesMatch } from '../src/registry/manifest.js';
import { createRegistry } from '../src/registry/registry.js';

describe('feature definition', () => {
  it('has unique names, a stable fingerprint for this version (change FEATURE_VERSION when the features change)', () => {
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURES.length);
    expect(FEATURE_VERSION).toBe('2.7.0');
    expect(featureFingerprint()).toMatch(/^[0-9a-f]{64}$/);
    expect(FEATURE_NAMES).not.toContain('tripsPerDay'); // no absolute, traffic-dependent feature
  });

  it('the anomaly score reads drift features that exist, and is 1 when each sits at its notable drift', () => {
    for (const name of Object.keys(ANOMALY_SCALES)) expect(FEATURE_NAMES).toContain(name);
    const values = new Float32Array(FEATURE_NAMES.length);
    for (const [name, scale] of Object.entries(ANOMALY_SCALES)) values[FEATURE_NAMES.indexOf(name)] = scale;
    expect(anomalyScore({ liftId: 'x', at: 0, values })).toBeCloseTo(1, 5);
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
