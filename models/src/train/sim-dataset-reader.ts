import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DoorRecord, EnvRecord, FaultRecord, TripRecord } from '@liftwatch/contract';
import { sortRecords } from '../features/lift-records.js';
import { familyOf, type FailureLabel, type LabelledLift } from './training-data.js';

/**
 * Reads the simulator's `dataset` command output (issue 3, packages/simulator/README.md "Dataset"):
 * `DIR/<scenario>/seed-<seed>/<liftId>.records.jsonl` with one `{"stream","record"}` per line and
 * `<liftId>.truth.jsonl` with ground truth, of which `{"type":"failure","component",...}` lines
 * become labels (the component mapped to its family by FAMILIES). Written against the format as
 * documented on branch issue-3 before it was merged; the stand-in generator is used until then.
 */
export function readSimDataset(dir: string, filter: { scenarios?: readonly string[]; seeds?: readonly number[] } = {}): LabelledLift[] {
  const out: LabelledLift[] = [];
  for (const scenario of readdirSync(dir).filter((s) => existsSync(join(dir, s)) && !s.endsWith('.json')).sort()) {
    if (filter.scenarios !== undefined && !filter.scenarios.includes(scenario)) continue;
    for (const seedDir of readdirSync(join(dir, scenario)).filter((s) => /^seed-\d+$/.test(s)).sort()) {
      const seed = Number(seedDir.slice(5));
      if (filter.seeds !== undefined && !filter.seeds.includes(seed)) continue;
      const base = join(dir, scenario, seedDir);
      for (const f of readdirSync(base).filter((n) => n.endsWith('.records.jsonl')).sort()) {
        const liftId = f.slice(0, -'.records.jsonl'.length);
        out.push(readLift(base, liftId, scenario, seed));
      }
    }
  }
  return out;
}

const lines = (p: string): unknown[] => (existsSync(p) ? readFileSync(p, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as unknown) : []);

function readLift(base: string, liftId: string, scenario: string, seed: number): LabelledLift {
  const trips: TripRecord[] = []; const doors: DoorRecord[] = []; const envs: EnvRecord[] = []; const faults: FaultRecord[] = [];
  for (const l of lines(join(base, `${liftId}.records.jsonl`)) as { stream: string; record: never }[]) {
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
