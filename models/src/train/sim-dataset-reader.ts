import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { lwError, type DoorRecord, type EnvRecord, type FaultRecord, type TripRecord } from '@liftwatch/contract';
import { sortRecords } from '../features/lift-records.js';
import { familyOf, type FailureLabel, type LabelledLift } from './training-data.js';

/**
 * Reads the simulator's `dataset` command output (issue 3, packages/simulator/README.md "Dataset"):
 * `DIR/<scenario>/seed-<seed>/<liftId>.records.jsonl` with one `{"stream","record"}` per line and
 * `<liftId>.truth.jsonl` with ground truth, of which `{"type":"failure","component",...}` lines
 * become labels (the component mapped to its family by FAMILIES). Tested against the dataset
 * command's own output (models/test/sim-dataset-reader.int.test.ts).
 */
export function readSimDataset(dir: string, filter: { scenarios?: readonly string[]; seeds?: readonly number[] } = {}): LabelledLift[] {
  return [...iterateSimDataset(dir, filter)];
}

/**
 * The same lifts one at a time, for datasets too big to hold at once (a simulated lift-day is about
 * 4,000 records and 1.8 MB): training turns each lift into feature rows and drops its records.
 */
export function* iterateSimDataset(dir: string, filter: { scenarios?: readonly string[]; seeds?: readonly number[] } = {}): Generator<LabelledLift> {
  if (!existsSync(join(dir, 'manifest.json'))) throw lwError('LW_ERR_CONFIG_INVALID', `${dir} is not a simulator dataset (no manifest.json): write one with npm run sim:dataset -- --out ${dir}`);
  for (const scenario of readdirSync(dir).filter((s) => statSync(join(dir, s)).isDirectory()).sort()) {
    if (filter.scenarios !== undefined && !filter.scenarios.includes(scenario)) continue;
    for (const seedDir of readdirSync(join(dir, scenario)).filter((s) => /^seed-\d+$/.test(s)).sort()) {
      const seed = Number(seedDir.slice(5));
      if (filter.seeds !== undefined && !filter.seeds.includes(seed)) continue;
      const base = join(dir, scenario, seedDir);
      for (const f of readdirSync(base).filter((n) => n.endsWith('.records.jsonl')).sort()) {
        const liftId = f.slice(0, -'.records.jsonl'.length);
        yield readLift(base, liftId, scenario, seed);
      }
    }
  }
}

/** Streams the models read; the others (status, device, counters, …) are skipped before parsing. */
const WANTED = ['trip', 'door', 'env', 'fault'].map((s) => `{"stream":"${s}"`);

const lines = (p: string, keep: (line: string) => boolean = () => true): unknown[] =>
  (existsSync(p) ? readFileSync(p, 'utf8').split('\n').filter((l) => l.length > 0 && keep(l)).map((l) => JSON.parse(l) as unknown) : []);

function readLift(base: string, liftId: string, scenario: string, seed: number): LabelledLift {
  const trips: TripRecord[] = []; const doors: DoorRecord[] = []; const envs: EnvRecord[] = []; const faults: FaultRecord[] = [];
  for (const l of lines(join(base, `${liftId}.records.jsonl`), (line) => WANTED.some((w) => line.startsWith(w))) as { stream: string; record: never }[]) {
    if (l.stream === 'trip') trips.push(l.record);
    else if (l.stream === 'door') doors.push(l.record);
    else if (l.stream === 'env') envs.push(l.record);
    else if (l.stream === 'fault') faults.push(l.record);
  }
  const failures: FailureLabel[] = [];
  let from = Infinity; let to = -Infinity;
  for (const t of lines(join(base, `${liftId}.truth.jsonl`)) as { type: string; ts: number; component?: string }[]) {
    from = Math.min(from, t.ts); to = Math.max(to, t.ts);
    const family = t.type === 'failure' && t.component !== undefined ? familyOf(t.component) : undefined;
    if (family !== undefined) failures.push({ ts: t.ts, family });
  }
  const records = sortRecords({ liftId, trips, doors, envs, faults });
  const first = Math.min(from, records.trips[0]?.ts ?? Infinity);
  const last = Math.max(to, records.trips.at(-1)?.ts ?? -Infinity);
  return { records, failures, from: first, to: last + 1, source: { scenario, seed } };
}
