import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMix, simulateLift } from '@liftwatch/simulator';
import { replayLift } from '../src/train/replay.js';

/** A mix file, found from this file so that the test runs from any directory. */
const MIX = join(import.meta.dirname, '..', 'validation-mixes', 'hot-low-rise.json');

/** Routine and corrective visits of a simulated lift as its ground truth writes them. */
function visitsOf(index: number): Array<{ ts: number; visit: string; repaired: string[] }> {
  const out: Array<{ ts: number; visit: string; repaired: string[] }> = [];
  for (const e of simulateLift(loadMix(MIX), 7, index, 90, 'summary').events()) {
    const r = e.record as { type?: string; ts: number; visit?: string; repaired?: string[] };
    if (e.stream === 'truth' && r.type === 'maintenance') out.push({ ts: r.ts, visit: r.visit!, repaired: r.repaired ?? [] });
  }
  return out;
}

describe('replayed lifts keep the routine visits that repaired a fault, and the cause of each failure', () => {
  it('a routine repair of a drive fault is kept with its family; a corrective visit is not (a failure came first)', () => {
    // Lift 5 of this mix and seed: a routine visit repairs its drive fault, later a corrective visit its door.
    const truth = visitsOf(5);
    const routine = truth.filter((v) => v.visit === 'routine' && v.repaired.length > 0);
    const corrective = truth.filter((v) => v.visit === 'corrective' && v.repaired.length > 0);
    expect(routine.map((v) => v.repaired)).toEqual([['drive-thermal-1']]);
    expect(corrective.length).toBe(1);

    const s = replayLift(simulateLift(loadMix(MIX), 7, 5, 90, 'summary'), 90, { rules: false });
    expect(s.repairs).toEqual([{ ts: routine[0]!.ts, family: 'driveThermal' }]);
  });

  it('a failure carries the kind and onset of the fault behind it, as the ground truth gives them', () => {
    const truth = [...simulateLift(loadMix(MIX), 7, 5, 90, 'summary').events()].filter((e) => e.stream === 'truth').map((e) => e.record as { type: string; ts: number; faultId?: string; faultIds?: string[]; kind?: string });
    const failure = truth.find((r) => r.type === 'functionalFailure')!;
    const onset = truth.find((r) => r.type === 'faultOnset' && r.faultId === failure.faultIds![0])!;
    const s = replayLift(simulateLift(loadMix(MIX), 7, 5, 90, 'summary'), 90, { rules: false });
    expect(s.failures).toEqual([{ ts: failure.ts, family: 'doorSystem', mode: 'lock-fault', onsetTs: onset.ts, cause: 'lockContactWear' }]);
    expect(onset.kind).toBe('lockContactWear');
  });

  it('a lift no visit repaired anything on has none', () => {
    expect(visitsOf(6).every((v) => v.repaired.length === 0)).toBe(true);
    expect(replayLift(simulateLift(loadMix(MIX), 7, 6, 90, 'summary'), 90, { rules: false }).repairs).toEqual([]);
  });
});
