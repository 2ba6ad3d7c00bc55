import { COMPONENT_OF, COMPONENTS, FAULT_KINDS, type Component, type FaultKind, type FaultSpec, type MaintenancePolicy } from './fault-plan.js';
import { createSeverityTrack, type SeverityTrack } from './degradation.js';
import { mixSeed } from './prng.js';

const DAY_MS = 86_400_000;
const NO_FAULT = Object.freeze(Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>);

/**
 * The physical parameters the physics reads at a moment (docs/simulator.md). A new lift has
 * every multiplier 1 and every probability 0.
 */
export interface PhysicalState {
  /** Door track friction F_f / F_f0. */ doorFrictionX: number;
  /** Sill debris events per 100 door cycles. */ sillDebrisPer100: number;
  /** Light-curtain false-trigger probability per closing. */ curtainFalseProb: number;
  /** Landing-lock contact wear 0–1+, and the floor it sits at (all floors when undefined). */ lockWear: number; lockFloor: number | undefined;
  /** Roller flat depth, mm. */ rollerFlatMm: number;
  /** Rail joint step, mm, and the height of the joint, m. */ railStepMm: number;
  /** Machine bearing defect impulse amplitude, m/s² at the car. */ bearingDefect: number;
  /** Brake lining wear 0–1 and spring force loss 0–1. */ brakeLiningWear: number; brakeSpringLoss: number;
  /** Rope elongation severity 0–1+ and sheave groove wear 0–1+. */ ropeStretch: number; grooveWear: number;
  /** Levelling sensor dropout probability per stop. */ levelDropoutProb: number;
  /** Thermal resistance multiplier of the motor (fan, dust). */ motorRthX: number;
  /** Safety-chain open probability per trip, and the floor of the device. */ safetyChainProb: number; safetyChainFloor: number | undefined;
  /** Misuse: door holds and vandal hits per door cycle. */ misuseProb: number;
  /** Mains off. */ powerOut: boolean;
}

interface Active { spec: FaultSpec; onsetMs: number; track: SeverityTrack }

/**
 * Component health from a fault plan: each fault's severity track, the physical state it implies,
 * and maintenance. Each knob follows the worst fault of its kind.
 */
