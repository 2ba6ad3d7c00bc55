import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLiftSim } from '@liftwatch/simulator';
import { FEATURE_VERSION, featureVector } from '../src/features/definition.js';
import { computeStats } from '../src/features/feature-stats.js';
import { BLOCK_BYTES, LAYOUT_VERSION } from '../src/features/layout.js';
import { LiftFeatureState, type AnyRecord } from '../src/features/lift-state.js';
import { createStateArena } from '../src/features/state-arena.js';
import { loadState, saveState, STATE_LAYOUT } from '../src/features/state-codec.js';
import { stateFromJsonV1 } from '../src/features/state-json-v1.js';
import { computeStats as objectStats } from './object-state/feature-stats.js';
import { LiftFeatureState as ObjectState } from './object-state/lift-state.js';
import { expectCloseStats, FLOAT_SUMS_TOLERANCE } from './close-stats.js';
import { stateToJson as objectToJson } from './object-state/state-codec.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);

type Row = { stream: string; record: AnyRecord };

/**
 * 50 days of a simulated lift with door, lock and brake wear, faults, visits and every status
 * record, sent as a terminal with a bad link would: duplicates, records overtaken by the next,
 * a burst replayed after a reconnect.
 */
function rows(seed: number, days = 50): Row[] {
  const sim = createLiftSim({
    liftId: `CS-${seed}`, seed, startMs: START, fidelity: 'fast', floors: 12,
    faults: [
      { id: 'door', kind: 'doorFrictionWear', onsetDay: 8, law: { type: 'linear', failDays: 25 } },
      { id: 'brake', kind: 'brakeSpringLoss', onsetDay: 4, law: { type: 'linear', failDays: 50 } },
      { id: 'lock', kind: 'lockContactWear', floor: 2, onsetDay: 1, law: { type: 'linear', failDays: 20 } },
    ],
    maintenance: { everyDays: 12, restore: { doorOperator: 0.5, brake: 0.5 } },
  });
  const all = sim.advanceTo(START + days * DAY) as unknown as Row[];
  return all.flatMap((r, i) => {
    if (i % 211 === 0 && i > 0) return [r, all[i - 1]!]; // a duplicate of the record before
    if (i % 307 === 0 && i > 1) return [all[i - 2]!, r]; // an older record arriving late
    if (i % 5003 === 0 && i > 40) return [...all.slice(i - 40, i), r]; // a reconnect replaying 40 records
    return [r];
  });
}

describe('the compact feature state (one block per lift: times in doubles, sums in floats)', () => {
  const lift3 = rows(3);
  it(`gives the features and statistics of the object state it replaced within ${FLOAT_SUMS_TOLERANCE} relative, and exactly its dedup, record by record`, () => {
    for (const seed of [3, 11]) {
      const input = seed === 3 ? lift3 : rows(seed, 30);
      const arena = createStateArena(4);
      const compact = new LiftFeatureState(`CS-${seed}`, arena.take());
      const before = new ObjectState(`CS-${seed}`);
      const checks = [2, 9, 21, 29.9].map((d) => START + d * DAY);
      let next = 0;
      for (const r of input) {
        while (next < checks.length && r.record.ts > checks[next]!) {
          const at = checks[next++]!;
          const stats = computeStats(compact, at);
          expectCloseStats(stats, objectStats(before, at));
          expectCloseStats([...featureVector(stats)], [...featureVector(objectStats(before, at))], 'features');
        }
        expect(compact.add(r.stream, r.record)).toBe(before.add(r.stream, r.record));
      }
      expect(next).toBe(checks.length);
      expect(compact.skipped).toBe(before.skipped);
      expect(compact.skipped).toBeGreaterThan(100);
      expect(compact.openCodes()).toEqual(before.openCodes);
      for (const s of ['trip', 'door', 'env'] as const) expect(compact.evidence(s)).toEqual(before.evidence[s]);
      for (const s of ['trip', 'door', 'env', 'fault', 'status'] as const) expect(compact.newest(s)).toEqual(before.newest[s]);
    }
  }, 60_000);

  it('takes over a checkpoint of the first layout (JSON) and goes on as the old state would have', () => {
    const input = lift3;
    const half = input.findIndex((r) => r.record.ts > START + 25 * DAY);
    const before = new ObjectState('CS-3');
    for (const r of input.slice(0, half)) before.add(r.stream, r.record);
    const compact = stateFromJsonV1(JSON.parse(JSON.stringify(objectToJson(before))));
    expectCloseStats(computeStats(compact, START + 25 * DAY), objectStats(before, START + 25 * DAY));
    for (const r of input.slice(half)) expect(compact.add(r.stream, r.record)).toBe(before.add(r.stream, r.record));
    const at = START + 50 * DAY;
    expectCloseStats([...featureVector(computeStats(compact, at))], [...featureVector(objectStats(before, at))], 'features');
    expect(compact.openCodes()).toEqual(before.openCodes);
    expect(FEATURE_VERSION).toBe('2.0.0'); // the models trained on the object state load unchanged
  }, 30_000);

  it('is one block of about 2.4 KB, and a checkpoint is its bytes', () => {
    expect(BLOCK_BYTES).toBeLessThanOrEqual(2400);
    const st = new LiftFeatureState('CS-3');
    for (const r of lift3.slice(0, 20_000)) st.add(r.stream, r.record);
    const saved = saveState(st);
    expect(saved.block.byteLength).toBe(BLOCK_BYTES);
    const back = loadState('CS-3', saved);
    expect(computeStats(back, START + 10 * DAY)).toEqual(computeStats(st, START + 10 * DAY));
  });

  it('takes over a checkpoint of the second layout (all doubles, written by the previous version) with its features', () => {
    const fixture = JSON.parse(readFileSync(new URL('./fixtures-data/layout2-checkpoint.json', import.meta.url), 'utf8')) as { liftId: string; layout: string; at: number; block: string; features: Array<number | null> };
    expect(fixture.layout).toBe(`${FEATURE_VERSION}/2`);
    expect(LAYOUT_VERSION).toBe(3);
    const st = loadState(fixture.liftId, { layout: fixture.layout, block: Buffer.from(fixture.block, 'base64') }, createStateArena(2).take());
    expectCloseStats([...featureVector(computeStats(st, fixture.at))], fixture.features.map((x) => x ?? NaN), 'features');
    expect(saveState(st).layout).toBe(STATE_LAYOUT);
    expect(() => loadState(fixture.liftId, { layout: fixture.layout, block: Buffer.from(fixture.block, 'base64').subarray(8) })).toThrow(/LW_ERR_FEATURE_STATE_INVALID|holds 3984 bytes/);
  });
});
