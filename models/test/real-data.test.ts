import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { realDataSection } from '../src/evaluate/real-data.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-real-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const side = (o: object) => ({ what: 'w', samples: 112001, p05: 3, p50: 6.8, p95: 21.9, dynamicRange: 7.3, relativeNoiseA95: 0.00002, residualKurtosis: 2.0, incrementAutocorrelation: 0.95, ...o });
const run = { command: 'npx tsx bench/sim-noise-calibration.ts', date: '2026-12-03T00:00:00Z' };
const STATISTICS = ['p05', 'p50', 'p95', 'dynamicRange', 'relativeNoiseA95', 'residualKurtosis', 'incrementAutocorrelation'] as const;

/** The rows bench/sim-noise-calibration.ts writes for one side: a statistic a row, the side's identity in extra keys. */
function rows(s: ReturnType<typeof side>, identity: object): object[] {
  return STATISTICS.map((statistic) => ({ metric: statistic, unit: 'u', value: s[statistic], reference: null, ratio: null, ...identity, statistic, what: s.what, samples: s.samples, ...run }));
}

describe('the real-data section of the evaluation', () => {
  it('reports the Huawei file against the simulator from the noise calibration, and why drift features cannot be compared on it', () => {
    const path = join(dir, 'cal.json');
    writeFileSync(path, JSON.stringify([
      ...rows(side({}), { side: 'huawei' }),
      ...rows(side({ what: 's', dynamicRange: 11.5, relativeNoiseA95: 0.38 }), { side: 'simulator', seed: 1, vibrationNoiseScale: 0.7 }),
      ...rows(side({ what: 's', dynamicRange: 12.7, relativeNoiseA95: 0.46 }), { side: 'simulator', seed: 1, vibrationNoiseScale: 1.5 }),
    ]));
    const md = realDataSection(path)!;
    expect(md).toContain('From `npx tsx bench/sim-noise-calibration.ts` (2026-12-03): the repaired Huawei GRC file (w) against the simulator (s, noise scales 0.7–1.5)');
    expect(md).toContain('| p95 / p05 of the level | 7.3 | 11.5–12.7 |');
    expect(md).toContain('| noise around the trend (A95 of the residual / level) | 0.002 % | 38–46 % |');
    expect(md).toMatch(/7\.8 hours of one door.*drift features are all undefined/s);
    expect(realDataSection(join(dir, 'none.json'))).toBeUndefined();
  });

  it('names the file and the command that rewrites it when the file is not the calibration\'s rows', () => {
    const path = join(dir, 'object.json');
    writeFileSync(path, JSON.stringify({ ...run, huawei: side({}), simulator: { what: 's', runs: [side({ seed: 1, vibrationNoiseScale: 0.7 })] } }));
    expect(() => realDataSection(path)).toThrow(`${path}: expected an array of rows`);
    expect(() => realDataSection(path)).toThrow('npx tsx bench/sim-noise-calibration.ts');
    writeFileSync(path, JSON.stringify(rows(side({}), { side: 'huawei' })));
    expect(() => realDataSection(path)).toThrow('at least one simulator run');
  });
});
