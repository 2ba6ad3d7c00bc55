import type { Components } from './components.js';
import { CORRECTIVE_REPAIRS, type ControllerLogic, type FaultEmission } from './controller.js';
import { failureModeOf, type FailureMode } from './families.js';
import type { Component, MaintenancePolicy } from './fault-plan.js';
import type { TruthRecord } from './ground-truth.js';
import { createMaintenanceCrew } from './maintenance.js';
import { createRandom, mixSeed } from './prng.js';

/**
 * What a raised code means for the lift's service, and what a maintenance visit does: a raised code
 * whose physics came from an injected fault, and which a crew is called out for, is a functional
 * failure (ground truth `functionalFailure`); routine visits repair by the policy's `restore`
 * shares or, with a unit `quality`, the way an imperfect crew does (maintenance.ts); a corrective
 * visit repairs the failed component and what the active codes point to.
 */
export function createServiceLogic(x: {
  liftId: string; seed: number; parts: Components; ctrl: ControllerLogic; maintenance: MaintenancePolicy | undefined;
  brakeTestStops: boolean; addTruth: (r: TruthRecord) => void;
}) {
  const policy = x.maintenance;
  const crew = policy?.quality !== undefined ? createMaintenanceCrew(policy.quality, createRandom(mixSeed(x.seed, 0x3a1e))) : undefined;
  return {
    /** The functional failure a raised code is, if any; written to the ground truth. */
    failure(e: FaultEmission, t: number): FailureMode | undefined {
      if (e.state !== 'raised') return undefined;
      const mode = failureModeOf(e.code, e.component);
      if (!mode || (mode.code === 'E16' && !x.brakeTestStops)) return undefined;
      const faultIds = x.parts.causes(e.component, t);
      if (faultIds.length === 0) return undefined; // healthy variation: a false alarm, not a failure
      x.addTruth({ type: 'functionalFailure', liftId: x.liftId, ts: Math.round(t), family: mode.family, mode: mode.mode, code: mode.code, component: mode.component, faultIds });
      return mode;
    },
    /** A routine visit: the faults it repaired. */
    routine(t: number): string[] {
      if (!policy) return [];
      return crew ? crew.routine(x.parts, t) : x.parts.repair(t, policy.restore);
    },
    /** A corrective visit after a failure of `failed` (or after a code without a failure). */
    corrective(t: number, failed: Component | undefined): string[] {
      const codes = Object.keys(CORRECTIVE_REPAIRS).filter((c) => x.ctrl.isActive(c));
      const restore = policy?.restore ?? {};
      const repaired = new Set<string>();
      if (failed !== undefined) for (const id of crew ? crew.corrective(x.parts, t, failed) : x.parts.repair(t, restore, failed)) repaired.add(id);
      for (const c of codes) {
        const component = CORRECTIVE_REPAIRS[c]!;
        if (component === failed) continue;
        for (const id of crew ? crew.corrective(x.parts, t, component) : x.parts.repair(t, restore, component)) repaired.add(id);
      }
      return [...repaired];
    },
    /** Hours from a failure to the corrective visit. */
    correctiveAfterMs: (): number => (policy?.correctiveAfterH ?? 4) * 3_600_000,
  };
}
