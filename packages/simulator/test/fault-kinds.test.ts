import { describe, expect, it } from 'vitest';
import type { FaultRecord, LiftRecord } from '@liftwatch/contract';
import { createComponents, createLiftSim, FAULT_KINDS, type FaultKind, type PhysicalState } from '../src/index.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 6, 1, 16, 0, 0);

/** The physical parameter each fault kind must move (docs/simulator.md). */
const MOVES: Record<FaultKind, keyof PhysicalState> = {
  doorFrictionWear: 'doorFrictionX', sillDebris: 'sillDebrisPer100', curtainMisalign: 'curtainFalseProb', lockContactWear: 'lockWear',
  rollerFlatSpot: 'rollerFlatMm', railJointStep: 'railStepMm', bearingDefect: 'bearingDefect', brakeLiningWear: 'brakeLiningWear',
  brakeSpringLoss: 'brakeSpringLoss', ropeStretch: 'ropeStretch', grooveWear: 'grooveWear', levelSensorDropout: 'levelDropoutProb',
  motorOverheat: 'motorRthX', safetyChainIntermittency: 'safetyChainProb', powerOutage: 'powerOut', misuse: 'misuseProb',
};

describe('every fault kind drives the physics', () => {
  for (const kind of FAULT_KINDS) {
    it(`${kind} moves ${MOVES[kind]} from its onset, not before`, () => {
      const parts = createComponents([{ id: 'f', kind, onsetDay: 1, law: { type: 'step' }, durationMin: 60 }], START, 1, undefined);
      const before = parts.physical(START + 0.5 * DAY)[MOVES[kind]];
      const after = parts.physical(START + DAY + 60_000)[MOVES[kind]];
      expect(after).not.toEqual(before);
      expect(parts.health(START + DAY + 60_000)).not.toEqual(parts.health(START));
    });
  }
});

describe('floor- and position-bound faults', () => {
  const faults = (records: LiftRecord[]) => records.filter((r) => r.stream === 'fault').map((r) => r.record as FaultRecord);

  it('safety-chain intermittency at floor 5 opens the chain at that height (E07 clusters by position) and clears on a normal cycle', () => {
    const sim = createLiftSim({ liftId: 'CHAIN-1', seed: 3, startMs: START, floors: 10, fidelity: 'fast', faults: [{ id: 'pit', kind: 'safetyChainIntermittency', onsetDay: 0, floor: 5, law: { type: 'step' } }] });
    const f = faults(sim.advanceTo(START + DAY / 2));
    const raised = f.filter((x) => x.code === 'E07' && x.state === 'raised');
    expect(raised.length).toBeGreaterThan(10);
    for (const r of raised) { expect(r.floor).toBe(5); expect(Math.abs(r.posMm! - 13_200)).toBeLessThan(400); }
    expect(f.filter((x) => x.code === 'E07' && x.state === 'cleared').length).toBeGreaterThanOrEqual(raised.length - 1);
  });

  it('levelling sensor dropouts give large stop errors, re-levels and some stops outside the door zone (E06)', () => {
    const sim = createLiftSim({ liftId: 'LEVEL-1', seed: 3, startMs: START, floors: 10, fidelity: 'fast', faults: [{ id: 'lv', kind: 'levelSensorDropout', onsetDay: 0, law: { type: 'step' } }] });
    const records = sim.advanceTo(START + DAY);
    const trips = records.filter((r) => r.stream === 'trip').map((r) => r.record as { stopErrMm: number; relevels: number });
    expect(trips.filter((t) => Math.abs(t.stopErrMm) > 60).length / trips.length).toBeGreaterThan(0.1);
    expect(faults(records).some((x) => x.code === 'E06' && x.state === 'raised')).toBe(true);
  });
});
