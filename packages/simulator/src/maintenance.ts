import type { Components } from './components.js';
import type { Component } from './fault-plan.js';
import type { Random } from './prng.js';

/**
 * Imperfect maintenance by a unit of quality q (0–1), the way crews work rather than the way a
 * checklist reads (the values are modelling choices, [unverified]; see docs/simulator.md):
 * - an item of the routine list is done with probability 0.6 + 0.4·q (the rest are skipped);
 * - wear is seen only once it shows: from severity 0.55 − 0.35·q, surely 0.3 above that, and even
 *   then a weaker crew misses it more often (factor 0.5 + 0.5·q);
 * - a worn part that is seen is replaced with probability 0.5·q; otherwise the repair takes a share
 *   1 − (1 − q)·U(0.3, 0.9) of the fault's virtual age off (degradation.ts): a good crew nearly
 *   renews the part, a poor one adjusts it and the wear comes back sooner;
 * - an intermittent contact is not found on a routine visit;
 * - a corrective visit after a functional failure replaces the failed part with probability
 *   0.7 + 0.3·q, and otherwise repairs it by U(0.6, 0.95) of its virtual age.
 */
export function createMaintenanceCrew(quality: number, rnd: Random) {
  const q = Math.min(1, Math.max(0, quality));
  const repairShare = () => 1 - (1 - q) * rnd.uniform(0.3, 0.9);
  return {
    /** A routine visit: the faults it found and repaired. */
    routine(parts: Components, t: number): string[] {
      const repaired: string[] = [];
      for (const f of parts.started(t)) {
        if (f.intermittent || f.severity <= 0) continue;
        if (rnd.next() >= 0.6 + 0.4 * q) continue; // item skipped
        const visibleFrom = 0.55 - 0.35 * q;
        const pSee = Math.min(1, Math.max(0, (f.severity - visibleFrom) / 0.3)) * (0.5 + 0.5 * q);
        if (rnd.next() >= pSee) continue;
        parts.repairFault(f.id, t, rnd.next() < 0.5 * q ? 'renew' : repairShare());
        repaired.push(f.id);
      }
      return repaired;
    },
    /** A corrective visit: the failed component's faults are repaired (found, even if intermittent). */
    corrective(parts: Components, t: number, component: Component): string[] {
      const repaired: string[] = [];
      for (const f of parts.started(t)) {
        if (f.component !== component || (f.severity <= 0 && !f.intermittent)) continue;
        parts.repairFault(f.id, t, rnd.next() < 0.7 + 0.3 * q ? 'renew' : rnd.uniform(0.6, 0.95), true);
        repaired.push(f.id);
      }
      return repaired;
    },
  };
}
export type MaintenanceCrew = ReturnType<typeof createMaintenanceCrew>;
