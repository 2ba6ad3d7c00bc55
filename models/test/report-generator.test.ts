import { describe, expect, it } from 'vitest';
import type { Evaluation } from '../src/evaluate/evaluate.js';
import { generatorNote } from '../src/evaluate/report.js';
import { FAMILY_NAMES } from '../src/train/families.js';

const trainedOn = (byFamily: Record<string, string>) =>
  Object.fromEntries(FAMILY_NAMES.map((f) => [f, { manifest: { training: { generator: byFamily[f] ?? 'sim+new' } } }])) as unknown as Evaluation['models'];

describe('the evaluation report names the generator each model was trained on', () => {
  it('says every model was trained on the evaluated generator only when each was', () => {
    expect(generatorNote('sim+new', trainedOn({}))).toBe(' (the one every model was trained on)');
  });

  it('names the models trained on another version, grouped by version', () => {
    expect(generatorNote('sim+new', trainedOn({ brake: 'sim+old', driveThermal: 'sim+old' }))).toBe('; brake, drive-thermal were trained on sim+old, the others on this one');
    expect(generatorNote('sim+new', trainedOn({ brake: 'sim+old', doorSystem: 'sim+older' }))).toBe('; door-system was trained on sim+older; brake was trained on sim+old, the others on this one');
  });
});
