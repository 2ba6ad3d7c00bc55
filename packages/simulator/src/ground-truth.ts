import type { Components } from './components.js';
import type { Component, FaultKind } from './fault-plan.js';
import type { FamilyId } from './families.js';
import type { LiftDrawTruth } from './lift-draw.js';
import { round } from './round.js';

/**
 * The ground-truth stream (docs/simulator.md)), one JSON object per line beside the records:
 * what really happened in the simulated lift, which a model is trained and judged against.
 * `ts` is the simulated time (ms UTC), on the same clock as the records before any clock skew.
 */
export type TruthRecord =
  /** Component health h ∈ [0, 1] (1 = new, 0 = at its failure threshold) and remaining life, days. */
  | { type: 'health'; liftId: string; ts: number; health: Record<Component, number>; rulDays: Partial<Record<Component, number>> }
  /** An injected fault starts (its onset) or ends (power back; an intermittent fault's end is not reported, it is on/off). */
  | { type: 'faultOnset' | 'faultClear'; liftId: string; ts: number; faultId: string; kind: FaultKind; component: Component }
  /** A component crossed its failure threshold (health 0) for the first time since the last repair. */
  | { type: 'failure'; liftId: string; ts: number; component: Component; faultIds: string[] }
  /**
   * A functional failure: the callout a crew gets (door-protection trip, lock fault, failed brake
   * test, unintended movement, ride-quality callout, rope slip, overheat trip), raised by the
   * controller from the physics of an injected fault. The lift is out of service until the next
   * `maintenance` line with visit 'corrective'. Modes and codes: FAILURE_MODES in families.ts.
   */
  | { type: 'functionalFailure'; liftId: string; ts: number; family: FamilyId; mode: string; code: string; component: Component; faultIds: string[] }
  /** What was drawn for a lift of a scenario mix (first line of its truth): the hidden facts behind its records. */
  | { type: 'draw'; liftId: string; ts: number; mix: string; seed: number; index: number; draw: LiftDrawTruth }
  /** A maintenance visit: routine (TSG cadence) or corrective after a lockout; the faults it partly repaired. */
  | { type: 'maintenance'; liftId: string; ts: number; visit: 'routine' | 'corrective'; repaired: string[] }
  /**
   * The true cause of one emitted fault record (by its seq): the injected faults acting on the
   * component whose physics tripped the rule, or none (`faultIds: []`): a false alarm from healthy
   * variation, as in life.
   */
  | { type: 'cause'; liftId: string; ts: number; seq: number; code: string; state: 'raised' | 'cleared'; component: Component; faultIds: string[] }
  /** A data or comms fault applied to the stream: what reached the platform differs from what the lift did. */
  | { type: 'comms'; liftId: string; ts: number; effect: 'lost' | 'duplicated' | 'reordered' | 'offline' | 'online' | 'stuckSensor' | 'unitMislabel' | 'clockSkew'; seq?: number; detail?: string };

/** Health snapshots with remaining life, and a `failure` record when a component first reaches health 0 (again after a repair). */
export function createHealthTruth(parts: Components, liftId: string) {
  const failed = new Set<Component>();
  return {
    snapshot(t: number): TruthRecord[] {
      const h = parts.health(t);
      const rulDays: Partial<Record<Component, number>> = {};
      for (const [k, v] of Object.entries(parts.rulDays(t))) rulDays[k as Component] = round(v, 2);
      const health = Object.fromEntries(Object.entries(h).map(([k, v]) => [k, round(v, 4)])) as Record<Component, number>;
      const out: TruthRecord[] = [{ type: 'health', liftId, ts: Math.round(t), health, rulDays }];
      for (const [c, v] of Object.entries(h) as [Component, number][]) {
        if (v > 0) { failed.delete(c); continue; }
        if (failed.has(c)) continue;
        failed.add(c);
        out.push({ type: 'failure', liftId, ts: Math.round(t), component: c, faultIds: parts.causes(c, t, 1) });
      }
      return out;
    },
  };
}
