import { describe, expect, it } from 'vitest';
import * as simulator from '../src/index.js';
import { outputDigest } from './output-digest.js';

/**
 * The digests of the simulator's output for fixed seeds, computed before the speed-ups of the fleet
 * generator (Node 20). Training sets and the published figures are reproducible from (mix, seed) only
 * if they stay the same: a change that alters the output on purpose updates them and says why.
 */
const DIGESTS = {
  summaryCityMixed: 'f43650653fd2ae594bdf9b6cc2260e719672b6fba6f0f127e7eaa51735e3ef8a',
  summaryOldStock: '8a23c391465a3823804e57a48ee11e2c0eb893a8a67690e4d840d6ea5cf4b3fa',
  fullWithRawAndP1: '4dbe4ed16a2164a15b440ec524ddf91a456960ef6dab6a1c87c67da6462a5037',
  fastScenarios: '0b4a021371ae0edc3c3fc2560b7d31680db9f4c1443c58b411fb6f25a4195947',
};

describe('the same seed gives the same output, byte for byte', () => {
  for (const [output, digest] of Object.entries(DIGESTS) as [keyof typeof DIGESTS, string][]) {
    it(`${output}: the records, ground truth and raw windows match their digest`, () => {
      expect(outputDigest(simulator, output)).toBe(digest);
    }, 60_000);
  }
});
