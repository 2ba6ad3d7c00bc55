import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
/** Run a models command with node + tsx; resolves with its exit code and output. */
const run = (script: string, args: readonly string[]) => new Promise<{ code: number; out: string; err: string }>((resolve) => {
  execFile(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, timeout: 60_000 }, (e, out, err) => resolve({ code: e === null ? 0 : Number((e as { code?: number }).code ?? 1), out, err }));
});

describe('the models commands', () => {
  it('models:evaluate --help lists its options with their defaults and exits 0', async () => {
    const r = await run('models/src/evaluate/evaluate-main.ts', ['--help']);
    expect(r.code).toBe(0);
    for (const o of ['--mixes', '--seeds', '--lifts', '--days', '--first-lift', '--from-day', '--horizon-days', '--bootstrap', '--workers']) expect(r.out).toContain(o);
    expect(r.out).toMatch(/--seeds\s+seeds to evaluate on.*\(default: 401-404\)/);
    expect(r.out).toMatch(/--mixes\s+.*\(default: residential-quiet,models\/evaluation-mixes\/hot-towers\.json\)/);
  }, 60_000);

  it('models:choose --help says it calibrates within a false-alert budget on validation lifts and exits 0; a wrong option or training seeds as validation are refused', async () => {
    const help = await run('models/src/train/choose-main.ts', ['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/on validation lifts \(never on evaluation lifts\)/);
    expect(help.out).toMatch(/--max-false\s+.*\(default: 0\.7\)/);
    for (const o of ['--artifacts', '--workers', '--dry-run', '--families', '--validation-mixes', '--validation-seeds', '--validation-lifts', '--validation-days']) expect(help.out).toContain(o);
    expect(help.out).toMatch(/--validation-mixes\s+.*within the budget on each mix/);
    const unknown = await run('models/src/train/choose-main.ts', ['--seeds', '1']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/--seeds.*\n.*--help/s);
    const overlap = await run('models/src/train/choose-main.ts', ['--validation-seeds', '5', '--dry-run']);
    expect(overlap.code).toBe(2);
    // the shipped manifests validate on the training mixes too, with other seeds: seed 5 of those mixes is a training fleet
    expect(overlap.err).toMatch(/LW_ERR_CONFIG_INVALID: the training and validation lifts share fleets \(mixes city-mixed, busy-offices with seeds 5\): give the validation lifts other seeds/);
    const oneFamily = await run('models/src/train/choose-main.ts', ['--families', 'traction-ropes', '--validation-seeds', '5', '--dry-run']);
    expect(oneFamily.code).toBe(2);
    expect(oneFamily.err).toMatch(/share fleets/);
    const unknownFamily = await run('models/src/train/choose-main.ts', ['--families', 'escalator', '--dry-run']);
    expect(unknownFamily.code).toBe(2);
    expect(unknownFamily.err).toMatch(/LW_ERR_CONFIG_INVALID: --families: unknown model id escalator; choose from door-system, guides-ride, brake, traction-ropes, drive-thermal/);
  }, 60_000);

  it('models:train --help lists its options and exits 0; a wrong option or an overlap of training and validation is refused with the reason', async () => {
    const help = await run('models/src/train/train-main.ts', ['--help']);
    expect(help.code).toBe(0);
    for (const o of ['--mixes', '--seeds', '--validation-mixes', '--validation-seeds', '--families', '--learners', '--max-false']) expect(help.out).toContain(o);
    const unknownFamily = await run('models/src/train/train-main.ts', ['--families', 'traction']);
    expect(unknownFamily.code).toBe(2);
    expect(unknownFamily.err).toMatch(/--families: unknown model id traction/);
    const features = await run('models/src/train/train-main.ts', ['--features', 'some']);
    expect(features.code).toBe(2);
    expect(features.err).toMatch(/--features: unknown choice some; choose family or all/);
    const unknown = await run('models/src/train/train-main.ts', ['--seedz', '1']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/--seedz.*\n.*--help/s);
    const overlap = await run('models/src/train/train-main.ts', ['--validation-mixes', 'city-mixed', '--validation-seeds', '5']);
    expect(overlap.code).toBe(2);
    expect(overlap.err).toMatch(/LW_ERR_CONFIG_INVALID: the training and validation lifts share fleets \(mixes city-mixed with seeds 5\): give the validation lifts other seeds/);
  }, 60_000);
});