export function createComponents(faults: readonly FaultSpec[], startMs: number, seed: number, maintenance: MaintenancePolicy | undefined, cacheMs = 60_000) {
  const active: Active[] = faults.map((spec, i) => {
    const onsetMs = startMs + spec.onsetDay * DAY_MS;
    return { spec, onsetMs, track: createSeverityTrack(spec.law, onsetMs, spec.severityMax ?? 1.2, mixSeed(seed, 0xfa17 + i)) };
  });

  const severityOf = (a: Active, t: number): number =>
    a.spec.kind === 'powerOutage' ? (t >= a.onsetMs && t < a.onsetMs + (a.spec.durationMin ?? 30) * 60_000 ? 1 : 0) : a.track.at(t);

  // The state changes slowly: computed once per `cacheMs` of simulated time (and again after a repair).
  let cachedBucket = Number.NaN;
  let cached: PhysicalState | undefined;
  function physical(t: number): PhysicalState {
    const bucket = Math.floor(t / cacheMs);
    if (bucket !== cachedBucket || cached === undefined) { cached = physicalAt(t); cachedBucket = bucket; }
    return cached;
  }

  /** The worst severity of each fault kind, in one pass over the faults. */
  function physicalAt(t: number): PhysicalState {
    const s: Record<FaultKind, number> = { ...NO_FAULT };
    let lockFloor: number | undefined;
    let chainFloor: number | undefined;
    for (const a of active) {
      const v = severityOf(a, t);
      if (!(v > s[a.spec.kind])) continue;
      s[a.spec.kind] = v;
      if (a.spec.kind === 'lockContactWear') lockFloor = a.spec.floor;
      if (a.spec.kind === 'safetyChainIntermittency') chainFloor = a.spec.floor;
    }
    return {
      doorFrictionX: 1 + 2.2 * s.doorFrictionWear,
      sillDebrisPer100: 6 * s.sillDebris,
      curtainFalseProb: 0.6 * s.curtainMisalign,
      lockWear: s.lockContactWear, lockFloor,
      rollerFlatMm: 2.0 * s.rollerFlatSpot,
      railStepMm: 0.3 + 1.5 * s.railJointStep,
      bearingDefect: 0.25 * s.bearingDefect,
      brakeLiningWear: 0.6 * s.brakeLiningWear, brakeSpringLoss: 0.8 * s.brakeSpringLoss,
      ropeStretch: s.ropeStretch, grooveWear: s.grooveWear,
      levelDropoutProb: 0.2 * s.levelSensorDropout,
      motorRthX: 1 + 5 * s.motorOverheat,
      safetyChainProb: 0.25 * s.safetyChainIntermittency, safetyChainFloor: chainFloor,
      misuseProb: 0.15 * s.misuse,
      powerOut: s.powerOutage > 0,
    };
  }

  /** Ids of the injected faults that act on a component at t (the true cause of what it shows). */
  function causes(component: Component, t: number, minSeverity = 0.02): string[] {
    return active.filter((a) => COMPONENT_OF[a.spec.kind] === component && (a.spec.kind === 'powerOutage' ? severityOf(a, t) > 0 : a.track.at(t) >= minSeverity)).map((a) => a.spec.id);
  }

  function health(t: number): Record<Component, number> {
    const h = Object.fromEntries(COMPONENTS.map((c) => [c, 1])) as Record<Component, number>;
    for (const a of active) {
      const c = COMPONENT_OF[a.spec.kind];
      const s = severityOf(a, t);
      h[c] = Math.min(h[c], Math.max(0, 1 - s));
    }
    return h;
  }

  function rulDays(t: number): Partial<Record<Component, number>> {
    const out: Partial<Record<Component, number>> = {};
    for (const a of active) {
      if (a.spec.kind === 'powerOutage' || t < a.onsetMs) continue;
      const r = a.track.rulDays(t);
      const c = COMPONENT_OF[a.spec.kind];
      if (r !== undefined && (out[c] === undefined || r < out[c]!)) out[c] = r;
    }
    return out;
  }

  /** A maintenance visit: each fault's component is restored by the policy's share (or `all`). */
  function repair(t: number, restore: Readonly<Record<string, number>>, only?: Component): string[] {
    const repaired: string[] = [];
    for (const a of active) {
      const c = COMPONENT_OF[a.spec.kind];
      if (only !== undefined && c !== only) continue;
      const share = only !== undefined ? Math.max(restore[c] ?? 0, 0.9) : restore[c] ?? 0;
      if (share > 0 && t >= a.onsetMs && a.track.at(t) > 0) { a.track.repair(t, share); repaired.push(a.spec.id); cached = undefined; }
    }
    return repaired;
  }

  /** The injected faults that have started by t, with their present severity (for a maintenance crew). */
  function started(t: number): Array<{ id: string; kind: FaultKind; component: Component; severity: number; intermittent: boolean }> {
    return active.filter((a) => t >= a.onsetMs && a.spec.kind !== 'powerOutage')
      .map((a) => ({ id: a.spec.id, kind: a.spec.kind, component: COMPONENT_OF[a.spec.kind], severity: a.track.at(t), intermittent: a.spec.law.type === 'intermittent' }));
  }

  /** Repairs one fault by `share` of its virtual age (`found`: also an intermittent one); `share` 'renew' replaces the part. */
  function repairFault(id: string, t: number, share: number | 'renew', found = false): void {
    for (const a of active) if (a.spec.id === id) { if (share === 'renew') a.track.renew(t); else a.track.repair(t, share, found); }
    cached = undefined;
  }

  const onsets = active.map((a) => ({ id: a.spec.id, kind: a.spec.kind, component: COMPONENT_OF[a.spec.kind], onsetMs: a.onsetMs, endMs: a.spec.kind === 'powerOutage' ? a.onsetMs + (a.spec.durationMin ?? 30) * 60_000 : undefined }));
  return { physical, causes, health, rulDays, repair, started, repairFault, onsets, maintenance };
}
export type Components = ReturnType<typeof createComponents>;
