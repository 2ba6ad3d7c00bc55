import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDataset, type DatasetFile, type TruthRecord } from '@liftwatch/simulator';
import { buildSamples } from '../src/train/samples.js';
import { iterateSimDataset, readSimDataset } from '../src/train/sim-dataset-reader.js';

// The reader against the simulator's own dataset command (issue 3), on a small dataset.
const dir = mkdtempSync(join(tmpdir(), 'lw-simds-'));
let files: DatasetFile[];
beforeAll(() => {
  files = writeDataset({ out: dir, scenarios: ['door-wear-to-failure', 'healthy-baseline'], seeds: [1, 2], lifts: 1, days: 3 }).files;
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const streamCounts = (path: string) => {
  const n: Record<string, number> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) if (line) { const s = (JSON.parse(line) as { stream: string }).stream; n[s] = (n[s] ?? 0) + 1; }
  return n;
};

describe('simulator dataset reader', () => {
  it('reads every lift of every scenario and seed: its trip, door, env and fault records in time order, and its source', () => {
    const lifts = readSimDataset(dir);
    expect(lifts.map((l) => [l.source.scenario, l.source.seed, l.records.liftId])).toEqual(
      files.map((f) => [f.scenario, f.seed, f.liftId]).sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1])));
    for (const l of lifts) {
      const f = files.find((x) => x.liftId === l.records.liftId)!;
      const n = streamCounts(join(dir, f.records));
      expect([l.records.trips.length, l.records.doors.length, l.records.envs.length, l.records.faults.length]).toEqual([n['trip'] ?? 0, n['door'] ?? 0, n['env'] ?? 0, n['fault'] ?? 0]);
      expect(l.records.trips.length).toBeGreaterThan(100); // a busy residential lift: hundreds of trips a day
      for (const list of [l.records.trips, l.records.doors, l.records.envs]) {
        expect(list.every((r, i) => i === 0 || list[i - 1]!.ts <= r.ts)).toBe(true);
        expect(list.every((r) => r.liftId === l.records.liftId)).toBe(true);
      }
      expect(l.to - l.from).toBeGreaterThan(2.9 * 86_400_000);
      expect(l.failures).toEqual([]); // three days: nothing has failed yet
    }
  });

  it('filters by scenario and seed, streams lift by lift, and maps failure ground truth to the model families', () => {
    const f = files.find((x) => x.scenario === 'door-wear-to-failure' && x.seed === 2)!;
    const lines = readFileSync(join(dir, f.truth), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TruthRecord);
    const ts = lines.at(-1)!.ts;
    // a failure line as ground-truth.ts writes them (the 3-day run is too short for a real one)
    const failures: TruthRecord[] = [
      { type: 'failure', liftId: f.liftId, ts, component: 'doorOperator', faultIds: ['door-wear'] },
      { type: 'failure', liftId: f.liftId, ts: ts + 1, component: 'motor', faultIds: [] },
    ];
    appendFileSync(join(dir, f.truth), failures.map((x) => `${JSON.stringify(x)}\n`).join(''));
    const it = iterateSimDataset(dir, { scenarios: ['door-wear-to-failure'], seeds: [2] });
    const first = it.next();
    expect(first.done).toBe(false);
    expect(first.value!.failures).toEqual([{ ts, family: 'doorSystem' }, { ts: ts + 1, family: 'driveThermal' }]);
    expect(it.next().done).toBe(true);
    expect(readSimDataset(dir, { seeds: [1] }).map((l) => l.source.seed)).toEqual([1, 1]);
    // the lifts feed training's samples (3 days: no sample after the 14-day warm-up, with a 1-day warm-up some)
    expect(buildSamples(readSimDataset(dir, { seeds: [2] }), { warmupMs: 86_400_000 }).rows.length).toBeGreaterThan(0);
  });

  it('says what to do when the directory is not a dataset', () => {
    expect(() => readSimDataset(join(dir, 'nope'))).toThrow(/not a simulator dataset \(no manifest\.json\): write one with npm run sim:dataset/);
  });
});
