import { describe, expect, it } from 'vitest';
import { createLiftSim, type FaultSpec } from '@liftwatch/simulator';
import { computeStats } from '../src/features/feature-stats.js';
import { LiftFeatureState, type AnyRecord } from '../src/features/lift-state.js';
import { RULE_INPUTS, ruleInputs, ruleReadings, ruleScore, ruleText } from '../src/evaluate/threshold-rules.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);

/** The traction rule's inputs for one simulated lift after `days`, its records replayed through the streaming state. */
function tractionInputs(faults: FaultSpec[], days: number): Float32Array {
  const sim = createLiftSim({ liftId: 'TR-1', seed: 11, startMs: START, fidelity: 'fast', floors: 16, faults });
  const state = new LiftFeatureState('TR-1');
  for (const r of sim.advanceTo(START + days * DAY) as unknown as { stream: string; record: AnyRecord }[]) {
    if (['trip', 'door', 'env', 'fault'].includes(r.stream)) state.add(r.stream, r.record);
  }
  const inputs = ruleInputs(computeStats(state, START + days * DAY));
  expect(inputs.length).toBe(RULE_INPUTS);
  return inputs;
}

describe('the traction/ropes rule', () => {
  it('stays quiet on a sound lift at the scales calibration tries, and fires on a worn groove before its slip reaches the controller\'s 50 mm', () => {
    const sound = tractionInputs([], 30);
    expect(ruleScore('tractionRopes', sound, 0, 0.5)).toBeLessThan(1);
    // a groove that wears through in 40 days, 30 days in: the day's mean slip is far over a sound sheave's 0.3 mm
    const worn = tractionInputs([{ id: 'groove', kind: 'grooveWear', onsetDay: 0, law: { type: 'linear', failDays: 40 } }], 30);
    expect(ruleScore('tractionRopes', worn, 0, 1)).toBeGreaterThanOrEqual(1);
    const slip = ruleReadings('tractionRopes', worn, 0, 1).find((r) => r.what.includes('slip'))!;
    expect(slip).toMatchObject({ limit: 2, over: true });
    expect(slip.value).toBeLessThan(50);
  });

  it('fires on a stretched rope through the stopping error, and its evidence says what it measured', () => {
    const stretched = tractionInputs([{ id: 'rope', kind: 'ropeStretch', onsetDay: 0, law: { type: 'linear', failDays: 40 } }], 35);
    const readings = ruleReadings('tractionRopes', stretched, 0, 1);
    const stop = readings.find((r) => r.what.includes('stopping error'))!;
    expect(stop.over).toBe(true);
    expect(stop.value).toBeGreaterThan(30);
    expect(readings.find((r) => r.what.includes('slip'))!.over).toBe(false);
    expect(ruleText('tractionRopes', 2)).toContain('mean |slip| per trip over the last day, mm > 4');
    expect(ruleText('tractionRopes', 2)).toContain('mean |stopping error| over the last day, mm > 60');
  });
});
