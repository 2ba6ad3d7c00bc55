import { describe, expect, it } from 'vitest';
import type { LiftRecord, StatusRecord } from '@liftwatch/contract';
import { createLiftSim, type FaultSpec, type FamilyId, type LiftSimOptions, type MaintenancePolicy, type TruthRecord } from '../src/index.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 6, 1, 16, 0, 0); // 00:00 China time
/** Corrective visits only, by a crew of middling quality: nothing is caught before it fails. */
const NO_ROUTINE: MaintenancePolicy = { everyDays: 0, restore: {}, correctiveAfterH: 3, quality: 0.5 };

function run(o: Partial<LiftSimOptions>, days: number) {
  const sim = createLiftSim({ liftId: 'FF-1', seed: 5, startMs: START, floors: 12, fidelity: 'summary', groundTruth: true, maintenance: NO_ROUTINE, ...o });
  const records: LiftRecord[] = [];
  const truth: TruthRecord[] = [];
  for (let d = 1; d <= days; d++) { records.push(...sim.advanceTo(START + d * DAY)); truth.push(...sim.drainTruth()); }
  return { records, truth };
}

const step = (id: string, kind: FaultSpec['kind'], extra: Partial<FaultSpec> = {}): FaultSpec => ({ id, kind, onsetDay: 0.5, law: { type: 'step' }, ...extra });

const CASES: Array<{ family: FamilyId; mode: string; code: string; faults: FaultSpec[]; o?: Partial<LiftSimOptions>; days?: number }> = [
  { family: 'door-system', mode: 'door-protection-trip', code: 'E09', faults: [{ id: 'door', kind: 'doorFrictionWear', onsetDay: 0.5, law: { type: 'linear', failDays: 2 }, severityMax: 1.3 }] },
  { family: 'door-system', mode: 'lock-fault', code: 'E08', faults: [step('lock', 'lockContactWear')] },
  // The daily brake-force test (03:00) fails at spring loss ≈ 0.47, before the brake lets the empty car creep (≈ 0.82).
  { family: 'brake', mode: 'brake-test-failed', code: 'E16', faults: [{ id: 'spring', kind: 'brakeSpringLoss', onsetDay: 0.5, law: { type: 'linear', failDays: 6 } }], o: { brakeTestStops: true }, days: 8 },
  { family: 'brake', mode: 'unintended-movement', code: 'E02', faults: [step('spring', 'brakeSpringLoss')], o: { brakeTestStops: false } },
  { family: 'guides-ride', mode: 'ride-quality-callout', code: 'D03', faults: [step('roller', 'rollerFlatSpot', { severityMax: 1.5 })] },
  { family: 'guides-ride', mode: 'stopped-outside-zone', code: 'E06', faults: [step('sensor', 'levelSensorDropout')] },
  { family: 'traction-ropes', mode: 'rope-slip-callout', code: 'E10', faults: [step('groove', 'grooveWear', { severityMax: 1.4 })] },
  { family: 'traction-ropes', mode: 'levelling-step-callout', code: 'E06', faults: [step('rope', 'ropeStretch', { severityMax: 1.3 })] },
  { family: 'drive-thermal', mode: 'overheat-trip', code: 'E17', faults: [{ id: 'fan', kind: 'motorOverheat', onsetDay: 0.5, law: { type: 'linear', failDays: 1 }, severityMax: 1.3 }], o: { ambient: { meanC: 36, dailyAmpC: 5 }, trafficScale: 2, profile: 'office', floors: 20 } },
];

describe('functional failures: the callout a crew gets, written to the ground truth', () => {
  for (const c of CASES) {
    it(`${c.family}: ${c.mode} (${c.code}) is written, the lift is out of service until the corrective visit`, () => {
      const { records, truth } = run({ faults: c.faults, ...c.o }, c.days ?? 4);
      const failure = truth.find((t) => t.type === 'functionalFailure');
      expect(failure, `no functional failure in ${truth.filter((t) => t.type === 'cause').map((t) => JSON.stringify(t)).join('\n')}`).toMatchObject({ family: c.family, mode: c.mode, code: c.code, faultIds: c.faults.map((f) => f.id) });
      // The platform saw the code raised at that moment, from the physics.
      expect(records.some((r) => r.stream === 'fault' && r.record.code === c.code && r.record.state === 'raised' && r.record.ts === failure!.ts)).toBe(true);
      const corrective = truth.find((t) => t.type === 'maintenance' && t.visit === 'corrective' && t.ts > failure!.ts);
      expect(corrective, 'a corrective visit follows').toBeDefined();
      // Out of service in between: no trip starts, and the status says so.
      expect(records.filter((r) => r.stream === 'trip' && r.record.startTs > failure!.ts + 60_000 && r.record.startTs < corrective!.ts)).toEqual([]);
      const statuses = records.filter((r) => r.stream === 'status' && r.record.ts > failure!.ts && r.record.ts < corrective!.ts).map((r) => r.record as StatusRecord);
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.every((s) => s.serviceMode === 'outOfService')).toBe(true);
    }, 60_000);
  }

  it('a healthy lift has no functional failure even when healthy variation raises a code', () => {
    const { truth } = run({ faults: [], trafficScale: 2 }, 10);
    expect(truth.filter((t) => t.type === 'functionalFailure')).toEqual([]);
  }, 60_000);

  it('a component fixed in time by a routine visit has none; the same lift without the visit fails', () => {
    // Door friction reaching the protection trip on day ~36; a good crew every 15 days sees it first.
    const wear: FaultSpec = { id: 'door', kind: 'doorFrictionWear', onsetDay: 0, law: { type: 'linear', failDays: 40 }, severityMax: 1.3 };
    const withVisits = run({ faults: [wear], maintenance: { everyDays: 15, restore: {}, correctiveAfterH: 3, quality: 1 } }, 50);
    const withoutVisits = run({ faults: [wear] }, 50);
    expect(withoutVisits.truth.filter((t) => t.type === 'functionalFailure').length).toBeGreaterThan(0);
    expect(withVisits.truth.filter((t) => t.type === 'functionalFailure')).toEqual([]);
    expect(withVisits.truth.some((t) => t.type === 'maintenance' && t.visit === 'routine' && t.repaired.includes('door'))).toBe(true);
  }, 60_000);
});
