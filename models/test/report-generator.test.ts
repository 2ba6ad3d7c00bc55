import { describe, expect, it } from 'vitest';
import type { Evaluation } from '../src/evaluate/evaluate.js';
import { generatorNote, heldOutForAll, trainedOn as trainedOnText } from '../src/evaluate/report.js';
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

describe('the evaluation report says what each model was trained on and how the evaluated lifts stand to it', () => {
  const manifest = (mixes: string[]) => ({ manifest: { training: { liftYears: 2000, mixes, seeds: [1, 2, 3], lifts: 25, days: 365 }, validation: { liftYears: 600, mixes: ['old-stock'], seeds: [101], lifts: 30, days: 365 } } });
  const models = (guides: string[]) => Object.fromEntries(FAMILY_NAMES.map((f) => [f, manifest(f === 'guidesRide' ? guides : ['city-mixed'])])) as unknown as Evaluation['models'];
  const slice = { mixes: ['city-mixed', 'hot-towers'], seeds: [2, 401], lifts: 10, days: 365 };

  it('one sentence when every model shares its training, each group with its models when not', () => {
    expect(trainedOnText(models(['city-mixed']))).toBe('trained on 2000 lift-years (city-mixed; seeds 1-3), thresholds and rules calibrated on 600 lift-years (old-stock; seeds 101)');
    expect(trainedOnText(models(['city-mixed', 'hot-towers']))).toBe('door-system, brake, traction-ropes, drive-thermal trained on 2000 lift-years (city-mixed; seeds 1-3), thresholds and rules calibrated on 600 lift-years (old-stock; seeds 101); guides-ride trained on 2000 lift-years (city-mixed, hot-towers; seeds 1-3), thresholds and rules calibrated on 600 lift-years (old-stock; seeds 101)');
  });

  it('names the models that saw a mix and seed, so that no family\'s training lifts pass as held out', () => {
    const lines = heldOutForAll(models(['city-mixed', 'hot-towers']), slice, 0);
    expect(lines).toContain('city-mixed seed 2: NOT HELD OUT: these are training lifts and days');
    expect(lines).toContain('hot-towers seed 401: a mix neither training nor validation used (door-system, brake, traction-ropes, drive-thermal), a training mix, a seed it never used (guides-ride)');
    expect(heldOutForAll(models(['city-mixed']), slice, 0)).toContain('hot-towers seed 401: a mix neither training nor validation used');
  });
});
